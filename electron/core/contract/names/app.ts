export const APP_METHODS = ['app.info', 'settings.get', 'settings.update'] as const;

export const APP_METHODS = ['app.info', 'settings.get', 'settings.update', 'app.notices', 'app.dismissNotice'] as const;

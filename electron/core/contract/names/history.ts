export const HISTORY_METHODS = ['history.list', 'history.analytics', 'history.exportCsv'] as const;

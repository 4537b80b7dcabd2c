export const COST_METHODS = ['costs.get', 'costs.setSettings', 'costs.setPrinter', 'costs.exportCsv'] as const;

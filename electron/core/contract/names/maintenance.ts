export const MAINTENANCE_METHODS = ['maintenance.list', 'maintenance.log', 'maintenance.create', 'maintenance.update', 'maintenance.remove', 'maintenance.markDone'] as const;

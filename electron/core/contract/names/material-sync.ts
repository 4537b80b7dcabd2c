export const MATERIAL_SYNC_METHODS = ['materialSync.status', 'materialSync.syncNow', 'materialSync.conflicts'] as const;

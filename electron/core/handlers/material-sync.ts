import type { MATERIAL_SYNC_METHODS } from '../contract/names/material-sync';
import type { MaterialCloudSync } from '../materials/cloud-sync/cloud-sync';
import type { HandlersFor } from '../rpc/dispatch';

export function createMaterialSyncHandlers(sync: MaterialCloudSync): HandlersFor<(typeof MATERIAL_SYNC_METHODS)[number]> {
  return {
    'materialSync.status': async () => sync.status(),
    'materialSync.syncNow': () => sync.syncNow(),
    'materialSync.conflicts': async (input) => sync.conflicts(input?.limit ?? 50),
  };
}

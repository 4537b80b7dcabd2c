import { z } from 'zod';
import type { MaterialConflict, MaterialSyncStatus } from '../material-sync-types';
import { none } from './common';
import { method } from './define';

export const materialSyncMethods = {
  'materialSync.status': method<MaterialSyncStatus>()({
    input: none,
    capability: 'fleet:read',
    summary: 'Cloud sync of spools: on or off and why, last sync, changes waiting to go, the last error and when it is tried again.',
  }),
  'materialSync.syncNow': method<MaterialSyncStatus>()({
    input: none,
    capability: 'materials:write',
    summary: 'Syncs spools with the cloud now (not before the time a 429 named) and answers with the status it left.',
  }),
  'materialSync.conflicts': method<MaterialConflict[]>()({
    input: z
      .object({ limit: z.number().int().min(1).max(500).default(50) })
      .strict()
      .optional(),
    capability: 'fleet:read',
    summary: "Spools both sides had edited: which edit won, and the loser's values it replaced, newest first.",
  }),
};

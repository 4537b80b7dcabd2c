import type { SpoolFields, SpoolView } from '../contract/materials-types';
import type { SpoolSourceKind } from '../contract/spoolman-types';
import type { SpoolInventory } from './spool-inventory';

/**
 * Where spools are created, edited and archived: here (the local tables) or on a Spoolman server. Listing, loading on
 * a printer and deducting a print's use always go through the `SpoolInventory`, whose spools are either the local
 * ones or the mirror of Spoolman's; only changes to a spool's own record differ by source.
 */
export interface SpoolSource {
  readonly kind: SpoolSourceKind;
  create(fields: SpoolFields): Promise<SpoolView>;
  update(spoolId: string, patch: Partial<SpoolFields>): Promise<SpoolView>;
  archive(spoolId: string): Promise<SpoolView>;
  restore(spoolId: string): Promise<SpoolView>;
}

export function localSpoolSource(inventory: SpoolInventory): SpoolSource {
  return {
    kind: 'local',
    create: async (fields) => inventory.create(fields),
    update: async (spoolId, patch) => inventory.update(spoolId, patch),
    archive: async (spoolId) => inventory.archive(spoolId),
    restore: async (spoolId) => inventory.restore(spoolId),
  };
}

import type { MATERIAL_METHODS } from '../contract/names/materials';
import type { SpoolFields } from '../contract/materials-types';
import { AppError } from '../errors';
import type { SpoolInventory } from '../materials/spool-inventory';
import { localSpoolSource, type SpoolSource } from '../materials/spool-source';
import type { SpoolmanSource } from '../materials/spoolman/spoolman-source';
import { readSpoolsCsv, spoolsCsv } from '../materials/spool-csv';
import type { Clock } from '../ports/clock';
import type { HandlersFor } from '../rpc/dispatch';

export function createMaterialHandlers(deps: { spools: SpoolInventory; clock: Clock; spoolman?: SpoolmanSource }): HandlersFor<(typeof MATERIAL_METHODS)[number]> {
  const { spools, clock, spoolman } = deps;
  const local = localSpoolSource(spools);
  // Changes to a spool's record go where the spools are kept now; loading and listing are the inventory's either way.
  const source = (): SpoolSource => (spoolman?.source === 'spoolman' ? spoolman : local);
  return {
    'spools.list': async (input) => spools.list(input?.includeArchived ?? false),
    'spools.create': async (fields) => source().create(fields),
    'spools.update': async ({ spoolId, ...patch }) => {
      // zod's optional fields arrive as `T | undefined`; the inventory's patch leaves them out instead.
      const clean: Partial<SpoolFields> = {};
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) (clean as Record<string, unknown>)[k] = v;
      return source().update(spoolId, clean);
    },
    'spools.archive': async ({ spoolId }) => source().archive(spoolId),
    'spools.restore': async ({ spoolId }) => source().restore(spoolId),
    'spools.load': async ({ spoolId, printerId, slot }) => spools.load(spoolId, { printerId, slot }),
    'spools.unload': async ({ printerId, slot }) => ({ spool: spools.unload({ printerId, slot }) }),
    'spools.usage': async ({ spoolId }) => spools.usage(spoolId),
    'spools.exportCsv': async (input) => {
      const list = spools.list(input?.includeArchived ?? true);
      const stamp = new Date(clock.now()).toISOString().slice(0, 10);
      return { fileName: `autoprintfarm-spools-${stamp}.csv`, csv: spoolsCsv(list), rows: list.length };
    },
    'spools.importCsv': async ({ csv }) => {
      if (source().kind === 'spoolman')
        throw new AppError('conflict', "Spools are kept in Spoolman now: import them with Spoolman's own tools, or switch Spoolman off in Settings first.");
      return spools.applyImport(readSpoolsCsv(csv));
    },
  };
}

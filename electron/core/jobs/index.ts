import type { EventBus } from '../events/event-bus';
import type { Clock } from '../ports/clock';
import type { Fleet } from '../printers/fleet';
import type { Db } from '../store/database';
import { Farm } from './farm';
import { Library } from './library';
import { SpoolInventory, type InventoryDeps } from '../materials/spool-inventory';
import { MaintenanceService } from '../maintenance/maintenance-service';

export { Farm, hasWarmedUp, type EnqueueRequest, type FarmEvents, type FarmFleet, type FarmLibrary, type ProfilePatch } from './farm';
export { Library, MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES } from './library';
export { decideDispatch, type Assignment, type QueuedRef, type ReadyPrinter } from './dispatch-decision';
export { computeAnalytics, historyCsv } from './history-store';

/** The farm layer over one database: the library, and the queue with its dispatcher and history. Events go to the bus after each commit. */
export function createFarmServices(deps: {
  db: Db;
  dataDir: string;
  fleet: Fleet;
  clock: Clock;
  events: EventBus;
  /** Where spools are kept, and the hooks that queue a print's use for Spoolman (see `materials/spoolman/`). */
  spoolSource?: Pick<InventoryDeps, 'source' | 'spoolmanUseInTx' | 'onSpoolmanUse'>;
}): { library: Library; farm: Farm; spools: SpoolInventory; maintenance: MaintenanceService } {
  const { db, dataDir, fleet, clock, events } = deps;
  const library = new Library(db, dataDir, clock, {
    updated: (file) => events.emit('library.updated', { file }),
    removed: (sha256) => events.emit('library.removed', { sha256 }),
    failed: (info) => events.emit('library.failed', info),
  });
  const spools = new SpoolInventory({
    db,
    clock,
    printerName: (id) => fleet.list().find((p) => p.id === id)?.name ?? null,
    onChange: (changed) => events.emit('spools.updated', { spools: changed }),
    traysOf: (id) => fleet.list().find((p) => p.id === id)?.status.trays ?? null,
    ...deps.spoolSource,
  });
  const maintenance = new MaintenanceService({
    db,
    clock,
    printerName: (id) => fleet.list().find((p) => p.id === id)?.name ?? null,
    onChange: (printerId, tasks) => events.emit('maintenance.updated', { printerId, tasks }),
  });
  const farm = new Farm(
    db,
    fleet,
    {
      fileForJob: (sha256) => {
        try {
          const f = library.get(sha256);
          return { name: f.name, ready: f.status === 'ready', filamentMm: f.filamentMm, filamentG: f.filamentG, material: f.material, colour: f.colour, heats: f.heats ?? null };
        } catch {
          return null;
        }
      },
      source: (sha256, name, printerKind) => library.source(sha256, name, printerKind),
      fileNamed: (name) => {
        const f = library.findReadyByName(name);
        return f && { sha256: f.sha256, filamentMm: f.filamentMm, filamentG: f.filamentG, material: f.material };
      },
    },
    clock,
    {
      jobs: (jobs) => events.emit('jobs.updated', { jobs }),
      profile: (profile) => events.emit('farm.profile', { profile }),
      settings: (settings) => events.emit('farm.settings', settings),
      history: (entry) => events.emit('history.added', { entry }),
    },
    spools,
    maintenance,
  );
  return { library, farm, spools, maintenance };
}

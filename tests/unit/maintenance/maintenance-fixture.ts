import type { FinishedJobState } from '../../../electron/core/contract/jobs-types';
import type { MaintenanceTaskView } from '../../../electron/core/contract/maintenance-types';
import { HistoryStore } from '../../../electron/core/jobs/history-store';
import { MaintenanceService, type NewTask } from '../../../electron/core/maintenance/maintenance-service';
import { openDatabase, type Db } from '../../../electron/core/store/database';
import { stepClock } from '../jobs/farm-fixture';

const HOUR = 3_600_000;

export interface MaintenanceFixture {
  db: Db;
  clock: ReturnType<typeof stepClock>;
  maintenance: MaintenanceService;
  changes: { printerId: string; tasks: MaintenanceTaskView[] }[];
  /** A print recorded in the history, as the farm records one, then told to the service as the farm tells it. */
  print(p: { printerId?: string; hours?: number; filamentG?: number | null; spoolG?: number | null; outcome?: FinishedJobState }): void;
  task(t: Partial<NewTask>): MaintenanceTaskView;
}

export function maintenanceFixture(printers: string[] = ['p1', 'p2']): MaintenanceFixture {
  const db = openDatabase('', { file: ':memory:' });
  const clock = stepClock();
  const history = new HistoryStore(db);
  const changes: MaintenanceFixture['changes'] = [];
  const maintenance = new MaintenanceService({
    db,
    clock,
    printerName: (id) => (printers.includes(id) ? `Printer ${id}` : null),
    onChange: (printerId, tasks) => changes.push({ printerId, tasks }),
  });
  let n = 0;
  return {
    db,
    clock,
    maintenance,
    changes,
    print({ printerId = 'p1', hours = 1, filamentG = null, spoolG = null, outcome = 'completed' }) {
      const jobId = `job-${++n}`;
      const start = clock.now();
      clock.advance(hours * HOUR);
      if (spoolG !== null) {
        db.prepare(
          `INSERT INTO spools (id, material, colour_hex, diameter_mm, density_g_cm3, net_weight_g, remaining_g, created_at, updated_at) VALUES (?, 'PLA', '#000000', 1.75, 1.24, 1000, 1000, 0, 0)`,
        ).run(`spool-${n}`);
        db.prepare(`INSERT INTO spool_usage (job_id, slot, spool_id, printer_id, started_at, fraction, grams, deducted_at) VALUES (?, 0, ?, ?, ?, 1, ?, ?)`).run(
          jobId,
          `spool-${n}`,
          printerId,
          start,
          spoolG,
          clock.now(),
        );
      }
      history.insert({
        jobId,
        source: 'queue',
        printerId,
        printerName: `Printer ${printerId}`,
        fileName: 'part.gcode',
        fileSha256: null,
        outcome,
        reason: null,
        startedAt: start,
        endedAt: clock.now(),
        filamentMm: null,
        filamentG,
        material: 'PLA',
        cost: null,
      });
      maintenance.printRecorded(printerId);
    },
    task(t) {
      return maintenance.create({
        printerId: 'p1',
        kind: 'nozzle',
        name: '',
        everyHours: null,
        everyGrams: null,
        everyPrints: null,
        holdWhenDue: false,
        countFrom: 'now',
        ...t,
      });
    },
  };
}

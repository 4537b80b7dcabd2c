import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { MaintenanceService } from '../../../electron/core/maintenance/maintenance-service';
import { migrate, MIGRATIONS, openDatabase, schemaVersion } from '../../../electron/core/store';
import { stepClock } from '../jobs/farm-fixture';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('an existing database (spools era) takes the maintenance tables, keeps its history, and that history can be counted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apf-maint-'));
  dirs.push(dir);
  const old = new Database(join(dir, 'autoprintfarm.db'));
  migrate(
    old,
    MIGRATIONS.filter((m) => m.version <= 10),
  );
  old
    .prepare(
      `INSERT INTO history (job_id, source, printer_id, printer_name, file_name, outcome, started_at, ended_at, filament_g) VALUES
       ('j1', 'queue', 'p1', 'Alpha', 'a.gcode', 'completed', 0, 7200000, 20), ('j2', 'manual', 'p1', 'Alpha', 'b.gcode', 'failed', 7200000, 9000000, 4.5)`,
    )
    .run();
  old.close();

  const db = openDatabase(dir);
  expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
  expect(db.prepare('SELECT COUNT(*) AS n FROM history').get()).toEqual({ n: 2 });
  const maintenance = new MaintenanceService({ db, clock: stepClock(), printerName: () => 'Alpha' });
  const whole = maintenance.create({ printerId: 'p1', kind: 'nozzle', name: '', everyHours: 2, everyGrams: null, everyPrints: null, holdWhenDue: true, countFrom: 'history' });
  const fresh = maintenance.create({ printerId: 'p1', kind: 'belts', name: '', everyHours: 2, everyGrams: null, everyPrints: null, holdWhenDue: false, countFrom: 'now' });
  expect(whole).toMatchObject({ counters: { hours: 2.5, grams: 24.5, prints: 2 }, state: 'due', holding: true });
  expect(fresh).toMatchObject({ counters: { hours: 0, grams: 0, prints: 0 }, state: 'ok' });
  // The database refuses what the contract refuses, should a bug ever get past it.
  expect(() => db.prepare(`INSERT INTO maintenance_tasks (id, printer_id, kind, name, since, created_at, updated_at) VALUES ('x', 'p1', 'nozzle', 'N', 0, 0, 0)`).run()).toThrow(
    /CHECK/,
  );
  db.close();
});

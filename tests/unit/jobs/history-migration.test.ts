import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../electron/core/jobs/history-store';
import { migrate, schemaVersion } from '../../../electron/core/store/database';
import { MIGRATIONS } from '../../../electron/core/store/migrations';

describe('history schema migration for prints started by hand', () => {
  it('keeps the history recorded before it, marked as queue prints, and continues its ids', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version === 1),
    );
    db.prepare(
      `INSERT INTO history (id, job_id, printer_id, printer_name, file_name, file_sha256, outcome, reason, started_at, ended_at, filament_mm, filament_g, material)
       VALUES (7, 'job-1', 'a', 'Alpha', 'old.gcode', ?, 'completed', NULL, 1000, 61000, 100, 0.3, 'PLA')`,
    ).run('e'.repeat(64));

    migrate(db, MIGRATIONS);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    const store = new HistoryStore(db);
    const manual = store.insert({
      jobId: 'print-2',
      source: 'manual',
      printerId: 'a',
      printerName: 'Alpha',
      fileName: 'unknown.gcode',
      fileSha256: null,
      outcome: 'cancelled',
      reason: null,
      startedAt: 70_000,
      endedAt: 80_000,
      filamentMm: null,
      filamentG: null,
      material: null,
      cost: null,
    });

    expect(manual.id).toBeGreaterThan(7);
    expect(store.list({ limit: 10 })).toEqual([
      expect.objectContaining({ source: 'manual', fileSha256: null, durationSeconds: 10 }),
      expect.objectContaining({ id: 7, jobId: 'job-1', source: 'queue', fileSha256: 'e'.repeat(64), durationSeconds: 60, material: 'PLA' }),
    ]);
    db.close();
  });
});

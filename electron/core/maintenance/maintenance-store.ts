import type { MaintenanceCounters, MaintenanceKind, MaintenanceLogEntry, MaintenanceTaskFields } from '../contract/maintenance-types';
import type { Db } from '../store/database';

/** A task as stored: its fields and where its counting starts. Counters and state are worked out from history. */
export interface TaskRecord extends MaintenanceTaskFields {
  id: string;
  printerId: string;
  since: number;
  afterHistoryId: number;
  lastDoneAt: number | null;
  createdAt: number;
  updatedAt: number;
}

interface TaskRow {
  id: string;
  printer_id: string;
  kind: MaintenanceKind;
  name: string;
  every_hours: number | null;
  every_grams: number | null;
  every_prints: number | null;
  hold_when_due: number;
  since: number;
  after_history_id: number;
  last_done_at: number | null;
  created_at: number;
  updated_at: number;
}

interface LogRow {
  id: number;
  task_id: string;
  printer_id: string;
  kind: MaintenanceKind;
  name: string;
  done_at: number;
  done_by: string;
  note: string;
  hours: number;
  grams: number;
  prints: number;
}

const fromTaskRow = (r: TaskRow): TaskRecord => ({
  id: r.id,
  printerId: r.printer_id,
  kind: r.kind,
  name: r.name,
  everyHours: r.every_hours,
  everyGrams: r.every_grams,
  everyPrints: r.every_prints,
  holdWhenDue: r.hold_when_due === 1,
  since: r.since,
  afterHistoryId: r.after_history_id,
  lastDoneAt: r.last_done_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const fromLogRow = (r: LogRow): MaintenanceLogEntry => ({
  id: r.id,
  taskId: r.task_id,
  printerId: r.printer_id,
  kind: r.kind,
  name: r.name,
  doneAt: r.done_at,
  doneBy: r.done_by,
  note: r.note,
  counters: { hours: r.hours, grams: r.grams, prints: r.prints },
});

/** The maintenance tables. Callers wrap multi-step changes in a transaction. */
export class MaintenanceStore {
  constructor(private readonly db: Db) {}

  allTasks(): TaskRecord[] {
    return (this.db.prepare('SELECT * FROM maintenance_tasks ORDER BY created_at, id').all() as TaskRow[]).map(fromTaskRow);
  }

  task(id: string): TaskRecord | null {
    const row = this.db.prepare('SELECT * FROM maintenance_tasks WHERE id = ?').get(id) as TaskRow | undefined;
    return row ? fromTaskRow(row) : null;
  }

  insertTask(t: TaskRecord): void {
    this.db
      .prepare(
        `INSERT INTO maintenance_tasks (id, printer_id, kind, name, every_hours, every_grams, every_prints, hold_when_due, since, after_history_id, last_done_at, created_at, updated_at)
         VALUES (@id, @printerId, @kind, @name, @everyHours, @everyGrams, @everyPrints, @hold, @since, @afterHistoryId, @lastDoneAt, @createdAt, @updatedAt)`,
      )
      .run({ ...t, hold: t.holdWhenDue ? 1 : 0 });
  }

  updateTask(t: TaskRecord): void {
    this.db
      .prepare(
        `UPDATE maintenance_tasks SET name = @name, every_hours = @everyHours, every_grams = @everyGrams, every_prints = @everyPrints, hold_when_due = @hold,
           since = @since, after_history_id = @afterHistoryId, last_done_at = @lastDoneAt, updated_at = @updatedAt WHERE id = @id`,
      )
      .run({ ...t, hold: t.holdWhenDue ? 1 : 0 });
  }

  deleteTask(id: string): void {
    this.db.prepare('DELETE FROM maintenance_tasks WHERE id = ?').run(id);
  }

  insertLog(e: Omit<MaintenanceLogEntry, 'id'>): MaintenanceLogEntry {
    const info = this.db
      .prepare(
        `INSERT INTO maintenance_log (task_id, printer_id, kind, name, done_at, done_by, note, hours, grams, prints)
         VALUES (@taskId, @printerId, @kind, @name, @doneAt, @doneBy, @note, @hours, @grams, @prints)`,
      )
      .run({ ...e, ...countersRow(e.counters) });
    return { ...e, id: Number(info.lastInsertRowid) };
  }

  log(printerId: string, limit: number): MaintenanceLogEntry[] {
    return (this.db.prepare('SELECT * FROM maintenance_log WHERE printer_id = ? ORDER BY id DESC LIMIT ?').all(printerId, limit) as LogRow[]).map(fromLogRow);
  }
}

const countersRow = (c: MaintenanceCounters) => ({ hours: c.hours, grams: c.grams, prints: c.prints });

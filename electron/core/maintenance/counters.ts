import type { MaintenanceCounters } from '../contract/maintenance-types';
import type { Db } from '../store/database';

/** Outcomes that count as a print; a cancelled one is not, though its hours and filament still count. */
const PRINT_OUTCOMES = `'completed', 'failed', 'interrupted'`;

/**
 * What a printer has done since a point in its history, read from the history rows after `afterHistoryId`:
 * - hours: each print's start to end (heating included: the machine was running);
 * - grams: what was weighed off the spool the print started with (`spool_usage`) where that is more than 0, else the
 *   history row's figure (the file's stated grams × the progress it reached), else nothing;
 * - prints: those that ended completed, failed or interrupted.
 * A print counts on the side of a completion it ended on; one still running counts when it ends.
 */
export class MaintenanceCounterReader {
  private readonly stmt;
  private readonly lastIdStmt;

  constructor(db: Db) {
    this.stmt = db.prepare(
      `SELECT
         COALESCE(SUM(MAX(0, h.ended_at - h.started_at)), 0) / 3600000.0 AS hours,
         COALESCE(SUM(COALESCE(
           NULLIF((SELECT SUM(u.grams) FROM spool_usage u WHERE u.job_id = h.job_id AND u.deducted_at IS NOT NULL), 0),
           h.filament_g,
           0)), 0) AS grams,
         COALESCE(SUM(CASE WHEN h.outcome IN (${PRINT_OUTCOMES}) THEN 1 ELSE 0 END), 0) AS prints
       FROM history h
       WHERE h.printer_id = ? AND h.id > ?`,
    );
    this.lastIdStmt = db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM history');
  }

  since(printerId: string, afterHistoryId: number): MaintenanceCounters {
    const r = this.stmt.get(printerId, afterHistoryId) as { hours: number; grams: number; prints: number };
    return { hours: round(r.hours, 3), grams: round(r.grams, 2), prints: r.prints };
  }

  /** The newest history row: a task counting from now counts the rows after it. */
  lastHistoryId(): number {
    return (this.lastIdStmt.get() as { id: number }).id;
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

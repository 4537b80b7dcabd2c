import type { Clock } from '../ports/clock';
import type { Db } from '../store/database';

/** How often a running print's progress is written: the most a crash can take off the line it reports. */
export const CHECKPOINT_EVERY_MS = 5000;

export interface Checkpoint {
  fraction: number;
  /** The last line sent to the printer (USB), or null where the printer streams its own file. */
  line: number | null;
  at: number;
}

/**
 * Where each running print had got to, kept in the database every few seconds: a USB print dies with the app,
 * and after a restart the job says how far it had got (the line a user would restart from) instead of nothing.
 */
export class ProgressCheckpoints {
  private readonly lastWrite = new Map<string, number>();
  private readonly write;
  private readonly read;
  private readonly remove;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.write = db.prepare(
      'INSERT INTO job_progress (job_id, fraction, line, at) VALUES (?, ?, ?, ?) ON CONFLICT(job_id) DO UPDATE SET fraction = excluded.fraction, line = excluded.line, at = excluded.at',
    );
    this.read = db.prepare<[string], Checkpoint>('SELECT fraction, line, at FROM job_progress WHERE job_id = ?');
    this.remove = db.prepare('DELETE FROM job_progress WHERE job_id = ?');
  }

  note(jobId: string, fraction: number, line: number | null): void {
    const now = this.clock.now();
    const last = this.lastWrite.get(jobId);
    if (last !== undefined && now - last < CHECKPOINT_EVERY_MS) return;
    this.lastWrite.set(jobId, now);
    this.write.run(jobId, fraction, line && line > 0 ? line : null, now);
  }

  last(jobId: string): Checkpoint | null {
    return this.read.get(jobId) ?? null;
  }

  /** The job ended: its checkpoint is of no more use. */
  forget(jobId: string): void {
    this.lastWrite.delete(jobId);
    this.remove.run(jobId);
  }
}

/** " It had got to line 12,345 of the file (42 %) a few seconds before." — or nothing when no checkpoint was written. */
export function checkpointSentence(c: Checkpoint | null): string {
  if (!c) return '';
  const percent = `${Math.round(c.fraction * 100)} %`;
  return c.line !== null
    ? ` It had reached line ${c.line.toLocaleString('en-US')} of the file (${percent}) at most ${CHECKPOINT_EVERY_MS / 1000} s before.`
    : ` It was at ${percent}.`;
}

import { newId } from './keys';
import type { JobStatus } from './lifecycle';
import type { Db } from './store';

/** A command the cloud sent a hub, and what the hub answered (command_ack). */
export interface CommandRecord {
  id: string;
  hubId: string;
  type: string;
  action: string;
  jobId: string | null;
  printerId: string | null;
  payload: Record<string, unknown>;
  /** The job status to go back to if the hub refuses the command (pause and resume). */
  revertTo: JobStatus | null;
  sentAt: number;
  ackedAt: number | null;
  success: boolean | null;
  error: string | null;
}

interface CommandRow {
  id: string;
  hub_id: string;
  type: string;
  action: string;
  job_id: string | null;
  printer_id: string | null;
  payload: string;
  revert_to: string | null;
  sent_at: number;
  acked_at: number | null;
  success: number | null;
  error: string | null;
}

const toRecord = (r: CommandRow): CommandRecord => ({
  id: r.id,
  hubId: r.hub_id,
  type: r.type,
  action: r.action,
  jobId: r.job_id,
  printerId: r.printer_id,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  revertTo: r.revert_to as JobStatus | null,
  sentAt: r.sent_at,
  ackedAt: r.acked_at,
  success: r.success === null ? null : r.success === 1,
  error: r.error,
});

/** Every command sent, persisted so an ack that arrives after a restart still finds its command. */
export class CommandLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Records a command about to be sent and returns its id. */
  record(c: {
    hubId: string;
    type: string;
    action: string;
    jobId?: string | null;
    printerId?: string | null;
    payload: Record<string, unknown>;
    revertTo?: JobStatus | null;
  }): string {
    const id = newId('cmd_');
    this.db
      .prepare(
        `INSERT INTO hub_commands (id, hub_id, type, action, job_id, printer_id, payload, revert_to, sent_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, c.hubId, c.type, c.action, c.jobId ?? null, c.printerId ?? null, JSON.stringify(c.payload), c.revertTo ?? null, this.now());
    return id;
  }

  get(id: string): CommandRecord | null {
    const row = this.db.prepare<[string], CommandRow>('SELECT * FROM hub_commands WHERE id = ?').get(id);
    return row ? toRecord(row) : null;
  }

  forJob(jobId: string): CommandRecord[] {
    return this.db.prepare<[string], CommandRow>('SELECT * FROM hub_commands WHERE job_id = ? ORDER BY rowid').all(jobId).map(toRecord);
  }

  /** Records the first ack of a command; a repeated ack changes nothing and returns false. */
  ack(id: string, success: boolean, error: string | null): boolean {
    return (
      this.db.prepare('UPDATE hub_commands SET acked_at = ?, success = ?, error = ? WHERE id = ? AND acked_at IS NULL').run(this.now(), success ? 1 : 0, error, id).changes === 1
    );
  }
}

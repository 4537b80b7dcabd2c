import type { Db } from '../../store/database';

export type UseState = 'pending' | 'sending' | 'sent' | 'failed';

export interface SpoolmanUse {
  jobId: string;
  slot: number;
  spoolmanId: number;
  /** The Spoolman server it is for: a use is never sent to another one. */
  baseUrl: string;
  grams: number;
  state: UseState;
  /** Spoolman's `used_weight` for the spool, read just before the request went out (set while `sending`). */
  usedBefore: number | null;
  attempts: number;
  problem: string | null;
  createdAt: number;
  sentAt: number | null;
}

interface Row {
  job_id: string;
  slot: number;
  spoolman_id: number;
  base_url: string;
  grams: number;
  state: UseState;
  used_before: number | null;
  attempts: number;
  problem: string | null;
  created_at: number;
  sent_at: number | null;
}

const fromRow = (r: Row): SpoolmanUse => ({
  jobId: r.job_id,
  slot: r.slot,
  spoolmanId: r.spoolman_id,
  baseUrl: r.base_url,
  grams: r.grams,
  state: r.state,
  usedBefore: r.used_before,
  attempts: r.attempts,
  problem: r.problem,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/**
 * The filament prints took from Spoolman spools, kept in SQLite until Spoolman has it. A row is written in the same
 * transaction that closes the job's usage row, so a use is never lost to a crash and never queued twice; each state
 * change is committed before (`sending`) and after (`sent`) the request, so a restart knows where it stopped.
 */
export class SpoolmanUseOutbox {
  constructor(private readonly db: Db) {}

  /** Inside the job's end transaction. The usage row closes once, so a second add for the same (job, slot) is ignored. */
  add(u: { jobId: string; slot: number; spoolmanId: number; grams: number; at: number }, baseUrl: string): void {
    this.db
      .prepare(`INSERT OR IGNORE INTO spoolman_uses (job_id, slot, spoolman_id, base_url, grams, state, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)`)
      .run(u.jobId, u.slot, u.spoolmanId, baseUrl, u.grams, u.at);
  }

  /** Uses not yet known to be in Spoolman, oldest first. */
  open(): SpoolmanUse[] {
    return (this.db.prepare(`SELECT * FROM spoolman_uses WHERE state IN ('pending', 'sending') ORDER BY created_at, job_id, slot`).all() as Row[]).map(fromRow);
  }

  refused(): SpoolmanUse[] {
    return (this.db.prepare(`SELECT * FROM spoolman_uses WHERE state = 'failed' ORDER BY created_at DESC, job_id, slot`).all() as Row[]).map(fromRow);
  }

  /** Grams used from each Spoolman spool that Spoolman does not have yet: its `remaining_weight` is that much too high. */
  unsentGrams(baseUrl: string): Map<number, number> {
    const rows = this.db
      .prepare(`SELECT spoolman_id, SUM(grams) AS g FROM spoolman_uses WHERE base_url = ? AND state IN ('pending', 'sending') GROUP BY spoolman_id`)
      .all(baseUrl) as {
      spoolman_id: number;
      g: number;
    }[];
    return new Map(rows.map((r) => [r.spoolman_id, r.g]));
  }

  markSending(u: SpoolmanUse, usedBefore: number): void {
    this.db.prepare(`UPDATE spoolman_uses SET state = 'sending', used_before = ?, attempts = attempts + 1 WHERE job_id = ? AND slot = ?`).run(usedBefore, u.jobId, u.slot);
  }

  /** The request surely did not reach Spoolman (connection refused): it is sent again later, with no check needed. */
  markPending(u: SpoolmanUse, problem: string): void {
    this.db.prepare(`UPDATE spoolman_uses SET state = 'pending', used_before = NULL, problem = ? WHERE job_id = ? AND slot = ?`).run(problem, u.jobId, u.slot);
  }

  /** The request may have reached Spoolman (no answer): it stays `sending`, and the next attempt checks first. */
  noteProblem(u: SpoolmanUse, problem: string): void {
    this.db.prepare(`UPDATE spoolman_uses SET problem = ? WHERE job_id = ? AND slot = ?`).run(problem, u.jobId, u.slot);
  }

  markSent(u: SpoolmanUse, at: number): void {
    this.db.prepare(`UPDATE spoolman_uses SET state = 'sent', problem = NULL, sent_at = ? WHERE job_id = ? AND slot = ?`).run(at, u.jobId, u.slot);
  }

  markRefused(u: SpoolmanUse, problem: string, at: number): void {
    this.db.prepare(`UPDATE spoolman_uses SET state = 'failed', problem = ?, sent_at = ? WHERE job_id = ? AND slot = ?`).run(problem, at, u.jobId, u.slot);
  }

  /** Every row of a job (tests and support read what happened). */
  ofJob(jobId: string): SpoolmanUse[] {
    return (this.db.prepare('SELECT * FROM spoolman_uses WHERE job_id = ? ORDER BY slot').all(jobId) as Row[]).map(fromRow);
  }
}

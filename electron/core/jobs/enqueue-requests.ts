import type { Db } from '../store/database';
import { AppError } from '../errors';

/** How long a client request id is remembered: far longer than any client waits before retrying. */
export const ENQUEUE_REQUEST_TTL_MS = 7 * 24 * 3600_000;

/**
 * The client request ids `jobs.enqueue` has seen, with the batch of jobs each one made. A client whose reply was
 * lost (the host crashed, the socket dropped) retries with the same id and gets those jobs back, not new ones.
 * Recorded in the same transaction as the jobs, so a crash keeps both or neither.
 */
export class EnqueueRequests {
  private readonly findStmt;
  private readonly insertStmt;
  private readonly pruneStmt;

  constructor(db: Db) {
    this.findStmt = db.prepare('SELECT batch_id, fingerprint FROM enqueue_requests WHERE request_id = ?');
    this.insertStmt = db.prepare('INSERT INTO enqueue_requests (request_id, batch_id, fingerprint, created_at) VALUES (?, ?, ?, ?)');
    this.pruneStmt = db.prepare('DELETE FROM enqueue_requests WHERE created_at < ?');
  }

  /** The batch an earlier call with this id made, or null; the same id with different input is refused. */
  batchOf(requestId: string, fingerprint: string): string | null {
    const row = this.findStmt.get(requestId) as { batch_id: string; fingerprint: string } | undefined;
    if (!row) return null;
    if (row.fingerprint !== fingerprint) {
      throw new AppError('conflict', 'This request id was already used to queue something else. Use a new id for a new request.');
    }
    return row.batch_id;
  }

  /** Call inside the transaction that inserts the batch's jobs. */
  record(requestId: string, batchId: string, fingerprint: string, at: number): void {
    this.pruneStmt.run(at - ENQUEUE_REQUEST_TTL_MS);
    this.insertStmt.run(requestId, batchId, fingerprint, at);
  }
}

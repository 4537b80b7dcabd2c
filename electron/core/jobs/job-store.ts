import type { Db } from '../store/database';
import { PRIORITIES, type JobState, type JobTarget, type JobView, type Priority } from '../contract/jobs-types';
import type { MaterialNeed } from '../contract/materials-types';

interface JobRow {
  id: string;
  seq: number;
  batch_id: string;
  copy_number: number;
  copies: number;
  file_sha256: string;
  file_name: string;
  priority: number;
  position: number;
  target_json: string;
  state: JobState;
  printer_id: string | null;
  reason: string | null;
  retry_of: string | null;
  start_count: number;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  cloud_job_id: string | null;
  cloud_printer_id: string | null;
  cloud_priority: number | null;
  need_json: string | null;
}

/** A job as stored: the view plus how many times it was started. */
export interface JobRecord extends JobView {
  startCount: number;
}

export const priorityRank = (p: Priority): number => PRIORITIES.indexOf(p);
const priorityName = (n: number): Priority => PRIORITIES[n] ?? 'normal';

function fromRow(r: JobRow): JobRecord {
  return {
    id: r.id,
    seq: r.seq,
    batchId: r.batch_id,
    copyNumber: r.copy_number,
    copies: r.copies,
    fileSha256: r.file_sha256,
    fileName: r.file_name,
    priority: priorityName(r.priority),
    position: r.position,
    target: JSON.parse(r.target_json) as JobTarget,
    state: r.state,
    printerId: r.printer_id,
    reason: r.reason,
    retryOf: r.retry_of,
    startCount: r.start_count,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    version: 0,
    need: r.need_json ? (JSON.parse(r.need_json) as MaterialNeed) : null,
    waiting: null,
    cloud:
      r.cloud_job_id && r.cloud_printer_id ? { jobId: r.cloud_job_id, printerId: r.cloud_printer_id, ...(r.cloud_priority !== null ? { priority: r.cloud_priority } : {}) } : null,
  };
}

export function toJobView(r: JobRecord): JobView {
  const { startCount: _startCount, ...view } = r;
  return { ...view };
}

/** The jobs table. Callers wrap multi-step changes in `db.transaction` so each change commits whole. */
export class JobStore {
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly getStmt;
  private readonly maxSeqStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO jobs (id, seq, batch_id, copy_number, copies, file_sha256, file_name, priority, position, target_json, state, printer_id, reason, retry_of, start_count, created_at, started_at, ended_at, cloud_job_id, cloud_printer_id, cloud_priority, need_json)
       VALUES (@id, @seq, @batch_id, @copy_number, @copies, @file_sha256, @file_name, @priority, @position, @target_json, @state, @printer_id, @reason, @retry_of, @start_count, @created_at, @started_at, @ended_at, @cloud_job_id, @cloud_printer_id, @cloud_priority, @need_json)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE jobs SET priority = @priority, position = @position, state = @state, printer_id = @printer_id, reason = @reason,
         start_count = @start_count, started_at = @started_at, ended_at = @ended_at WHERE id = @id`,
    );
    this.getStmt = db.prepare('SELECT * FROM jobs WHERE id = ?');
    this.maxSeqStmt = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM jobs');
  }

  maxSeq(): number {
    return (this.maxSeqStmt.get() as { seq: number }).seq;
  }

  insert(j: JobRecord): void {
    this.insertStmt.run(toRow(j));
  }

  /** Writes the mutable fields (state, printer, reason, times, place in the queue). */
  update(j: JobRecord): void {
    const r = toRow(j);
    this.updateStmt.run({
      id: r.id,
      priority: r.priority,
      position: r.position,
      state: r.state,
      printer_id: r.printer_id,
      reason: r.reason,
      start_count: r.start_count,
      started_at: r.started_at,
      ended_at: r.ended_at,
    });
  }

  /** A queued job's material need, edited by the user. */
  setNeed(id: string, need: MaterialNeed | null): void {
    this.db.prepare('UPDATE jobs SET need_json = ? WHERE id = ?').run(need ? JSON.stringify(need) : null, id);
  }

  get(id: string): JobRecord | null {
    const row = this.getStmt.get(id) as JobRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Every job not yet finished (queued and active), the set the dispatcher keeps in memory. */
  unfinished(): JobRecord[] {
    return (this.db.prepare(`SELECT * FROM jobs WHERE state IN ('queued','starting','printing','paused') ORDER BY seq`).all() as JobRow[]).map(fromRow);
  }

  /** The local job a cloud job became, if it was already accepted. */
  byCloudJob(cloudJobId: string): JobRecord | null {
    const row = this.db.prepare('SELECT * FROM jobs WHERE cloud_job_id = ?').get(cloudJobId) as JobRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** The copies one enqueue made, in copy order. */
  inBatch(batchId: string): JobRecord[] {
    return (this.db.prepare('SELECT * FROM jobs WHERE batch_id = ? ORDER BY copy_number').all(batchId) as JobRow[]).map(fromRow);
  }

  /** The most recently ended jobs, newest first. */
  recentFinished(limit: number): JobRecord[] {
    return (
      this.db.prepare(`SELECT * FROM jobs WHERE state IN ('completed','failed','cancelled','interrupted') ORDER BY ended_at DESC, seq DESC LIMIT ?`).all(limit) as JobRow[]
    ).map(fromRow);
  }

  countReferencing(sha256: string): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE file_sha256 = ? AND state IN ('queued','starting','printing','paused')`).get(sha256) as { n: number }).n;
  }
}

function toRow(j: JobRecord): JobRow {
  return {
    id: j.id,
    seq: j.seq,
    batch_id: j.batchId,
    copy_number: j.copyNumber,
    copies: j.copies,
    file_sha256: j.fileSha256,
    file_name: j.fileName,
    priority: priorityRank(j.priority),
    position: j.position,
    target_json: JSON.stringify(j.target),
    state: j.state,
    printer_id: j.printerId,
    reason: j.reason,
    retry_of: j.retryOf,
    start_count: j.startCount,
    created_at: j.createdAt,
    started_at: j.startedAt,
    ended_at: j.endedAt,
    cloud_job_id: j.cloud?.jobId ?? null,
    cloud_printer_id: j.cloud?.printerId ?? null,
    cloud_priority: j.cloud?.priority ?? null,
    need_json: j.need ? JSON.stringify(j.need) : null,
  };
}

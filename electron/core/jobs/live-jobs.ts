import type { JobView, Priority } from '../contract/jobs-types';
import { AppError } from '../errors';
import { priorityRank, toJobView, type JobRecord, type JobStore } from './job-store';
import { QueueOrder, type OrderedEntry } from './queue-order';
import { needKey } from '../materials/matching';
import { fileFormatOf, targetKey } from './requirements';

export const isActive = (j: JobRecord) => j.state === 'starting' || j.state === 'printing' || j.state === 'paused';
export const isFinished = (j: JobRecord) => j.state === 'completed' || j.state === 'failed' || j.state === 'cancelled' || j.state === 'interrupted';

/**
 * The unfinished jobs held in memory, so dispatch never reads the database: by id, in the order they will run,
 * and by the printer running them. A job change goes through `commit`, which writes the row before the indexes
 * change and the UI hears of it, each announcement stamped with a newer version so a stale copy can be dropped.
 */
export class LiveJobs {
  /** Unfinished jobs (queued and active) by id. */
  readonly byId = new Map<string, JobRecord>();
  readonly queue = new QueueOrder();
  readonly activeByPrinter = new Map<string, string>();
  private seq: number;
  /** Stamps every announced job change (JobView.version). */
  private version = 0;

  constructor(
    readonly store: JobStore,
    private readonly onAnnounce: (jobs: JobView[]) => void,
  ) {
    this.seq = store.maxSeq();
  }

  /** The next queue number: a new job's place, or the end of its priority for one moved there. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** A queued job, after its row is committed. */
  admit(job: JobRecord): void {
    this.byId.set(job.id, job);
    this.queue.insert(orderEntry(job));
  }

  /** The job in memory if unfinished (the copy that changes), else its row. */
  find(jobId: string): JobRecord | null {
    return this.byId.get(jobId) ?? this.store.get(jobId);
  }

  require(jobId: string): JobRecord {
    const job = this.find(jobId);
    if (!job) throw new AppError('not_found', 'That job no longer exists.');
    return job;
  }

  requireQueued(jobId: string): JobRecord {
    const job = this.require(jobId);
    if (job.state !== 'queued') throw new AppError('conflict', 'Only a queued job can be moved or re-prioritised.');
    return this.byId.get(jobId)!;
  }

  /** Tells the UI about jobs whose change has been committed, each stamped with a newer version. */
  announce(jobs: JobRecord[]): JobView[] {
    for (const job of jobs) job.version = ++this.version;
    const views = jobs.map(toJobView);
    this.onAnnounce(views);
    return views;
  }

  /** Writes one job change, then tells the UI. */
  commit(job: JobRecord, patch: Partial<JobRecord>): void {
    const next = { ...job, ...patch };
    this.store.update(next);
    Object.assign(job, patch);
    if (isFinished(job)) {
      this.byId.delete(job.id);
      this.queue.remove(job.id);
    }
    this.announce([job]);
  }

  /** A queued job's new place or priority: committed, and the queue order follows. */
  reposition(job: JobRecord, patch: { position: number; priority: Priority }): void {
    this.queue.remove(job.id);
    this.commit(job, patch);
    this.queue.insert(orderEntry(job));
  }

  /** Grows with every announced job change: a cheap way to tell whether the queue changed since a look. */
  get changeCount(): number {
    return this.version;
  }

  startingCount(): number {
    let n = 0;
    for (const id of this.activeByPrinter.values()) if (this.byId.get(id)?.state === 'starting') n++;
    return n;
  }
}

export function orderEntry(job: JobRecord): OrderedEntry {
  return {
    id: job.id,
    target: job.target,
    key: targetKey(job.target),
    format: fileFormatOf(job.fileName),
    need: job.need,
    needKey: needKey(job.need),
    priority: priorityRank(job.priority),
    position: job.position,
    seq: job.seq,
  };
}

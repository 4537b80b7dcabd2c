import type { JobState, JobView } from '../contract/jobs-types';

/** The job statuses a hub reports to the cloud (cloud-hub.md `job_event`). */
export type CloudJobStatus = 'uploaded' | 'printing' | 'paused' | 'completed' | 'failed' | 'cancelled';

/** What the translation needs of a local job: its state, why, when, and the cloud's ids. */
export type CloudJobSnapshot = Pick<JobView, 'id' | 'state' | 'reason' | 'startedAt' | 'endedAt' | 'cloud'>;

/**
 * How a local job's state reads in the cloud. Queued here is still `processing` there (the cloud set it when it
 * sent the job); starting means the file is with the printer; a print interrupted by a crash or a lost printer
 * failed, with its reason.
 */
const STATUS: Record<JobState, CloudJobStatus | null> = {
  queued: null,
  starting: 'uploaded',
  printing: 'printing',
  paused: 'paused',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'failed',
};

export const FINAL_CLOUD_STATUSES: ReadonlySet<CloudJobStatus> = new Set(['completed', 'failed', 'cancelled']);

/**
 * The statuses to report to move the cloud's job from `from` (null: still processing there) to `to`, following
 * the cloud's transitions (cloud-hub.md "Jobs in the cloud"): a job seen printing for the first time was uploaded
 * first, a job completed from pause was printing again. The cloud refuses a jump it does not allow, so a job whose
 * middle the hub missed (it was stopped, or the app crashed between the change and its report) is walked through.
 */
export function statusSteps(from: CloudJobStatus | null, to: CloudJobStatus): CloudJobStatus[] {
  // Nothing follows an end in the cloud (a retry there is a new start), and a status is reported once.
  if (from === to || (from !== null && FINAL_CLOUD_STATUSES.has(from))) return [];
  // Failed and cancelled are allowed from every active status.
  if (to === 'failed' || to === 'cancelled' || to === 'uploaded') return [to];
  const steps: CloudJobStatus[] = [];
  if (from === null) steps.push('uploaded');
  // Paused and completed come only from printing; printing comes from uploaded or paused.
  if ((to === 'paused' || to === 'completed') && from !== 'printing') steps.push('printing');
  steps.push(to);
  return steps;
}

export interface JobEventMessage {
  type: 'job_event';
  job_id: string;
  printer_id: string;
  status: CloudJobStatus;
  at: string;
  actual_print_time_minutes?: number;
  failure_reason?: string;
}

/** The last status the hub queued for each cloud job: kept in the database with the outbox, so a restart resumes it. */
export interface ReportLedger {
  reported(jobId: string): CloudJobStatus | null;
  record(jobId: string, status: CloudJobStatus): void;
}

export function memoryLedger(): ReportLedger {
  const map = new Map<string, CloudJobStatus>();
  return { reported: (id) => map.get(id) ?? null, record: (id, s) => void map.set(id, s) };
}

export interface CloudJobEventsOptions {
  ledger?: ReportLedger;
  /** Runs the queueing of a job's events and its ledger entry as one commit. */
  transaction?: <T>(work: () => T) => T;
  /** After a commit: the queued events may be sent. */
  committed?: () => void;
}

/**
 * Turns the farm's job updates into the `job_event`s the cloud applies: one per change of a cloud job's status
 * (the farm announces a job for other changes too, such as a reason), each handed to the outbox in the same
 * commit as the ledger entry that says it was queued. Given every cloud job at start, it reports what happened
 * while the hub was not listening (prints the restart found interrupted, changes a crash cut off before their
 * report). Jobs queued here, not sent by the cloud, are not reported.
 */
export class CloudJobEvents {
  private readonly ledger: ReportLedger;
  private readonly transaction: <T>(work: () => T) => T;

  constructor(
    private readonly deliver: (message: JobEventMessage) => void,
    private readonly opts: CloudJobEventsOptions = {},
  ) {
    this.ledger = opts.ledger ?? memoryLedger();
    this.transaction = opts.transaction ?? ((work) => work());
  }

  onJobs(jobs: readonly CloudJobSnapshot[]): void {
    let queued = false;
    for (const job of jobs) {
      const cloud = job.cloud;
      if (!cloud) continue;
      const status = STATUS[job.state];
      if (!status) continue;
      queued =
        this.transaction(() => {
          const steps = statusSteps(this.ledger.reported(job.id), status);
          if (!steps.length) return false;
          for (const step of steps) this.deliver(message(job, cloud, step));
          this.ledger.record(job.id, status);
          return true;
        }) || queued;
    }
    if (queued) this.opts.committed?.();
  }
}

function message(job: CloudJobSnapshot, cloud: NonNullable<CloudJobSnapshot['cloud']>, status: CloudJobStatus): JobEventMessage {
  const final = FINAL_CLOUD_STATUSES.has(status);
  const at = new Date((final ? job.endedAt : null) ?? job.startedAt ?? Date.now()).toISOString();
  const minutes = status === 'completed' && job.startedAt !== null && job.endedAt !== null ? Math.round((job.endedAt - job.startedAt) / 60_000) : null;
  return {
    type: 'job_event',
    job_id: cloud.jobId,
    printer_id: cloud.printerId,
    status,
    at,
    ...(minutes !== null ? { actual_print_time_minutes: minutes } : {}),
    ...(status === 'failed' && job.reason ? { failure_reason: job.reason } : {}),
  };
}

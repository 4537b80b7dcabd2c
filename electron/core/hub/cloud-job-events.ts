import type { JobState, JobView } from '../contract/jobs-types';

/** The job statuses a hub reports to the cloud (cloud-hub.md `job_event`). */
export type CloudJobStatus = 'uploaded' | 'printing' | 'paused' | 'completed' | 'failed' | 'cancelled';

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

const FINAL: ReadonlySet<CloudJobStatus> = new Set(['completed', 'failed', 'cancelled']);

export interface JobEventMessage {
  type: 'job_event';
  job_id: string;
  printer_id: string;
  status: CloudJobStatus;
  at: string;
  actual_print_time_minutes?: number;
  failure_reason?: string;
}

/**
 * Turns the farm's job updates into the `job_event`s the cloud applies: one per change of a cloud job's
 * status (the farm announces a job for other changes too, such as a reason), each handed to the outbox, which
 * keeps it until the cloud acknowledges it. Jobs queued here, not sent by the cloud, are not reported.
 */
export class CloudJobEvents {
  private readonly reported = new Map<string, CloudJobStatus>();

  constructor(private readonly deliver: (message: JobEventMessage) => void) {}

  onJobs(jobs: readonly JobView[]): void {
    for (const job of jobs) {
      if (!job.cloud) continue;
      const status = STATUS[job.state];
      if (!status || this.reported.get(job.id) === status) continue;
      if (FINAL.has(status)) this.reported.delete(job.id);
      else this.reported.set(job.id, status);
      const at = new Date(job.endedAt ?? Date.now()).toISOString();
      const minutes = status === 'completed' && job.startedAt !== null && job.endedAt !== null ? Math.round((job.endedAt - job.startedAt) / 60_000) : null;
      this.deliver({
        type: 'job_event',
        job_id: job.cloud.jobId,
        printer_id: job.cloud.printerId,
        status,
        at,
        ...(minutes !== null ? { actual_print_time_minutes: minutes } : {}),
        ...(status === 'failed' && job.reason ? { failure_reason: job.reason } : {}),
      });
    }
  }
}

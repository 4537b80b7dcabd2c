import type { JobState } from '../contract/jobs-types';
import type { Db } from '../store/database';
import type { CloudJobSnapshot, CloudJobStatus, ReportLedger } from './cloud-job-events';

/** The ledger of what the hub queued for each cloud job (migration 6), next to the outbox in the same database. */
export function dbLedger(db: Db): ReportLedger {
  const read = db.prepare<[string], { status: CloudJobStatus }>('SELECT status FROM hub_job_reports WHERE job_id = ?');
  const write = db.prepare('INSERT INTO hub_job_reports (job_id, status) VALUES (?, ?) ON CONFLICT(job_id) DO UPDATE SET status = excluded.status');
  return {
    reported: (jobId) => read.get(jobId)?.status ?? null,
    record: (jobId, status) => void write.run(jobId, status),
  };
}

interface Row {
  id: string;
  state: JobState;
  reason: string | null;
  started_at: number | null;
  ended_at: number | null;
  cloud_job_id: string;
  cloud_printer_id: string;
}

/**
 * The cloud jobs whose end the cloud may not have heard: none reported yet, or last reported as still going. Read
 * straight from the farm's jobs table at the hub's start, because the farm settles what a restart found (prints
 * interrupted by a crash) before the hub is listening.
 */
export function cloudJobsToReconcile(db: Db): CloudJobSnapshot[] {
  const rows = db
    .prepare<[], Row>(
      `SELECT j.id, j.state, j.reason, j.started_at, j.ended_at, j.cloud_job_id, j.cloud_printer_id
         FROM jobs j LEFT JOIN hub_job_reports r ON r.job_id = j.id
        WHERE j.cloud_job_id IS NOT NULL AND j.state != 'queued'
          AND (r.status IS NULL OR r.status NOT IN ('completed', 'failed', 'cancelled'))
        ORDER BY j.seq`,
    )
    .all();
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    reason: r.reason,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    cloud: { jobId: r.cloud_job_id, printerId: r.cloud_printer_id },
  }));
}

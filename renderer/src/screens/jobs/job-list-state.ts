import { compareQueued, type JobView } from '../../../../electron/core/contract/jobs-types';

/** The Jobs screen's copy of the queue: every unfinished job and the most recent finished ones, by id. */
export type JobMap = ReadonlyMap<string, JobView>;

/** Finished jobs kept on screen; older ones live on in the History screen. */
export const FINISHED_KEPT = 200;

const isActive = (j: JobView) => j.state === 'starting' || j.state === 'printing' || j.state === 'paused';
const isFinished = (j: JobView) => j.state === 'completed' || j.state === 'failed' || j.state === 'cancelled' || j.state === 'interrupted';

export function jobMap(list: readonly JobView[]): Map<string, JobView> {
  return new Map(list.map((j) => [j.id, j]));
}

/**
 * Applies the jobs a `jobs.updated` event carries (each in full), instead of loading the whole list again.
 * A copy older than the one held (a lower version) is ignored, so events that crossed a list load cannot undo it.
 * Only the newest FINISHED_KEPT finished jobs are kept.
 */
export function applyJobChanges(current: JobMap, changed: readonly JobView[], finishedKept = FINISHED_KEPT): Map<string, JobView> {
  const next = new Map(current);
  let finishedAdded = false;
  for (const job of changed) {
    const held = next.get(job.id);
    if (held && held.version > job.version) continue;
    next.set(job.id, job);
    if (isFinished(job)) finishedAdded = true;
  }
  if (finishedAdded) {
    const finished = [...next.values()].filter(isFinished);
    if (finished.length > finishedKept) for (const old of finished.sort(newestEndFirst).slice(finishedKept)) next.delete(old.id);
  }
  return next;
}

export interface JobSections {
  /** Running jobs, the earliest started first. */
  active: JobView[];
  /** Queued jobs in the order the queue will start them. */
  queued: JobView[];
  /** Ended jobs, the most recent first. */
  finished: JobView[];
}

export function jobSections(jobs: JobMap): JobSections {
  const active: JobView[] = [];
  const queued: JobView[] = [];
  const finished: JobView[] = [];
  for (const j of jobs.values()) {
    if (j.state === 'queued') queued.push(j);
    else if (isActive(j)) active.push(j);
    else finished.push(j);
  }
  active.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0) || a.seq - b.seq);
  queued.sort(compareQueued);
  finished.sort(newestEndFirst);
  return { active, queued, finished };
}

function newestEndFirst(a: JobView, b: JobView): number {
  return (b.endedAt ?? 0) - (a.endedAt ?? 0) || b.seq - a.seq;
}

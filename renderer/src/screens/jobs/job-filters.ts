import type { JobView } from '../../../../electron/core/contract/jobs-types';

export type JobFilter = 'all' | 'queued' | 'active' | 'finished';

/** Which jobs a filter shows; text matches the file name, ignoring case. */
export function filterJobs(jobs: readonly JobView[], filter: JobFilter, text: string): JobView[] {
  const needle = text.trim().toLowerCase();
  return jobs.filter((j) => {
    if (needle && !j.fileName.toLowerCase().includes(needle)) return false;
    switch (filter) {
      case 'all':
        return true;
      case 'queued':
        return j.state === 'queued';
      case 'active':
        return j.state === 'starting' || j.state === 'printing' || j.state === 'paused';
      case 'finished':
        return j.state === 'completed' || j.state === 'failed' || j.state === 'cancelled' || j.state === 'interrupted';
    }
  });
}

const STATE_PILL: Record<JobView['state'], string> = {
  queued: 'pill',
  starting: 'pill pill-busy',
  printing: 'pill pill-printing',
  paused: 'pill pill-paused',
  completed: 'pill pill-idle',
  failed: 'pill pill-error',
  cancelled: 'pill',
  interrupted: 'pill pill-error',
};

export const statePillClass = (s: JobView['state']) => STATE_PILL[s];

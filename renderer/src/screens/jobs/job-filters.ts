import type { JobView } from '../../../../electron/core/contract/jobs-types';

/** Which sections of the queue the Jobs screen shows. */
export type JobFilter = 'all' | 'queued' | 'active' | 'finished';

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

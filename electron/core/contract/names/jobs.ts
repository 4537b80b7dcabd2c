export const JOB_METHODS = [
  'jobs.list',
  'jobs.enqueue',
  'jobs.cancel',
  'jobs.retry',
  'jobs.reorder',
  'jobs.move',
  'jobs.setPriority',
  'jobs.profiles',
  'jobs.updateProfile',
  'jobs.confirmBedClear',
  'jobs.getSettings',
  'jobs.updateSettings',
] as const;

export const SNAPSHOT_METHODS = ['snapshots.list', 'snapshots.timelapse', 'snapshots.setTimelapse'] as const;

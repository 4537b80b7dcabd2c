/**
 * Pictures kept with a print: one when the first layer is down, one at its end (or at its failure), and, when the
 * printer's time-lapse is on, a frame at each layer change, assembled into a video when the print ends if this
 * computer has ffmpeg (else kept as a strip of frames).
 */
export const SNAPSHOT_KINDS = ['first-layer', 'end', 'failure', 'timelapse-frame', 'timelapse-video'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

export interface SnapshotView {
  id: number;
  /** The history entry it belongs to; null while its print still runs. */
  historyId: number | null;
  printerId: string;
  kind: SnapshotKind;
  takenAt: number;
  /** The layer being printed when it was taken, when the printer or file says. */
  layer: number | null;
  /** The host's route for the picture or video (`/snapshot/<id>`), with the session's rights. */
  path: string;
  contentType: 'image/jpeg' | 'video/webm';
  bytes: number;
}

/** A printer's time-lapse option, what it holds now and how its time-lapses are assembled here. */
export interface TimelapseView {
  printerId: string;
  enabled: boolean;
  /** The printer's time-lapses are kept under this many MiB: the oldest go first. */
  capMb: number;
  usedBytes: number;
  /** `video`: frames become a WebM when the print ends (ffmpeg found); `frames`: they are kept as a strip. */
  assembly: 'video' | 'frames';
  /** Why a video cannot be made here and what to install; null when it can. */
  assemblyProblem: string | null;
}

export const DEFAULT_TIMELAPSE_CAP_MB = 500;

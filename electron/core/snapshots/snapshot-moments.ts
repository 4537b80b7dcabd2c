import type { PrinterStatus } from '../contract/printer-model';

/** A printer without layer reports gets its first-layer picture at this share of the file. */
export const FIRST_LAYER_FRACTION_FALLBACK = 0.03;

/** What the snapshots follow of one running print, from one status to the next. */
export interface PrintRun {
  /** The print's own start time as the printer reports it: a new value is a new print. */
  startedAt: number;
  firstLayerTaken: boolean;
  /** The last layer a time-lapse frame was taken at, or (without layers) the last whole percent. */
  lastStep: number | null;
  /** Set once the print's history entry is written: the print is over, whatever the printer still reports. */
  historyId: number | null;
}

export type Moment = { kind: 'first-layer'; layer: number | null } | { kind: 'timelapse-frame'; layer: number | null };

/**
 * The pictures a status asks for. The first layer is done when the second starts (or, for a printer that
 * does not say its layer, at 3 % of the file); a time-lapse frame is taken at each layer change (or at each
 * whole percent). Returns the run to keep (a new one when a new print started; null when nothing prints).
 */
export function momentsOf(run: PrintRun | null, status: PrinterStatus, timelapse: boolean): { run: PrintRun | null; moments: Moment[] } {
  const state = status.state;
  if (state.kind !== 'printing' && state.kind !== 'paused') return { run: null, moments: [] };
  const job = state.job;
  const next: PrintRun = run && run.startedAt === job.startedAt ? { ...run } : { startedAt: job.startedAt, firstLayerTaken: false, lastStep: null, historyId: null };
  if (state.kind === 'paused') return { run: next, moments: [] };
  const moments: Moment[] = [];
  const layer = job.layer?.current ?? null;
  if (!next.firstLayerTaken && (layer !== null ? layer >= 2 : job.fraction >= FIRST_LAYER_FRACTION_FALLBACK)) {
    next.firstLayerTaken = true;
    moments.push({ kind: 'first-layer', layer: layer !== null ? 1 : null });
  }
  const step = layer ?? Math.floor(job.fraction * 100);
  if (timelapse && step > (next.lastStep ?? -1)) {
    // The first frame of a print is its first report: a print whose time-lapse was turned on halfway starts there.
    moments.push({ kind: 'timelapse-frame', layer });
  }
  if (step > (next.lastStep ?? -1)) next.lastStep = step;
  return { run: next, moments };
}

import type { PrinterView } from '../../../../electron/core/contract';
import type { HeaterReading } from '../../../../electron/core/contract/printer-model';

/**
 * What a wall tile shows of a printer, as plain values at the wall's own precision: whole degrees, whole percent,
 * whole minutes. A printer reports several times a second and its temperatures wobble by tenths; the tile
 * (memoised on these values) re-renders only when something a person across the room could see has changed.
 */
export interface WallFace {
  name: string;
  fileName: string | null;
  percent: number | null;
  layer: string | null;
  /** Whole minutes left, when the printer or file can tell. */
  minutesLeft: number | null;
  hotend: string;
  bed: string;
}

export function wallHeater(h: HeaterReading | null | undefined): string {
  if (!h) return '—';
  return h.target > 0 ? `${Math.round(h.actual)} / ${Math.round(h.target)} °C` : `${Math.round(h.actual)} °C`;
}

export function wallFaceOf(printer: PrinterView): WallFace {
  const { state, temperatures } = printer.status;
  const job = state.kind === 'printing' || state.kind === 'paused' ? state.job : null;
  return {
    name: printer.name,
    fileName: job?.fileName ?? null,
    percent: job ? Math.floor(job.fraction * 100) : null,
    layer: job?.layer ? `Layer ${job.layer.current}${job.layer.total ? ` / ${job.layer.total}` : ''}` : null,
    minutesLeft: job && job.remainingSeconds !== null ? Math.ceil(job.remainingSeconds / 60) : null,
    hotend: wallHeater(temperatures.hotend),
    bed: wallHeater(temperatures.bed),
  };
}

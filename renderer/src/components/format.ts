import type { HeaterReading, PrinterState } from '../../../electron/core/printers/model';

export function formatHeater(h: HeaterReading | null): string {
  if (!h) return '—';
  return h.target > 0 ? `${h.actual.toFixed(1)} / ${h.target.toFixed(0)} °C` : `${h.actual.toFixed(1)} °C`;
}

const STATE_LABEL: Record<PrinterState['kind'], string> = {
  offline: 'Offline',
  connecting: 'Connecting',
  idle: 'Ready',
  busy: 'Busy',
  printing: 'Printing',
  paused: 'Paused',
  error: 'Error',
};

const PHASE_LABEL = { pausing: 'Pausing', resuming: 'Resuming', cancelling: 'Cancelling' } as const;

export function stateLabel(state: PrinterState): string {
  if ((state.kind === 'printing' || state.kind === 'paused') && state.phase) return PHASE_LABEL[state.phase];
  return STATE_LABEL[state.kind];
}

export function stateDetail(state: PrinterState): string | null {
  switch (state.kind) {
    case 'offline':
      return state.reason;
    case 'busy':
      return state.what;
    case 'error':
      return state.message;
    case 'printing':
    case 'paused':
      return `${state.job.fileName} · ${(state.job.fraction * 100).toFixed(1)} %`;
    default:
      return null;
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : m > 0 ? `${m} min ${String(sec).padStart(2, '0')} s` : `${sec} s`;
}

import type { PrinterView, TemperatureSample } from '../../../electron/core/contract';
import type { EventPayloads } from '../../../electron/core/contract';

export const MAX_SAMPLES = 1200;

export interface PrintersSlice {
  printers: Record<string, PrinterView>;
  order: string[];
  /** Temperature samples per printer, oldest first, bounded. */
  samples: Record<string, TemperatureSample[]>;
}

export const emptyPrinters: PrintersSlice = { printers: {}, order: [], samples: {} };

/** Pure reducers: the store applies them to events, tests apply them directly. */
export function replacePrinters(state: PrintersSlice, list: PrinterView[]): PrintersSlice {
  const printers: Record<string, PrinterView> = {};
  for (const p of list) printers[p.id] = p;
  const samples: Record<string, TemperatureSample[]> = {};
  for (const p of list) samples[p.id] = state.samples[p.id] ?? [];
  return { printers, order: list.map((p) => p.id), samples };
}

export function applyStatus(state: PrintersSlice, event: EventPayloads['printer.status']): PrintersSlice {
  const current = state.printers[event.printerId];
  if (!current) return state;
  const printers = { ...state.printers, [event.printerId]: { ...current, status: event.status } };
  if (!event.sample) return { ...state, printers };
  return { ...state, printers, samples: { ...state.samples, [event.printerId]: appendSample(state.samples[event.printerId] ?? [], event.sample) } };
}

/** Several status events in one state change: a farm of 200 printers sends hundreds a second. */
export function applyStatuses(state: PrintersSlice, events: readonly EventPayloads['printer.status'][]): PrintersSlice {
  let next = state;
  for (const event of events) next = applyStatus(next, event);
  return next;
}

export function setHistory(state: PrintersSlice, printerId: string, history: TemperatureSample[]): PrintersSlice {
  // Events may have arrived while the history was on its way: keep those that are newer.
  const newest = history.at(-1)?.t ?? -Infinity;
  const later = (state.samples[printerId] ?? []).filter((s) => s.t > newest);
  return { ...state, samples: { ...state.samples, [printerId]: [...history, ...later].slice(-MAX_SAMPLES) } };
}

function appendSample(list: TemperatureSample[], sample: TemperatureSample): TemperatureSample[] {
  const next = list.length >= MAX_SAMPLES ? list.slice(list.length - MAX_SAMPLES + 1) : list.slice();
  next.push(sample);
  return next;
}

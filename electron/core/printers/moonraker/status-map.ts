import type { ReportedPhase } from '../lan-common/lan-driver';

/** Moonraker's printer objects as this app subscribes to them, and how they map onto the common model. */
export const SUBSCRIBED_OBJECTS = {
  webhooks: ['state', 'state_message'],
  print_stats: ['state', 'filename', 'print_duration', 'message', 'info'],
  virtual_sdcard: ['progress'],
  extruder: ['temperature', 'target'],
  heater_bed: ['temperature', 'target'],
  toolhead: ['position', 'homed_axes'],
} as const;

export interface KlipperObjects {
  webhooks?: { state?: string; state_message?: string };
  /** `info` holds the layers when the slicer's start G-code sets them (SET_PRINT_STATS_INFO); null otherwise. */
  print_stats?: { state?: string; filename?: string; print_duration?: number; message?: string; info?: { current_layer?: number | null; total_layer?: number | null } };
  virtual_sdcard?: { progress?: number };
  extruder?: { temperature?: number; target?: number };
  heater_bed?: { temperature?: number; target?: number };
  toolhead?: { position?: number[]; homed_axes?: string };
}

/** Merges a `notify_status_update` delta into the snapshot (only changed fields arrive). */
export function mergeObjects(into: KlipperObjects, delta: unknown): void {
  if (!delta || typeof delta !== 'object') return;
  for (const [name, fields] of Object.entries(delta as Record<string, unknown>)) {
    if (!(name in SUBSCRIBED_OBJECTS) || !fields || typeof fields !== 'object') continue;
    const key = name as keyof KlipperObjects;
    into[key] = { ...(into[key] as object), ...fields };
  }
}

/** Seconds left, from elapsed print time and progress; null until there is enough progress to say. */
export function remainingFromProgress(elapsedS: number | undefined, progress: number): number | null {
  if (!elapsedS || progress < 0.01 || progress >= 1) return null;
  return Math.round((elapsedS * (1 - progress)) / progress);
}

/** Klipper's state in common terms: `webhooks` says whether Klipper runs at all, `print_stats` what it prints. */
export function klipperPhase(o: KlipperObjects): ReportedPhase {
  const hooks = o.webhooks?.state ?? 'ready';
  if (hooks === 'shutdown' || hooks === 'error') return { kind: 'error', message: o.webhooks?.state_message || 'Klipper reports an error.' };
  if (hooks !== 'ready') return { kind: 'busy', what: o.webhooks?.state_message || 'Klipper is starting.' };
  const stats = o.print_stats ?? {};
  switch (stats.state) {
    case 'printing':
      return { kind: 'printing' };
    case 'paused':
      return { kind: 'paused' };
    case 'complete':
      return { kind: 'idle', ended: { kind: 'completed' } };
    case 'cancelled':
      return { kind: 'idle', ended: { kind: 'cancelled' } };
    case 'error':
      return { kind: 'idle', ended: { kind: 'failed', reason: stats.message || 'Klipper stopped the print with an error.' } };
    default:
      return { kind: 'idle' };
  }
}

/** Klipper's "layer n of m", when the print reports one. */
export function klipperLayer(o: KlipperObjects): { current: number; total: number | null } | undefined {
  const info = o.print_stats?.info;
  if (typeof info?.current_layer !== 'number') return undefined;
  return { current: info.current_layer, total: typeof info.total_layer === 'number' ? info.total_layer : null };
}

/** Moonraker's printer objects as this app subscribes to them, and how they map onto the common model. */
export const SUBSCRIBED_OBJECTS = {
  webhooks: ['state', 'state_message'],
  print_stats: ['state', 'filename', 'print_duration', 'message'],
  virtual_sdcard: ['progress'],
  extruder: ['temperature', 'target'],
  heater_bed: ['temperature', 'target'],
  toolhead: ['position', 'homed_axes'],
} as const;

export interface KlipperObjects {
  webhooks?: { state?: string; state_message?: string };
  print_stats?: { state?: string; filename?: string; print_duration?: number; message?: string };
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
    into[key] = { ...(into[key] as object), ...(fields as object) } as never;
  }
}

/** Seconds left, from elapsed print time and progress; null until there is enough progress to say. */
export function remainingFromProgress(elapsedS: number | undefined, progress: number): number | null {
  if (!elapsedS || progress < 0.01 || progress >= 1) return null;
  return Math.round((elapsedS * (1 - progress)) / progress);
}

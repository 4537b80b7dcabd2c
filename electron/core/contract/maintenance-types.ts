/**
 * Maintenance tasks per printer, as the UI sees them. Shared with the renderer as types and constants only: no
 * Node imports here.
 */

export const MAINTENANCE_KINDS = ['nozzle', 'belts', 'lubrication', 'cleaning', 'custom'] as const;
export type MaintenanceKind = (typeof MAINTENANCE_KINDS)[number];

export const MAINTENANCE_KIND_LABEL: { readonly [K in MaintenanceKind]: string } = {
  nozzle: 'Nozzle change',
  belts: 'Belt tension',
  lubrication: 'Lubrication',
  cleaning: 'Cleaning',
  custom: 'Custom task',
};

/** When a task falls due: any combination, at least one. A task is due as soon as any one is reached. */
export interface MaintenanceThresholds {
  everyHours: number | null;
  everyGrams: number | null;
  everyPrints: number | null;
}

/** What a user sets on a task. */
export interface MaintenanceTaskFields extends MaintenanceThresholds {
  kind: MaintenanceKind;
  /** Shown as given; for the standard kinds it defaults to the kind's label. */
  name: string;
  /** The queue starts nothing on the printer while this task is due, until it is marked done. */
  holdWhenDue: boolean;
}

/** What a printer has done since a task was last done (or, never done, since it was added). */
export interface MaintenanceCounters {
  /** Hours of the prints that ended since then, start to end. */
  hours: number;
  /** Filament those prints used: the grams weighed off their spool where one was loaded, else the file's figure × progress. */
  grams: number;
  /** Prints that ended completed, failed or interrupted (a cancelled one is not a print, though its hours and grams count). */
  prints: number;
}

export type MaintenanceState = 'ok' | 'soon' | 'due';

/** One threshold against its counter; `fraction` can pass 1 (overdue). */
export interface MaintenanceProgress {
  measure: 'hours' | 'grams' | 'prints';
  used: number;
  limit: number;
  fraction: number;
}

export interface MaintenanceTaskView extends MaintenanceTaskFields {
  id: string;
  printerId: string;
  /** Counting from here: when it was added, or when it was last marked done. */
  since: number;
  lastDoneAt: number | null;
  createdAt: number;
  updatedAt: number;
  counters: MaintenanceCounters;
  progress: MaintenanceProgress[];
  /** `soon` from 90 % of any threshold, `due` when any is reached. */
  state: MaintenanceState;
  /** "nozzle change due (212 h of 200 h)" when due, else null: the words the queue, the tile and the tray use. */
  dueText: string | null;
  /** Due and set to hold: the queue starts nothing on this printer until it is marked done. */
  holding: boolean;
}

/** One completion: who did what, when, with the counters it reset. Kept when the task is later removed. */
export interface MaintenanceLogEntry {
  id: number;
  taskId: string;
  printerId: string;
  kind: MaintenanceKind;
  name: string;
  doneAt: number;
  doneBy: string;
  note: string;
  counters: MaintenanceCounters;
}

/**
 * Tasks offered when a printer has none; the user picks which to add and may change their numbers first. None
 * holds the queue: that is the user's choice per task.
 */
export const SUGGESTED_MAINTENANCE: readonly MaintenanceTaskFields[] = [
  { kind: 'nozzle', name: 'Nozzle change', everyHours: 500, everyGrams: null, everyPrints: null, holdWhenDue: false },
  { kind: 'belts', name: 'Belt tension', everyHours: 300, everyGrams: null, everyPrints: null, holdWhenDue: false },
  { kind: 'lubrication', name: 'Lubrication', everyHours: 200, everyGrams: null, everyPrints: null, holdWhenDue: false },
  { kind: 'cleaning', name: 'Cleaning', everyHours: null, everyGrams: null, everyPrints: 25, holdWhenDue: false },
];

/**
 * The farm layer as the UI sees it: library files, queued jobs, per-printer farm profiles and history.
 * Shared with the renderer as types and constants only: no Node imports here.
 */
import type { CostAnalytics, PrintCost } from './cost-types';

import type { MaterialMatching, MaterialNeed } from './materials-types';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** queued → starting → printing ⇄ paused → completed | failed | cancelled | interrupted. */
export const JOB_STATES = ['queued', 'starting', 'printing', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const ACTIVE_JOB_STATES = ['starting', 'printing', 'paused'] as const satisfies readonly JobState[];
export const FINISHED_JOB_STATES = ['completed', 'failed', 'cancelled', 'interrupted'] as const satisfies readonly JobState[];
export type FinishedJobState = (typeof FINISHED_JOB_STATES)[number];

/** What a printer must have to take a job. Every field left out matches any printer. */
export interface JobRequirements {
  printerModel?: string;
  nozzleDiameter?: number;
  material?: string;
  group?: string;
  /** The printer must carry every one of these tags. */
  tags?: string[];
}

/** Either requirements that any compatible printer can meet, or one fixed printer. */
export type JobTarget = { kind: 'any'; requirements: JobRequirements } | { kind: 'printer'; printerId: string };

/** Where a job came from when the AutoPrintFarm cloud sent it: the cloud's own ids for the job and the printer. */
export interface CloudJobRef {
  jobId: string;
  printerId: string;
  /** The cloud's priority (0–255: low 10, normal 50, high 100, urgent 200) when it sent one. */
  priority?: number;
}

export interface JobView {
  id: string;
  /** Jobs queued together as copies share a batch. */
  batchId: string;
  copyNumber: number;
  copies: number;
  fileSha256: string;
  fileName: string;
  priority: Priority;
  target: JobTarget;
  state: JobState;
  /** The printer the job was given to (null while queued). */
  printerId: string | null;
  /** Why the job is where it is: the reason of a failed start, a failure or an interruption. */
  reason: string | null;
  /** The job this one retries, if any. */
  retryOf: string | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /**
   * Where a queued job stands: queued jobs run by priority (urgent first), then by `position` (drag order), then
   * by `seq` (the order they were queued). A screen that applies `jobs.updated` events sorts with these.
   */
  position: number;
  seq: number;
  /**
   * Grows with every change to any job while the app runs: of two copies of the same job, the one with the higher
   * version is the newer, whichever arrived last. 0 when read back from the database: a job not changed since the
   * app started, or a finished one (which never changes again, so any copy of it is current).
   */
  version: number;
  /** Set for a job the AutoPrintFarm cloud sent to this hub; null for a job queued here. */
  cloud: CloudJobRef | null;
  /**
   * What the job needs on the printer's spool (from its file where the slicer states it; editable while queued).
   * Null for a job queued before spools existed: it matches any printer.
   */
  need: MaterialNeed | null;
  /** Why a queued job cannot start on any printer's loaded filament ("no printer has PETG black with ≥ 35 g loaded"); null otherwise. */
  waiting: string | null;
}

/** The order the queue runs queued jobs in (the core's own order, for screens that keep a copy of the queue). */
export function compareQueued(a: Pick<JobView, 'priority' | 'position' | 'seq'>, b: Pick<JobView, 'priority' | 'position' | 'seq'>): number {
  return PRIORITIES.indexOf(b.priority) - PRIORITIES.indexOf(a.priority) || a.position - b.position || a.seq - b.seq;
}

export type FileStatus = 'analyzing' | 'ready';

/**
 * How a library file reaches a printer: plain G-code text, a Bambu Studio / OrcaSlicer `.gcode.3mf` (a ZIP
 * whose plate G-code only Bambu firmware unpacks), or Prusa binary G-code (`.bgcode`: sent as it is to PrusaLink,
 * decoded to text for the other printers that read G-code).
 */
export type PrintFileFormat = 'gcode' | 'gcode.3mf' | 'bgcode';

export interface LibraryFileView {
  sha256: string;
  name: string;
  format: PrintFileFormat;
  /** Sliced plates in a .gcode.3mf (its first plate is the one printed); null for plain G-code. */
  plates: number | null;
  sizeBytes: number;
  addedAt: number;
  status: FileStatus;
  /** 0..1 while analyzing. */
  progress: number;
  slicer: string | null;
  estimatedSeconds: number | null;
  /**
   * Whether the file switches a heater on; null when not known (analysed by an older version, or a
   * container the full pass does not read). A job whose file does not heat is printing as soon as it starts.
   */
  heats: boolean | null;
  /** Our own estimate, when the slicer gave none or as a check on it. */
  ourEstimatedSeconds: number | null;
  filamentMm: number | null;
  filamentG: number | null;
  layerHeight: number | null;
  nozzleDiameter: number | null;
  printerModel: string | null;
  material: string | null;
  /** The first extruder's filament colour (`#RRGGBB`) where the slicer states it. */
  colour: string | null;
  layers: number | null;
  lines: number | null;
  /** A data: URL (PNG or JPEG) of the largest browser-readable thumbnail. */
  thumbnail: string | null;
  warnings: string[];
}

export type BedState = 'clear' | 'needs_clear';

/** What the farm knows about a printer besides its connection: what it can print and whether its bed is free. */
export interface FarmProfile {
  printerId: string;
  model: string | null;
  nozzleDiameter: number | null;
  material: string | null;
  group: string | null;
  tags: string[];
  /** The printer clears its own bed after a completed print (belt, plate changer): no confirmation needed. */
  autoEject: boolean;
  bed: BedState;
  /** The job whose end left the bed to clear. */
  bedJobId: string | null;
}

export interface FarmSettings {
  /** At most this many printers heating or starting at once, so a farm does not trip its breaker. */
  maxConcurrentStarts: number;
  /** How the queue uses the spools loaded (see `MaterialMatching`). */
  materialMatching: MaterialMatching;
}

/** Who started a print: the queue's dispatcher, or someone by hand (the printer's own screen, its web page, a console). */
export const HISTORY_SOURCES = ['queue', 'manual'] as const;
export type HistorySource = (typeof HISTORY_SOURCES)[number];

export interface HistoryEntry {
  id: number;
  /**
   * The queue job's id. A print started by hand has no job; it gets an id of its own here, so every print in the
   * history (and its CSV) has one identity and no job is ever created for it.
   */
  jobId: string;
  source: HistorySource;
  printerId: string;
  printerName: string;
  fileName: string;
  /** Null for a print started by hand of a file that is not in the library. */
  fileSha256: string | null;
  outcome: FinishedJobState;
  reason: string | null;
  startedAt: number;
  endedAt: number;
  durationSeconds: number;
  filamentMm: number | null;
  filamentG: number | null;
  material: string | null;
  /** What it cost, as it was when it ended; null when no rate was set then (or it ended before costs were kept). */
  cost: PrintCost | null;
}

export interface HistoryAnalytics {
  from: number;
  to: number;
  total: number;
  successRate: number | null;
  byOutcome: Record<FinishedJobState, number>;
  /** Prints the queue started and prints started by hand; both count in every figure. */
  bySource: Record<HistorySource, number>;
  /** Printing time / period length per printer, 0..1. */
  utilisation: { printerId: string; printerName: string; printingSeconds: number; fraction: number; jobs: number }[];
  filamentByMaterial: { material: string; grams: number; mm: number }[];
  /** One row per day (UTC midnight, ms) in the period. */
  perDay: { day: number; completed: number; failed: number }[];
  cost: CostAnalytics;
}

/**
 * The state rules of printers and jobs, as pure functions so the routes, the tests and a reader can
 * all see in one place which moves are legal. An illegal move is answered with 409 invalid_state.
 */

export const PRINTER_STATUSES = ['idle', 'printing', 'paused', 'offline', 'error'] as const;
export type PrinterStatus = (typeof PRINTER_STATUSES)[number];

export const PRINTER_ACTIONS = ['pause', 'resume', 'cancel', 'home', 'cooldown'] as const;
export type PrinterAction = (typeof PRINTER_ACTIONS)[number];

/** For each action, the statuses it fits and the status it leaves behind (undefined = unchanged). */
const ACTION_RULES: Record<PrinterAction, { from: readonly PrinterStatus[]; to?: PrinterStatus }> = {
  pause: { from: ['printing'], to: 'paused' },
  resume: { from: ['paused'], to: 'printing' },
  cancel: { from: ['printing', 'paused'], to: 'idle' },
  // Moving the axes during a (paused) print would ruin it, and an offline or faulted printer cannot move.
  home: { from: ['idle'] },
  // Cooling is always safe except mid-print, and it is what you want on a faulted printer.
  cooldown: { from: ['idle', 'paused', 'error'] },
};

export type ActionOutcome = { ok: true; status: PrinterStatus } | { ok: false; fitsStatuses: readonly PrinterStatus[] };

export function applyPrinterAction(status: PrinterStatus, action: PrinterAction): ActionOutcome {
  const rule = ACTION_RULES[action];
  if (!rule.from.includes(status)) return { ok: false, fitsStatuses: rule.from };
  return { ok: true, status: rule.to ?? status };
}

/** The job statuses of the real product (research/apf-api.md §3, spec/cloud-hub.md "Jobs in the cloud"). */
export const JOB_STATUSES = ['queued', 'processing', 'uploaded', 'printing', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses in which a job holds its printer: between start (or a claim) and its end. */
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ['processing', 'uploaded', 'printing', 'paused'];

/** The named priority levels and the integers they stand for; any integer 0–255 is a priority. */
export const PRIORITY_LEVELS = { low: 10, normal: 50, high: 100, urgent: 200 } as const;
export type PriorityName = keyof typeof PRIORITY_LEVELS;
export const PRIORITY_NAMES = Object.keys(PRIORITY_LEVELS) as PriorityName[];
export const DEFAULT_PRIORITY = PRIORITY_LEVELS.normal;

/** A priority as given on input: an integer 0–255, or one of the old names (still accepted). Null if neither. */
export function parsePriority(value: unknown): number | null {
  if (typeof value === 'string' && Object.hasOwn(PRIORITY_LEVELS, value)) return PRIORITY_LEVELS[value as PriorityName];
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255) return value;
  return null;
}

/**
 * The real product's transitions (lib/job-queue.ts): completed and cancelled are final, a failed job may be
 * queued again (retry). Staying in the same status is not a transition and is always allowed.
 */
const JOB_TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['processing', 'cancelled'],
  processing: ['uploaded', 'failed', 'cancelled'],
  uploaded: ['printing', 'failed', 'cancelled'],
  printing: ['completed', 'paused', 'failed', 'cancelled'],
  paused: ['printing', 'cancelled'],
  failed: ['queued'],
  completed: [],
  cancelled: [],
};

export function canMoveJob(from: JobStatus, to: JobStatus): boolean {
  return from === to || JOB_TRANSITIONS[from].includes(to);
}

export function isFinished(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

export function isActive(status: JobStatus): boolean {
  return ACTIVE_JOB_STATUSES.includes(status);
}

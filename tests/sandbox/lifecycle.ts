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

export const JOB_STATUSES = ['queued', 'printing', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type JobPriority = (typeof JOB_PRIORITIES)[number];

/** Completed and cancelled are final; a failed job may be queued again (retry). */
const JOB_TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['printing', 'failed', 'cancelled'],
  printing: ['completed', 'failed', 'cancelled'],
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

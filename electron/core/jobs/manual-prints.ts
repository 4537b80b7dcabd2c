import type { FinishedJobState } from '../contract/jobs-types';
import type { JobEnd, PrinterState } from '../printers/model';

/** How a print the queue did not start ended, as far as the app could see it. */
export interface ManualPrintEnd {
  printerId: string;
  fileName: string;
  startedAt: number;
  endedAt: number;
  outcome: FinishedJobState;
  reason: string | null;
  /** How far it got (1 when completed); null when it was never seen printing. */
  fraction: number | null;
}

interface Run {
  fileName: string;
  startedAt: number;
  fraction: number;
  /** The printer went offline during the run: if it comes back idle, nobody saw how the print ended. */
  lostContact: boolean;
}

/**
 * A print that reached this share of its file and then stopped is counted as completed: printers' last progress
 * report before they finish is often short of 100 % (Klipper's virtual_sdcard, whole-percent reports).
 */
const DONE_FRACTION = 0.98;

const isRunning = (s: PrinterState): s is Extract<PrinterState, { kind: 'printing' | 'paused' }> => s.kind === 'printing' || s.kind === 'paused';
const isUnreachable = (s: PrinterState) => s.kind === 'offline' || s.kind === 'connecting';
const percent = (f: number) => `${Math.round(f * 100)} %`;

/**
 * Prints started by hand (on the printer's own screen or web page, from an SD card, or through the app outside
 * the queue), followed from the printers' status so the history counts every print on the farm. No queue job
 * is created for them. Drivers report the end only of prints started through the app, so for the others the
 * end is read from the state the printer goes to: idle at the end of the file = completed, idle before it =
 * stopped on the printer (cancelled), an error = failed. A driver's own report, when there is one, wins.
 *
 * The farm asks this only about printers with no queue job running. After a queue job ends, what the printer
 * still prints is that job's (the tail of the print, or the same print still running after contact was lost
 * and the job was recorded as interrupted) until the printer is seen stopped: it is not a new print by hand.
 */
export class ManualPrints {
  private readonly runs = new Map<string, Run>();
  /** Runs whose end was read from the state, waiting one turn for a driver's own report of it. */
  private readonly ending = new Map<string, ManualPrintEnd>();
  private readonly queueTail = new Set<string>();

  /** A print by hand is running or ending on this printer: the queue must not start anything there. */
  busy(printerId: string): boolean {
    return this.runs.has(printerId) || this.ending.has(printerId);
  }

  /** A queue job on this printer ended while the printer was in `state`. */
  queueJobEnded(printerId: string, state: PrinterState | null): void {
    this.runs.delete(printerId);
    this.ending.delete(printerId);
    if (state && (isRunning(state) || isUnreachable(state))) this.queueTail.add(printerId);
    else this.queueTail.delete(printerId);
  }

  /**
   * The status of a printer with no queue job on it. Returns true when a run just ended: the caller collects it
   * with `takeEnded` after giving the driver a turn to report the end itself.
   */
  observe(printerId: string, state: PrinterState, at: number): boolean {
    if (this.queueTail.has(printerId)) {
      if (!isRunning(state) && !isUnreachable(state)) this.queueTail.delete(printerId);
      return false;
    }
    const run = this.runs.get(printerId);
    if (isRunning(state)) {
      const { fileName, startedAt, fraction } = state.job;
      if (run && run.fileName === fileName && run.startedAt === startedAt) {
        run.fraction = fraction;
        run.lostContact = false;
        return false;
      }
      // A different print without a stop in between: the previous one ended unseen.
      const ended = run ? this.endFromState(printerId, run, { kind: 'idle' }, at) : null;
      this.runs.set(printerId, { fileName, startedAt, fraction, lostContact: false });
      if (ended) this.ending.set(printerId, ended);
      return ended !== null;
    }
    if (!run) return false;
    if (isUnreachable(state)) {
      run.lostContact = true;
      return false;
    }
    this.runs.delete(printerId);
    this.ending.set(printerId, this.endFromState(printerId, run, state, at));
    return true;
  }

  /** The driver reported the end of a print no queue job owns. Returns the print to record, or null when it is not one. */
  reported(printerId: string, end: JobEnd): ManualPrintEnd | null {
    // A late report about the queue job's print (its job was already ended by the farm).
    if (this.queueTail.has(printerId) && !this.runs.has(printerId)) return null;
    const run = this.runs.get(printerId);
    const pending = this.ending.get(printerId);
    this.runs.delete(printerId);
    this.ending.delete(printerId);
    const o = end.outcome;
    const startedAt = run?.startedAt ?? pending?.startedAt ?? end.at;
    const fraction = o.kind === 'completed' ? 1 : (run?.fraction ?? pending?.fraction ?? null);
    return {
      printerId,
      fileName: end.fileName,
      startedAt: Math.min(startedAt, end.at),
      endedAt: end.at,
      outcome: o.kind,
      reason: o.kind === 'failed' || o.kind === 'interrupted' ? o.reason : null,
      fraction,
    };
  }

  /** The end read from the state, unless the driver reported it meanwhile. */
  takeEnded(printerId: string): ManualPrintEnd | null {
    const ended = this.ending.get(printerId) ?? null;
    this.ending.delete(printerId);
    return ended;
  }

  /** The printer was removed from the fleet: a print running on it ends here, its outcome unknown. */
  removed(printerId: string, at: number): ManualPrintEnd | null {
    this.queueTail.delete(printerId);
    const pending = this.ending.get(printerId);
    this.ending.delete(printerId);
    const run = this.runs.get(printerId);
    this.runs.delete(printerId);
    if (pending) return pending;
    if (!run) return null;
    return {
      printerId,
      fileName: run.fileName,
      startedAt: run.startedAt,
      endedAt: at,
      outcome: 'interrupted',
      reason: 'The printer was removed from the farm during this print.',
      fraction: run.fraction,
    };
  }

  private endFromState(printerId: string, run: Run, state: PrinterState, at: number): ManualPrintEnd {
    const base = { printerId, fileName: run.fileName, startedAt: Math.min(run.startedAt, at), endedAt: at };
    if (state.kind === 'error') return { ...base, outcome: 'failed', reason: state.message, fraction: run.fraction };
    if (run.fraction >= DONE_FRACTION) return { ...base, outcome: 'completed', reason: null, fraction: 1 };
    if (run.lostContact) {
      return {
        ...base,
        outcome: 'interrupted',
        reason: `Contact with the printer was lost during this print (last seen at ${percent(run.fraction)}), so how it ended is not known.`,
        fraction: run.fraction,
      };
    }
    return { ...base, outcome: 'cancelled', reason: `Stopped at ${percent(run.fraction)} on the printer itself.`, fraction: run.fraction };
  }
}

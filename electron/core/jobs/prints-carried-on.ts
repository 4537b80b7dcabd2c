import type { PrinterKind } from '../contract/printer-model';
import type { Clock } from '../ports/clock';
import { sameFile } from '../printers/lan-common/lan-driver';
import type { PrinterStatus } from '../printers/model';

/** A network printer that has not answered by then after a restart is not waited for any longer. */
export const CARRIED_ON_WAIT_MS = 10 * 60_000;

/** Printers that print from their own storage: a print there outlives the app. */
export function printsOnItsOwn(kind: PrinterKind | undefined): boolean {
  return kind === 'octoprint' || kind === 'moonraker' || kind === 'prusalink' || kind === 'bambu';
}

export interface CarriedOnPrint {
  printerId: string;
  jobId: string;
  fileName: string;
}

export type CarriedOnOutcome =
  /** Still printing (or paused in) the job's file: the job is followed to its real end. */
  | { kind: 'followed' }
  /** Back, but not printing it: it ended while nobody was watching, and how is unknown. */
  | { kind: 'gone'; reason: string }
  /** Not back within CARRIED_ON_WAIT_MS. */
  | { kind: 'unreachable'; reason: string };

export interface CarriedOnFleet {
  statusOf(printerId: string): PrinterStatus | null;
  onPrinterStatus(listener: (printerId: string, status: PrinterStatus) => void): () => void;
}

/**
 * A network printer prints from its own storage, so its print goes on when the app dies. After a restart, each
 * print that was running on one stays the printer's job until the printer answers: still printing the same file,
 * the job is followed to its real end (the end the printer reports); anything else, and the job is interrupted
 * with what was seen. USB prints are not waited for: they died with the app.
 */
export class PrintsCarriedOn {
  private readonly waiting = new Map<string, CarriedOnPrint>();
  private readonly giveUp = new Map<string, { cancel(): void }>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly fleet: CarriedOnFleet,
    private readonly resolve: (print: CarriedOnPrint, outcome: CarriedOnOutcome) => void,
    private readonly clock: Clock,
  ) {}

  watch(prints: readonly CarriedOnPrint[]): void {
    if (!prints.length) return;
    for (const p of prints) {
      this.waiting.set(p.printerId, p);
      this.giveUp.set(
        p.printerId,
        this.clock.setTimeout(
          () =>
            this.settle(p, {
              kind: 'unreachable',
              reason: `AutoPrintFarm stopped while this print was running, and the printer has not answered in the ${CARRIED_ON_WAIT_MS / 60_000} minutes since it started again, so how the print ended is unknown. Check the part and clear the bed.`,
            }),
          CARRIED_ON_WAIT_MS,
        ),
      );
    }
    this.unsubscribe ??= this.fleet.onPrinterStatus((id, status) => this.consider(id, status));
    for (const p of prints) {
      const status = this.fleet.statusOf(p.printerId);
      if (status) this.consider(p.printerId, status);
    }
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const t of this.giveUp.values()) t.cancel();
    this.giveUp.clear();
  }

  private consider(printerId: string, status: PrinterStatus): void {
    const print = this.waiting.get(printerId);
    if (!print) return;
    const state = status.state;
    if (state.kind === 'offline' || state.kind === 'connecting') return;
    if ((state.kind === 'printing' || state.kind === 'paused') && sameFile(state.job.fileName, print.fileName)) return this.settle(print, { kind: 'followed' });
    const now =
      state.kind === 'printing' || state.kind === 'paused'
        ? `printing ${state.job.fileName} instead`
        : state.kind === 'error'
          ? `in error (${state.message})`
          : 'not printing it any more';
    this.settle(print, {
      kind: 'gone',
      reason: `AutoPrintFarm stopped while this print was running; when it started again the printer was ${now}, so how the print ended is unknown. Check the part and clear the bed.`,
    });
  }

  private settle(print: CarriedOnPrint, outcome: CarriedOnOutcome): void {
    if (this.waiting.get(print.printerId) !== print) return;
    this.waiting.delete(print.printerId);
    this.giveUp.get(print.printerId)?.cancel();
    this.giveUp.delete(print.printerId);
    if (this.waiting.size === 0) this.close();
    this.resolve(print, outcome);
  }
}

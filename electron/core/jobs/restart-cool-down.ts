import type { CoolDownReport, PrinterNotice } from '../contract';
import type { Clock } from '../ports/clock';
import type { PrinterStatus } from '../printers/model';

/**
 * A printer that has just connected may not have reported its temperatures yet. The user should learn how
 * hot it was, so the cool-down waits for the first report, but never longer than this.
 */
const WAIT_FOR_TEMPERATURES_MS = 5_000;

/** A print that was running when the app stopped without closing (a crash, `kill -9`, a power cut of the PC). */
export interface PrintLeftBehind {
  printerId: string;
  jobId: string;
  fileName: string;
}

/** What this needs from the fleet: each printer's status as it comes and goes, and the means to make it safe. */
export interface CoolDownFleet {
  statusOf(printerId: string): PrinterStatus | null;
  onPrinterStatus(listener: (printerId: string, status: PrinterStatus) => void): () => void;
  coolDown(printerId: string): Promise<CoolDownReport>;
  setNotice(printerId: string, notice: PrinterNotice): void;
}

/** How it went for one printer, recorded with the job (its reason and its history entry). */
export type CoolDownOutcome =
  | { kind: 'made-safe'; message: string }
  /** The printer carries on by itself (a LAN printer prints from its own storage): its heaters are in use. */
  | { kind: 'still-printing'; message: string }
  | { kind: 'failed'; message: string };

/**
 * Firmware keeps heating until told otherwise, so a USB print that died with the app leaves a printer at
 * 200 °C with nobody streaming to it. On start, each printer whose print was interrupted that way is made safe
 * as soon as it is back and not printing: heaters and part fan off, motors released. The printer shows a
 * notice and the job's history says so. A printer still printing on its own (a LAN printer keeps going
 * without us) is left alone, and that is recorded too. A printer that never comes back this session is not
 * touched: there is nothing to send to.
 */
export class RestartCoolDown {
  private readonly waiting = new Map<string, PrintLeftBehind>();
  private readonly inProgress = new Set<string>();
  /** When each printer was first seen connected without temperatures, and the timer that stops waiting for them. */
  private readonly awaitingTemperatures = new Map<string, { since: number; timer: { cancel(): void } }>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly fleet: CoolDownFleet,
    private readonly record: (left: PrintLeftBehind, outcome: CoolDownOutcome) => void,
    private readonly clock: Clock,
  ) {}

  /** Starts watching the printers of these prints; each is handled once. */
  watch(prints: readonly PrintLeftBehind[]): void {
    for (const p of prints) this.waiting.set(p.printerId, p);
    if (this.waiting.size === 0) return;
    this.unsubscribe ??= this.fleet.onPrinterStatus((id, status) => this.consider(id, status));
    for (const p of prints) {
      const status = this.fleet.statusOf(p.printerId);
      if (status) this.consider(p.printerId, status);
    }
  }

  /** Whether this printer was left hot and is not dealt with yet (the dispatcher keeps off it meanwhile). */
  isWaiting(printerId: string): boolean {
    return this.waiting.has(printerId);
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const w of this.awaitingTemperatures.values()) w.timer.cancel();
    this.awaitingTemperatures.clear();
  }

  private consider(printerId: string, status: PrinterStatus): void {
    const left = this.waiting.get(printerId);
    if (!left || this.inProgress.has(printerId)) return;
    const state = status.state;
    if (state.kind === 'offline' || state.kind === 'connecting') return;
    if (state.kind === 'printing' || state.kind === 'paused') {
      this.done(left, {
        kind: 'still-printing',
        message: `When AutoPrintFarm started again the printer was still ${state.kind === 'paused' ? 'paused in' : 'printing'} ${state.job.fileName} on its own, so its heaters were left on.`,
      });
      return;
    }
    if (!status.temperatures.hotend && !status.temperatures.bed && this.stillAwaitingTemperatures(printerId)) return;
    this.awaitingTemperatures.get(printerId)?.timer.cancel();
    this.awaitingTemperatures.delete(printerId);
    this.inProgress.add(printerId);
    this.fleet.coolDown(printerId).then(
      (report) => {
        this.inProgress.delete(printerId);
        const message = madeSafeMessage(report);
        this.done(left, { kind: 'made-safe', message });
        this.fleet.setNotice(printerId, { kind: 'made-safe', message: `${message} ${left.fileName} did not finish: check the part and clear the bed.`, at: this.clock.now() });
      },
      (err: unknown) => {
        this.inProgress.delete(printerId);
        const why = err instanceof Error ? err.message : String(err);
        // Gone again before it could be reached: try when it is back.
        if ((err as { code?: string }).code === 'printer_offline') return;
        this.done(left, { kind: 'failed', message: `AutoPrintFarm could not switch the heaters off when it started again: ${why} Check the printer.` });
      },
    );
  }

  private stillAwaitingTemperatures(printerId: string): boolean {
    const waiting = this.awaitingTemperatures.get(printerId);
    if (!waiting) {
      const timer = this.clock.setTimeout(() => {
        const status = this.fleet.statusOf(printerId);
        const w = this.awaitingTemperatures.get(printerId);
        if (w) w.since = -Infinity; // waited long enough: go ahead without them
        if (status) this.consider(printerId, status);
      }, WAIT_FOR_TEMPERATURES_MS);
      this.awaitingTemperatures.set(printerId, { since: this.clock.now(), timer });
      return true;
    }
    return this.clock.now() - waiting.since < WAIT_FOR_TEMPERATURES_MS;
  }

  private done(left: PrintLeftBehind, outcome: CoolDownOutcome): void {
    this.waiting.delete(left.printerId);
    if (this.waiting.size === 0) this.close();
    this.record(left, outcome);
  }
}

/** "Heaters (hotend 200 °C, bed 60 °C) and part fan switched off and motors released when AutoPrintFarm started again." */
export function madeSafeMessage(report: CoolDownReport): string {
  const at = [report.hotend && `hotend ${Math.round(report.hotend.actual)} °C`, report.bed && `bed ${Math.round(report.bed.actual)} °C`].filter(Boolean);
  const heaters = at.length ? `Heaters (${at.join(', ')})` : 'Heaters';
  const rest = [report.fanOff ? 'part fan' : null].filter(Boolean);
  const off = rest.length ? `${heaters} and ${rest.join(', ')} switched off` : `${heaters} switched off`;
  return `${off}${report.motorsOff ? ' and motors released' : ''} when AutoPrintFarm started again.`;
}

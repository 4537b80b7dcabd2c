import type { Clock } from '../ports/clock';
import { printerStatusMessage, type PrinterStatusMessage } from './printer-status';
import type { PrinterStatus } from '../contract/printer-model';

/** At most one report per printer this often, unless its state changes (cloud-hub.md: 5 s). */
export const STATUS_INTERVAL_MS = 5000;

/**
 * Turns the fleet's status stream (several events a second per printer) into the cloud's `printer_status`:
 * at once when a printer's state changes, otherwise at most one per printer per 5 s, always the latest. Nothing
 * is queued while offline: on reconnect the latest status of every printer is sent (`flushAll`).
 */
export class StatusThrottle {
  private readonly latest = new Map<string, PrinterStatusMessage>();
  private readonly lastSent = new Map<string, { at: number; status: string }>();
  private readonly timers = new Map<string, { cancel(): void }>();

  constructor(
    private readonly clock: Clock,
    private readonly send: (message: PrinterStatusMessage) => boolean,
  ) {}

  /** A printer's new status, under the cloud's id for it. */
  update(cloudPrinterId: string, status: PrinterStatus): void {
    const message = printerStatusMessage(cloudPrinterId, status);
    this.latest.set(cloudPrinterId, message);
    const last = this.lastSent.get(cloudPrinterId);
    const now = this.clock.now();
    if (!last || last.status !== message.status || now - last.at >= STATUS_INTERVAL_MS) {
      this.flush(cloudPrinterId);
      return;
    }
    if (!this.timers.has(cloudPrinterId)) {
      this.timers.set(
        cloudPrinterId,
        this.clock.setTimeout(
          () => {
            this.timers.delete(cloudPrinterId);
            this.flush(cloudPrinterId);
          },
          last.at + STATUS_INTERVAL_MS - now,
        ),
      );
    }
  }

  /** After a (re)connect: every printer's latest status, now. */
  flushAll(): void {
    for (const id of this.latest.keys()) this.flush(id);
  }

  /** A printer no longer published: nothing more is sent for it. */
  forget(cloudPrinterId: string): void {
    this.timers.get(cloudPrinterId)?.cancel();
    this.timers.delete(cloudPrinterId);
    this.latest.delete(cloudPrinterId);
    this.lastSent.delete(cloudPrinterId);
  }

  close(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private flush(id: string): void {
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
    const message = this.latest.get(id);
    if (!message) return;
    // Sent or not (offline), this is the latest; on reconnect flushAll sends it again.
    if (this.send(message)) this.lastSent.set(id, { at: this.clock.now(), status: message.status });
  }
}

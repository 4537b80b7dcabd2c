import type { Clock } from '../ports/clock';
import { printerStatusMessage, type PrinterStatusMessage } from './printer-status';
import type { PrinterStatus } from '../contract/printer-model';

/** At most one report per printer this often, unless its state changes (cloud-hub.md: 5 s). */
export const STATUS_INTERVAL_MS = 5000;
/** A printer whose report has not changed is still reported this often, so the cloud's view never goes stale. */
export const STATUS_KEEPALIVE_MS = 60_000;
/** Temperature drift below this is not news: an idle printer's readings wander by tenths of a degree. */
const TEMPERATURE_NEWS_C = 1;

/** Whether `next` tells the cloud nothing `last` did not (same state, job, targets, temperatures within a degree). */
export function sameReport(last: PrinterStatusMessage, next: PrinterStatusMessage): boolean {
  const near = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) < TEMPERATURE_NEWS_C);
  const t = last.temperatures;
  const u = next.temperatures;
  return (
    last.status === next.status &&
    last.is_connected === next.is_connected &&
    last.progress_percentage === next.progress_percentage &&
    last.remaining_time_seconds === next.remaining_time_seconds &&
    last.error_message === next.error_message &&
    t.nozzle_target === u.nozzle_target &&
    t.bed_target === u.bed_target &&
    near(t.nozzle, u.nozzle) &&
    near(t.bed, u.bed) &&
    near(t.chamber, u.chamber)
  );
}

/**
 * Turns the fleet's status stream (several events a second per printer) into the cloud's `printer_status`:
 * at once when a printer's state changes, otherwise at most one per printer per 5 s, always the latest, and
 * nothing for a printer with nothing new but a report a minute (200 idle printers would otherwise cost the hub
 * and the cloud 40 messages a second). Nothing is queued while offline: on reconnect the latest status of every
 * printer is sent (`flushAll`).
 */
export class StatusThrottle {
  private readonly latest = new Map<string, PrinterStatusMessage>();
  private readonly lastSent = new Map<string, { at: number; message: PrinterStatusMessage }>();
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
    if (!last || last.message.status !== message.status) return this.flush(cloudPrinterId);
    if (this.unchanged(last, message, now)) return;
    if (now - last.at >= STATUS_INTERVAL_MS) return this.flush(cloudPrinterId);
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
    for (const id of this.latest.keys()) this.flush(id, true);
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

  private flush(id: string, evenIfUnchanged = false): void {
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
    const message = this.latest.get(id);
    if (!message) return;
    const last = this.lastSent.get(id);
    if (!evenIfUnchanged && last && this.unchanged(last, message, this.clock.now())) return;
    // Sent or not (offline), this is the latest; on reconnect flushAll sends it again.
    if (this.send(message)) this.lastSent.set(id, { at: this.clock.now(), message });
  }

  private unchanged(last: { at: number; message: PrinterStatusMessage }, next: PrinterStatusMessage, now: number): boolean {
    return now - last.at < STATUS_KEEPALIVE_MS && sameReport(last.message, next);
  }
}

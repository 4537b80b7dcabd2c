import type { EventName, EventPayloads } from '../contract';

/** An OS notification to show; clicking it opens `printerId`'s page. */
export interface FarmNotification {
  title: string;
  body: string;
  printerId: string;
}

/** A print-finished or -failed notice already says the bed needs clearing; a separate one this soon after is noise. */
const FOLD_BED_NOTICE_MS = 15_000;

/**
 * Turns the core's events into the few notifications worth interrupting someone for: a print finished, a print
 * failed (or was interrupted), a printer went into error, a bed must be cleared before the next job. Each is
 * sent once, on the change: a printer that stays in error does not notify again with every status report.
 * Cancelled prints say nothing: whoever cancelled knows.
 */
export class PrintNotifications {
  private readonly lastState = new Map<string, string>();
  private readonly bed = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly endNoticeAt = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Feed every core event; returns what to show for it, if anything. */
  next<E extends EventName>(name: E, payload: EventPayloads[E]): FarmNotification | null {
    switch (name) {
      case 'printers.changed':
        for (const p of (payload as EventPayloads['printers.changed']).printers) {
          this.names.set(p.id, p.name);
          this.lastState.set(p.id, p.status.state.kind);
        }
        return null;
      case 'printer.status':
        return this.status(payload as EventPayloads['printer.status']);
      case 'history.added':
        return this.ended(payload as EventPayloads['history.added']);
      case 'farm.profile':
        return this.profile(payload as EventPayloads['farm.profile']);
      default:
        return null;
    }
  }

  private status({ printerId, status }: EventPayloads['printer.status']): FarmNotification | null {
    const before = this.lastState.get(printerId);
    this.lastState.set(printerId, status.state.kind);
    if (status.state.kind !== 'error' || before === 'error') return null;
    return { title: `${this.name(printerId)}: printer error`, body: status.state.message, printerId };
  }

  private ended({ entry }: EventPayloads['history.added']): FarmNotification | null {
    this.names.set(entry.printerId, entry.printerName);
    const make = (title: string, body: string): FarmNotification => {
      this.endNoticeAt.set(entry.printerId, this.now());
      return { title: `${entry.printerName}: ${title}`, body, printerId: entry.printerId };
    };
    switch (entry.outcome) {
      case 'completed':
        return make('print finished', `${entry.fileName} finished in ${duration(entry.durationSeconds)}.`);
      case 'failed':
        return make('print failed', `${entry.fileName}${entry.reason ? `: ${entry.reason}` : ' failed.'}`);
      case 'interrupted':
        return make('print interrupted', `${entry.fileName}${entry.reason ? `: ${entry.reason}` : ' stopped before the end.'}`);
      case 'cancelled':
        return null;
    }
  }

  private profile({ profile }: EventPayloads['farm.profile']): FarmNotification | null {
    const before = this.bed.get(profile.printerId);
    this.bed.set(profile.printerId, profile.bed);
    if (profile.bed !== 'needs_clear' || before === 'needs_clear') return null;
    const endedAt = this.endNoticeAt.get(profile.printerId);
    if (endedAt !== undefined && this.now() - endedAt < FOLD_BED_NOTICE_MS) return null;
    return { title: `${this.name(profile.printerId)}: clear the bed`, body: 'The next job waits until you confirm the bed is clear.', printerId: profile.printerId };
  }

  private name(printerId: string): string {
    return this.names.get(printerId) ?? 'A printer';
  }
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min`;
}

import type { InFlightLedger, OutgoingLine } from './in-flight';
import type { ResendRecovery } from './resend-recovery';
import type { MarlinResponse, TemperatureReport } from './responses';
import type { SendQueue } from './send-queue';
import type { SilenceWatchdog } from './silence-watchdog';

export interface AckContext {
  ledger: InFlightLedger;
  queue: SendQueue;
  temperatures(report: TemperatureReport): void;
  /** Lines were acknowledged: send on, and wake whoever waits for the queue to empty. */
  afterProgress(): void;
  pump(): void;
}

/**
 * What an `ok` means, and what acknowledging a line does. An ok may stand in for a Resend lost to noise, answer
 * the watchdog's nudge, pair with a Resend already handled, or acknowledge lines in flight (up to the line
 * ADVANCED_OK names); an acknowledged job line goes back to the job feed, any other settles its command.
 */
export class Acknowledgements {
  constructor(
    private readonly c: AckContext,
    private readonly recovery: ResendRecovery,
    private readonly watchdog: SilenceWatchdog,
  ) {}

  onOk(ok: Extract<MarlinResponse, { kind: 'ok' }>): void {
    const { ledger } = this.c;
    if (ok.temperatures) this.c.temperatures(ok.temperatures);
    ledger.noteFreeSlots(ok.bufferFree);
    const lostResend = this.recovery.resendLostBeforeOk();
    if (lostResend !== null) {
      this.recovery.onResend(lostResend, { okArrived: true });
      return;
    }
    const nudgeLine = ok.temperatures ? this.watchdog.takeNudgeAnswer() : null;
    if (nudgeLine !== null) {
      // The board ran the nudge, so it has every line before it: those whose ok was lost are done.
      ledger.acknowledgeBefore(nudgeLine, this.acknowledge);
      ledger.forgetQueued();
      this.c.afterProgress();
      return;
    }
    if (this.recovery.takeAwaitedOk()) {
      this.c.pump();
      return;
    }
    ledger.acknowledgeByOk(ok.lineNumber, ok.text.slice(2).trim(), this.acknowledge);
    ledger.noteQueuedAfterOk(ok.bufferFree);
    this.c.afterProgress();
  }

  readonly acknowledge = (entry: OutgoingLine, okExtra: string): void => {
    this.c.ledger.remove(entry);
    this.recovery.lineDone(entry.lineNumber);
    if (entry.origin === 'job') {
      this.c.queue.jobAcknowledged(entry.tag);
      return;
    }
    // `ok T:…` (M105) and other firmware put the answer on the ok line; keep it, minus ADVANCED_OK counters.
    if (okExtra && !/^(?:N\d+\s*)?(?:P\d+\s*)?(?:B\d+\s*)?$/.test(okExtra)) entry.responses.push(okExtra);
    entry.settle?.({ ok: true, responses: entry.responses });
  };
}

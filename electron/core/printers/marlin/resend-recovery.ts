import type { Clock } from '../../ports/clock';
import { wireBytes } from './framing';
import { outgoingLine, type InFlightLedger, type OutgoingLine } from './in-flight';
import type { LineNumbering } from './line-numbering';
import type { SendQueue } from './send-queue';

export interface ResendContext {
  clock: Clock;
  ledger: InFlightLedger;
  numbering: LineNumbering;
  queue: SendQueue;
  resendOkWaitMs: number;
  historySize: number;
  maxResendsOfOneLine: number;
  /** Takes a line out of flight as done. */
  acknowledge(line: OutgoingLine, okExtra: string): void;
  /** Lines were acknowledged: send on, and wake whoever waits for the queue to empty. */
  afterProgress(): void;
  pump(): void;
  halt(message: string): void;
  notice(message: string): void;
  /** A resend puts the numbering in order again; a nudge still out is answered as part of it. */
  forgetNudge(): void;
}

/**
 * Recovery from lines the board did not take: `Resend: N` (and `Error:… Last Line: N` when the Resend line
 * itself was lost), the repeats Marlin sends for every line after a bad one, the `ok` that may or may not follow
 * a Resend (learnt per board when set to `detect`), and giving up on a line that keeps failing.
 */
export class ResendRecovery {
  private resendOk: 'detect' | 'yes' | 'no';
  /** The ok that pairs with a Resend just handled is due: until it comes, nothing more is sent. */
  private swallowNextOk = false;
  private resendOkTimer: { cancel(): void } | null = null;
  private duplicateResends: { line: number; remaining: number } | null = null;
  private lastResendLine = -1;
  private resendsOfLastLine = 0;
  private resendCount = 0;
  /**
   * `Error:… Last Line: N` says the board has lines up to N and wants N+1. It is normally followed by
   * `Resend: N+1`; if an ok comes first, the Resend line was lost to noise and this stands in for it.
   */
  private lineErrorWants: number | null = null;

  constructor(
    private readonly c: ResendContext,
    private readonly resendOkConfigured: 'detect' | 'yes' | 'no',
  ) {
    this.resendOk = resendOkConfigured;
  }

  /** Resend requests seen since connect (a cable-quality figure). */
  count(): number {
    return this.resendCount;
  }

  /** Waiting for the ok that follows a Resend: sending now would be answered out of turn. */
  get awaitingOk(): boolean {
    return this.swallowNextOk;
  }

  /** A new session: nothing learnt about this board yet. */
  reset(): void {
    this.swallowNextOk = false;
    this.duplicateResends = null;
    this.lastResendLine = -1;
    this.resendsOfLastLine = 0;
    this.resendCount = 0;
    this.resendOk = this.resendOkConfigured;
  }

  /** Everything in flight failed: no resend is under way. */
  abandon(): void {
    this.swallowNextOk = false;
    this.duplicateResends = null;
    this.lineErrorWants = null;
  }

  stopTimer(): void {
    this.resendOkTimer?.cancel();
    this.resendOkTimer = null;
  }

  /** A line was acknowledged: a line that got through is no longer failing. */
  lineDone(lineNumber: number | null): void {
    if (lineNumber !== null && lineNumber === this.lastResendLine) this.resendsOfLastLine = 0;
  }

  noteLineError(text: string): void {
    const last = /Last Line:\s*(\d+)/i.exec(text);
    if (last) this.lineErrorWants = Number(last[1]) + 1;
  }

  /** A second error before the ok we waited for: this firmware does not follow Resend with ok. */
  errorWhileAwaitingOk(): void {
    if (this.swallowNextOk) this.learnResendWithoutOk();
  }

  /**
   * Called with each ok before anything else reads it. Error + ok with no Resend between means the Resend
   * line was lost: this ok is the one that follows it, and the line wanted is answered.
   */
  resendLostBeforeOk(): number | null {
    if (this.lineErrorWants !== null && !this.swallowNextOk) {
      const wanted = this.lineErrorWants;
      this.lineErrorWants = null;
      return wanted;
    }
    this.lineErrorWants = null;
    return null;
  }

  /** Whether this ok is the one that pairs with the Resend just handled (the rejected line was already accounted for). */
  takeAwaitedOk(): boolean {
    if (!this.swallowNextOk) return false;
    this.swallowNextOk = false;
    this.stopTimer();
    if (this.resendOk === 'detect') this.resendOk = 'yes';
    return true;
  }

  /**
   * Resend: N means the board has every line before N and wants N next.
   * - N not sent yet (OctoPrint's virtual printer asks for the next line to simulate noise, and a host
   *   misled by noise may get there too): everything in flight was received; acknowledge it and send on.
   * - N in flight, or acknowledged already by a miscounted ok: send N and everything after it again.
   * `okArrived`: the ok that follows the Resend already came (the Resend line itself was lost to noise).
   */
  onResend(requested: number, how: { okArrived?: boolean } = {}): void {
    const { ledger, numbering } = this.c;
    this.lineErrorWants = null;
    this.c.forgetNudge();
    if (requested >= numbering.next) {
      this.onResendOfUnsentLine(requested, how.okArrived ?? false);
      return;
    }
    this.resendCount++;
    const dup = this.duplicateResends;
    if (dup && dup.line === requested && dup.remaining > 0) {
      // The firmware rejects every line that followed the bad one; those repeats ask for the same line.
      dup.remaining--;
      if (how.okArrived) this.c.pump();
      else this.expectResendOk();
      return;
    }
    if (requested === this.lastResendLine) this.resendsOfLastLine++;
    else {
      this.lastResendLine = requested;
      this.resendsOfLastLine = 1;
    }
    if (this.resendsOfLastLine > this.c.maxResendsOfOneLine) {
      this.c.halt(`The printer asked for line ${requested} ${this.resendsOfLastLine - 1} times in a row. The connection is unreliable: check the USB cable and the baud rate.`);
      return;
    }
    if (requested < numbering.next && !numbering.has(requested)) {
      this.c.halt(`The printer asked for line ${requested} again, which is older than the ${this.c.historySize} lines kept for resends.`);
      return;
    }
    // Lines before the requested one were received; the requested line and everything after it were not.
    const rejected = ledger.takeFrom(requested);
    const byNumber = new Map(rejected.map((e) => [e.lineNumber!, e]));
    const queue: OutgoingLine[] = [];
    for (let n = Math.max(requested, 1); n < numbering.next; n++) {
      const entry = byNumber.get(n);
      if (entry) queue.push(entry);
      else {
        // Acknowledged by count although the firmware never got it (an ok was mis-attributed): send it again.
        const framed = numbering.framed(n);
        if (framed === undefined) continue;
        const orphan = outgoingLine(framed, 'internal', -1);
        orphan.lineNumber = n;
        orphan.framed = framed;
        orphan.bytes = wireBytes(framed);
        queue.push(orphan);
      }
    }
    this.c.queue.setResends(queue);
    ledger.forgetQueued();
    this.duplicateResends = { line: requested, remaining: Math.max(0, rejected.length - 1) };
    this.c.notice(`The printer asked for line ${requested} again (transmission error); resending.`);
    if (!how.okArrived) this.expectResendOk();
    this.c.pump();
  }

  private onResendOfUnsentLine(requested: number, okArrived: boolean): void {
    this.c.notice(`The printer asked for line ${requested}, which was not sent yet: it has every line before it, so carrying on.`);
    this.c.queue.setResends([]);
    this.duplicateResends = null;
    this.c.ledger.acknowledgeBefore(requested, (line, extra) => this.c.acknowledge(line, extra));
    this.c.ledger.forgetQueued();
    if (!okArrived) this.expectResendOk();
    this.c.afterProgress();
  }

  private expectResendOk(): void {
    if (this.resendOk === 'no') {
      this.c.pump();
      return;
    }
    this.swallowNextOk = true;
    if (this.resendOk === 'detect') {
      this.resendOkTimer?.cancel();
      this.resendOkTimer = this.c.clock.setTimeout(() => this.learnResendWithoutOk(), this.c.resendOkWaitMs);
    }
  }

  private learnResendWithoutOk(): void {
    this.resendOkTimer?.cancel();
    this.resendOkTimer = null;
    this.swallowNextOk = false;
    if (this.resendOk === 'detect') this.resendOk = 'no';
    this.c.pump();
  }
}

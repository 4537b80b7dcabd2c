import type { Clock } from '../../ports/clock';
import { commandCode, frameLine } from './framing';
import type { InFlightLedger } from './in-flight';
import type { LineNumbering } from './line-numbering';

export interface WatchdogContext {
  clock: Clock;
  ledger: InFlightLedger;
  numbering: LineNumbering;
  communicationTimeoutMs: number;
  waitGraceMs: number;
  maxConsecutiveTimeouts: number;
  linkName: string;
  isReady(): boolean;
  /** A Resend is being sorted out (its ok awaited, or lines queued to go again): the numbering is in flux. */
  resendInProgress(): boolean;
  sentNudge(line: string): void;
  write(data: string): void;
  notice(message: string): void;
  disconnect(reason: string): void;
}

/**
 * Notices a lost `ok` or a lost line and nudges the board instead of hanging. The silence timer runs on answers
 * to our own commands (ok, Resend, busy), from the moment a line goes out with nothing armed; other output
 * (temperature reports, `wait`, noise) does not restart it. A `wait` with a line unanswered acts at once.
 * Too many nudges in a row without an answer and the link is declared dead.
 */
export class SilenceWatchdog {
  private commTimer: { cancel(): void } | null = null;
  private consecutiveTimeouts = 0;
  /** When a numbered line was last written (for reading a `wait`). */
  private lastLineWrittenAt = 0;
  /**
   * The numbered M105 nudge whose answer is still due. Marlin answers M105 with `ok T:…`, unlike any job
   * line, so its ok is recognised: it acknowledges everything before the nudge (the lost ok's line) and is
   * never counted for a later line when the lost ok turns up late after all.
   */
  private nudge: { lineNumber: number } | null = null;

  constructor(private readonly c: WatchdogContext) {}

  /** Something was written to the board. */
  wrote(): void {
    this.lastLineWrittenAt = this.c.clock.now();
  }

  reset(): void {
    this.consecutiveTimeouts = 0;
  }

  stop(): void {
    this.commTimer?.cancel();
    this.commTimer = null;
  }

  forgetNudge(): void {
    this.nudge = null;
  }

  /**
   * The line number of the nudge an `ok T:…` answers, or null when none is due or the ok may answer an M105
   * of ours sent before the nudge. The nudge is then settled.
   */
  takeNudgeAnswer(): number | null {
    const nudge = this.nudge;
    if (!nudge) return null;
    if (this.c.ledger.some((e) => e.lineNumber !== null && e.lineNumber < nudge.lineNumber && commandCode(e.command) === 'M105')) return null;
    this.nudge = null;
    return nudge.lineNumber;
  }

  /**
   * The silence timer runs from the last answer to our own commands, not from the last byte: a board that
   * prints temperatures or `wait` every second must not keep a lost line waiting forever. Armed when a line
   * goes out with nothing armed, restarted by answers (see answered), never restarted by other output.
   */
  ensureArmed(): void {
    if (!this.c.isReady() || this.c.ledger.size === 0 || this.blockingInFlight()) {
      this.stop();
      return;
    }
    this.commTimer ??= this.c.clock.setTimeout(() => this.onCommTimeout(), this.c.communicationTimeoutMs);
  }

  /** An ok, a Resend or a busy: the board is answering us. The silence count starts again. */
  answered(): void {
    this.consecutiveTimeouts = 0;
    this.stop();
    this.ensureArmed();
  }

  /**
   * `wait`: the board has had nothing to do for a while. With a line unanswered (and written long enough
   * ago that the board must have had it), that line or its ok was lost: act now, not after the timeout.
   */
  onWait(): void {
    if (!this.c.isReady() || this.c.ledger.size === 0 || this.blockingInFlight()) return;
    if (this.c.clock.now() - this.lastLineWrittenAt < this.c.waitGraceMs) return;
    this.assumeLostOk('The printer says it is waiting for commands while a line is unanswered; assuming a lost "ok" and nudging it.');
  }

  /**
   * A blocking command may legitimately run for many minutes, and a nudge sent behind it would be answered
   * only after it, so its ok would be counted twice: no timeout while one is in flight.
   */
  private blockingInFlight(): boolean {
    return this.c.ledger.some((e) => e.blocking);
  }

  private onCommTimeout(): void {
    this.commTimer = null;
    if (!this.c.isReady() || this.c.ledger.size === 0) return;
    const seconds = this.c.communicationTimeoutMs / 1000;
    this.assumeLostOk(`No answer from the printer for ${seconds} s; assuming a lost "ok" and nudging it.`);
  }

  private assumeLostOk(notice: string): void {
    this.consecutiveTimeouts++;
    if (this.consecutiveTimeouts > this.c.maxConsecutiveTimeouts) {
      const reason = `${this.c.linkName} stopped answering (no reply to ${this.c.maxConsecutiveTimeouts} nudges). Check the cable and the printer, then reconnect.`;
      this.c.disconnect(reason);
      return;
    }
    this.c.notice(notice);
    this.sendNudge();
    this.commTimer?.cancel();
    this.commTimer = this.c.clock.setTimeout(() => this.onCommTimeout(), this.c.communicationTimeoutMs);
  }

  /**
   * The silence has two causes the host cannot tell apart: the firmware ran the last line and its `ok` was
   * lost, or the line itself never arrived. The nudge is an M105 under the next line number, which Marlin
   * answers correctly in both cases:
   * - ok lost: the firmware's last line is the one before the nudge, so it runs the M105 and its `ok` stands
   *   in for the lost one (the nudge is not counted in flight; it only consumes a line number).
   * - line lost: the nudge's number is one too far, so Marlin answers `Error:Line Number is not Last Line
   *   Number+1`, `Resend: <lost line>` (and ok), and the normal resend path sends the lost line and the
   *   nudge again (the nudge from history, with its own ok). An unnumbered M105 would instead be answered
   *   with an ok that acknowledges the lost line: harmless mid-job, where the next numbered line exposes the
   *   gap, but the last line of a job would be reported done though it never ran.
   * While a resend is being sorted out (its ok awaited, lines queued for resending) the numbering is in
   * flux, so the nudge stays unnumbered there; its ok is then the one the resend logic is waiting for.
   */
  private sendNudge(): void {
    if (this.c.resendInProgress()) {
      this.c.sentNudge('M105');
      this.c.write('M105\n');
      return;
    }
    const lineNumber = this.c.numbering.advance();
    const framed = frameLine(lineNumber, 'M105');
    this.c.numbering.remember(lineNumber, framed);
    this.nudge = { lineNumber };
    this.c.sentNudge(framed);
    this.c.write(`${framed}\n`);
  }
}

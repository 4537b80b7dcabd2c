import type { AppError } from '../../errors';
import { isBlockingCommand } from './framing';
import type { LineOrigin } from './host-events';
import type { SendWindow } from './host-options';

/** One command on its way to the board: queued, in flight, or waiting to be sent again. */
export interface OutgoingLine {
  command: string;
  origin: LineOrigin;
  blocking: boolean;
  /** null until numbered, and for lines sent without a line number (emergency commands). */
  lineNumber: number | null;
  framed: string;
  bytes: number;
  responses: string[];
  /** The job feed's tag for a job line; -1 otherwise. */
  tag: number;
  settle: ((result: { ok: true; responses: string[] } | { ok: false; error: AppError }) => void) | null;
}

export function outgoingLine(command: string, origin: LineOrigin, tag: number): OutgoingLine {
  return { command, origin, blocking: isBlockingCommand(command), lineNumber: null, framed: '', bytes: 0, responses: [], tag, settle: null };
}

/**
 * The lines sent and not yet acknowledged, oldest first, and the send window over them: how many may be in
 * flight, and how many bytes the firmware's RX buffer still holds (lines the firmware's ADVANCED_OK counts
 * say it has moved into its command queue no longer count). Which lines an answer acknowledges is decided
 * here too; what acknowledging a line means (settling its promise, telling the job feed) is the caller's.
 */
export class InFlightLedger {
  private readonly lines: OutgoingLine[] = [];
  private bytesInFlight = 0;
  /** The firmware's command queue size, from the largest ADVANCED_OK `B` seen (+1 for the line being run); 0 until reported. */
  private advancedBufferSlots = 0;
  /**
   * ADVANCED_OK: how many in-flight lines (from the oldest) the last ok said are already in the firmware's
   * command queue, i.e. no longer in its RX buffer. Their bytes do not count against the RX budget.
   */
  private knownQueued = 0;

  constructor(private readonly window: SendWindow) {}

  get size(): number {
    return this.lines.length;
  }

  oldest(): OutgoingLine | undefined {
    return this.lines[0];
  }

  some(predicate: (line: OutgoingLine) => boolean): boolean {
    return this.lines.some(predicate);
  }

  add(line: OutgoingLine): void {
    this.lines.push(line);
    this.bytesInFlight += line.bytes;
  }

  remove(line: OutgoingLine): void {
    const index = this.lines.indexOf(line);
    if (index !== -1) this.lines.splice(index, 1);
    this.bytesInFlight -= line.bytes;
  }

  /** Takes out the numbered lines from `lineNumber` on: the board asked for them again. */
  takeFrom(lineNumber: number): OutgoingLine[] {
    const rejected = this.lines.filter((e) => e.lineNumber !== null && e.lineNumber >= lineNumber);
    for (const e of rejected) {
      this.lines.splice(this.lines.indexOf(e), 1);
      this.bytesInFlight -= e.bytes;
    }
    return rejected;
  }

  /** Empties the ledger (the link failed); answers what was in it, oldest first. */
  clear(): OutgoingLine[] {
    const lines = this.lines.splice(0);
    this.bytesInFlight = 0;
    return lines;
  }

  /** A new session: what the firmware said about its buffer no longer holds. */
  resetWindow(): void {
    this.advancedBufferSlots = 0;
    this.knownQueued = 0;
  }

  /** After a resend or a nudge the firmware's queue position is unknown: count every line as in RX. */
  forgetQueued(): void {
    this.knownQueued = 0;
  }

  /** An ok's ADVANCED_OK `B`, read before the lines it acknowledges are taken out. */
  noteFreeSlots(bufferFree: number | null): void {
    if (bufferFree !== null) this.advancedBufferSlots = Math.max(this.advancedBufferSlots, bufferFree + 1);
  }

  /**
   * An ok's ADVANCED_OK `B`, after the lines it acknowledges are out. B counts free slots with the same
   * convention as the largest B seen (the idle queue), so this is the number of lines after the acknowledged
   * one that the firmware has already taken out of RX.
   */
  noteQueuedAfterOk(bufferFree: number | null): void {
    this.knownQueued = bufferFree !== null ? Math.max(0, this.advancedBufferSlots - bufferFree - 1) : 0;
  }

  /**
   * How lines are streamed now: into the command queue the firmware reports with ADVANCED_OK (`lines` is its
   * size; the RX budget still applies), a configured window of `lines`, or one line per ok.
   */
  windowInUse(): { lines: number; source: 'firmware' | 'configured' | 'one-per-ok' } {
    if (this.window.kind === 'advancedOk' && this.advancedBufferSlots > 0) return { lines: this.advancedBufferSlots, source: 'firmware' };
    const lines = this.maxLines();
    return { lines, source: lines > 1 ? 'configured' : 'one-per-ok' };
  }

  hasRoomFor(bytes: number): boolean {
    if (this.lines.length === 0) return true;
    if (this.lines.length >= this.maxLines()) return false;
    const budget = this.rxBudget();
    if (budget === null) return true;
    let inRx = this.bytesInFlight;
    if (this.window.kind === 'advancedOk') {
      const queued = Math.min(this.knownQueued, this.lines.length);
      for (let i = 0; i < queued; i++) inRx -= this.lines[i]!.bytes;
    }
    return inRx + bytes <= budget;
  }

  private maxLines(): number {
    const w = this.window;
    if (w.kind === 'pingpong') return 1;
    if (w.kind === 'lines') return Math.max(1, w.lines);
    // Until the firmware has reported its free slots, the configured fallback (ping-pong unless set).
    return this.advancedBufferSlots === 0 ? Math.max(1, w.fallbackLines ?? 1) : Math.max(1, w.maxLines ?? 16);
  }

  private rxBudget(): number | null {
    const w = this.window;
    return w.kind === 'pingpong' ? null : (w.rxBufferBytes ?? null);
  }

  /**
   * The lines an ok acknowledges, passed oldest first to `ack` (which takes each out). An ok that names its line
   * (ADVANCED_OK `N`) acknowledges everything up to it, even if an ok went missing; a plain ok, the oldest line.
   * Only the first line acknowledged gets the text after `ok`.
   */
  acknowledgeByOk(okLineNumber: number | null, okExtra: string, ack: (line: OutgoingLine, okExtra: string) => void): void {
    const lines = this.lines;
    if (okLineNumber !== null && lines[0]?.lineNumber !== null && lines.length > 0) {
      let acked = 0;
      while (lines.length && lines[0]!.lineNumber !== null && lines[0]!.lineNumber <= okLineNumber) {
        ack(lines[0]!, acked === 0 ? okExtra : '');
        acked++;
      }
      if (acked === 0 && lines[0] && lines[0].lineNumber === null) ack(lines[0], okExtra);
    } else if (lines.length) {
      ack(lines[0]!, okExtra);
    }
  }

  /** The board has every line before `lineNumber` (unnumbered ones included): each goes to `ack`, oldest first. */
  acknowledgeBefore(lineNumber: number, ack: (line: OutgoingLine, okExtra: string) => void): void {
    const lines = this.lines;
    while (lines.length && (lines[0]!.lineNumber === null || lines[0]!.lineNumber < lineNumber)) ack(lines[0]!, '');
  }
}

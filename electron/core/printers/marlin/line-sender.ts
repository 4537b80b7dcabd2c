import { frameLine, wireBytes } from './framing';
import type { HostEvents } from './host-events';
import type { InFlightLedger } from './in-flight';
import type { LineNumbering } from './line-numbering';
import type { SendQueue } from './send-queue';

export interface SenderContext {
  ledger: InFlightLedger;
  numbering: LineNumbering;
  queue: SendQueue;
  /** Ready, and no ok is awaited that a new line would be answered ahead of. */
  maySend(): boolean;
  sent(event: HostEvents['sent']): void;
  write(data: string): void;
  /** After each pass, sent or not: the silence timer is armed or stopped by what is in flight. */
  afterPass(): void;
}

/**
 * Moves lines from the send queue into the send window: numbers and frames each new line as it goes, keeps
 * it for resends, and writes everything that fits in one write.
 */
export class LineSender {
  private writeBuffer = '';
  private pumping = false;

  constructor(private readonly c: SenderContext) {}

  pump(): void {
    if (this.pumping) return;
    const { queue, ledger, numbering } = this.c;
    this.pumping = true;
    try {
      while (this.c.maySend()) {
        const entry = queue.peek();
        if (!entry) break;
        const isResend = queue.isResend(entry);
        if (!isResend && entry.lineNumber === null) {
          entry.lineNumber = numbering.next;
          entry.framed = frameLine(entry.lineNumber, entry.command);
          entry.bytes = wireBytes(entry.framed);
        }
        if (!ledger.hasRoomFor(entry.bytes)) {
          // Keep the number reserved only if it was just assigned and not sent: undo it.
          if (!isResend && entry.lineNumber === numbering.next) {
            entry.lineNumber = null;
          }
          break;
        }
        queue.take(entry);
        if (!isResend) {
          numbering.advance();
          numbering.remember(entry.lineNumber!, entry.framed);
        }
        ledger.add(entry);
        this.c.sent({ line: entry.framed, origin: isResend ? 'resend' : entry.origin });
        this.writeBuffer += `${entry.framed}\n`;
      }
    } finally {
      this.pumping = false;
    }
    this.flushWrites();
    this.c.afterPass();
  }

  private flushWrites(): void {
    if (!this.writeBuffer) return;
    const data = this.writeBuffer;
    this.writeBuffer = '';
    this.c.write(data);
  }
}

const MAX_CMD_SIZE = 96;

export const isEol = (c: string) => c === '\n' || c === '\r';

/**
 * The board's serial input: the RX ring buffer bytes wait in until the main loop reads them, the line being
 * assembled from it (comments and overlong tails dropped, as Marlin's get_serial_commands does), and the
 * emergency parser, which sees every byte as it arrives, before and regardless of the buffer.
 */
export class SerialInput {
  private rx = '';
  private rxHead = 0;
  private lineBuf = '';
  private lineSkipping = false;
  private epLine = '';

  constructor(
    private readonly capacity: number,
    private readonly onEmergency: (code: '112' | '108' | '410') => void,
  ) {}

  /** Bytes are waiting in the RX buffer. */
  get pending(): boolean {
    return this.rx.length > this.rxHead;
  }

  /** EMERGENCY_PARSER: M112, M108 and M410 act as their line ends, even while the queue is blocked. */
  emergencyParse(c: string): void {
    if (!isEol(c)) {
      if (this.epLine.length < MAX_CMD_SIZE) this.epLine += c;
      return;
    }
    let s = this.epLine.trimStart();
    this.epLine = '';
    const n = /^N\s*-?\d+\s*/.exec(s);
    if (n) s = s.slice(n[0].length);
    const m = /^M(\d+)(?!\d)/.exec(s);
    if (!m) return;
    if (m[1] === '112' || m[1] === '108' || m[1] === '410') this.onEmergency(m[1]);
  }

  /** One byte into the RX buffer; false when it was full and the byte is lost, as the UART ISR loses it. */
  receive(c: string): boolean {
    if (this.rx.length - this.rxHead >= this.capacity) return false;
    this.rx += c;
    return true;
  }

  /** Marlin's get_serial_commands(): hands complete lines to `accept` while `mayRead`; stops at a rejected one. */
  read(mayRead: () => boolean, accept: (line: string) => boolean): void {
    try {
      while (mayRead() && this.rxHead < this.rx.length) {
        const c = this.rx[this.rxHead++]!;
        if (isEol(c)) {
          this.lineSkipping = false;
          const line = this.lineBuf;
          this.lineBuf = '';
          if (line === '') continue;
          if (!accept(line)) return;
        } else if (!this.lineSkipping) {
          if (c === ';')
            this.lineSkipping = true; // comment to end of line
          else if (c === '\b') this.lineBuf = this.lineBuf.slice(0, -1);
          else {
            this.lineBuf += c;
            if (this.lineBuf.length >= MAX_CMD_SIZE - 1) this.lineSkipping = true; // overflow: rest is dropped
          }
        }
      }
    } finally {
      if (this.rxHead > 0) {
        this.rx = this.rx.slice(this.rxHead);
        this.rxHead = 0;
      }
    }
  }

  /** After a line error Marlin empties the RX buffer, so lines the host pipelined behind the bad one are lost too. */
  flushAfterError(): void {
    this.rxHead = this.rx.length;
    this.lineBuf = '';
    this.lineSkipping = false;
  }

  /** What waits in the RX buffer is lost (kill, unplug). */
  drop(): void {
    this.rx = '';
    this.rxHead = 0;
  }

  /** A reset: nothing received, nothing assembled. */
  reset(): void {
    this.drop();
    this.lineBuf = '';
    this.lineSkipping = false;
    this.epLine = '';
  }
}

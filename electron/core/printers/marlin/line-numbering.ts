/**
 * The line numbers of one session and the lines sent under them, kept so the board can ask for any of the
 * last `keep` lines again. A hello (`M110 N0`) starts the numbering over.
 */
export class LineNumbering {
  private nextNumber = 1;
  private readonly sent = new Map<number, string>();

  constructor(private readonly keep: number) {}

  /** The number the next new line goes out under. */
  get next(): number {
    return this.nextNumber;
  }

  /** Uses up the next number for a line about to be written; answers it. */
  advance(): number {
    return this.nextNumber++;
  }

  remember(lineNumber: number, framed: string): void {
    this.sent.set(lineNumber, framed);
    this.sent.delete(lineNumber - this.keep);
  }

  has(lineNumber: number): boolean {
    return this.sent.has(lineNumber);
  }

  framed(lineNumber: number): string | undefined {
    return this.sent.get(lineNumber);
  }

  /** A new session: nothing sent, numbering from 1. */
  restart(): void {
    this.sent.clear();
    this.nextNumber = 1;
  }

  /** The board's hello was answered: it expects line 1 next. */
  rewind(): void {
    this.nextNumber = 1;
  }
}

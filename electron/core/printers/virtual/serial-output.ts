import type { Clock } from '../../ports/clock';

/** How far apart the two reads of a split `ok` arrive. */
const SPLIT_GAP_MS = 20;

/**
 * The board's serial output: lines produced while handling one event go out as one chunk once the outermost
 * handler returns (as a real UART drains what the main loop printed), and a disconnect is told after that
 * output. An `ok` split by noise goes out in two reads, other output held back behind it.
 */
export class SerialOutput {
  private readonly outputListeners = new Set<(chunk: string) => void>();
  private readonly disconnectListeners = new Set<() => void>();
  private out = '';
  private depth = 0;
  /** While an `ok` is being delivered in two reads, the rest of it, and output held back behind it. */
  private splitting: { rest: string } | null = null;
  private pendingDisconnect = false;

  constructor(
    private readonly clock: Clock,
    private readonly closed: () => boolean,
  ) {}

  onOutput(listener: (chunk: string) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  onDisconnect(listener: () => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  /** Runs `fn` and sends the output it produced as one chunk once the outermost call returns. */
  enter(fn: () => void): void {
    this.depth++;
    try {
      fn();
    } finally {
      this.depth--;
      if (this.depth === 0) this.flush();
    }
  }

  emit(line: string): void {
    this.out += `${line}\n`;
  }

  /** The link drops once what is already printed has gone out. */
  disconnectAfterOutput(): void {
    this.pendingDisconnect = true;
  }

  /** Delivers `ok` in two reads a few ms apart; other output waits behind it, as it would on the wire. */
  splitOk(ok: string): void {
    if (this.splitting) return this.emit(ok);
    const head = this.out + ok.slice(0, 1);
    this.out = '';
    for (const l of [...this.outputListeners]) l(head);
    this.splitting = { rest: `${ok.slice(1)}\n` };
    this.clock.setTimeout(() => {
      const split = this.splitting;
      this.splitting = null;
      if (!split || this.closed()) return;
      this.enter(() => {
        this.out = split.rest + this.out;
      });
    }, SPLIT_GAP_MS);
  }

  private flush(): void {
    if (this.out && !this.splitting) {
      const chunk = this.out;
      this.out = '';
      for (const l of [...this.outputListeners]) l(chunk);
    }
    if (this.pendingDisconnect) {
      this.pendingDisconnect = false;
      for (const l of [...this.disconnectListeners]) l();
    }
  }
}

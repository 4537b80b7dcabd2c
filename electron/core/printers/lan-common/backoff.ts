/**
 * Delays between reconnect attempts: doubling from `initialMs` up to `maxMs`, with up to `jitter` of the
 * delay added at random so a farm of printers that dropped together does not reconnect in lockstep.
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** 0..1; the share of the delay that may be added at random. */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 1000;
    this.maxMs = opts.maxMs ?? 30_000;
    this.jitter = opts.jitter ?? 0.2;
    this.random = opts.random ?? Math.random;
  }

  /** The delay before the next attempt; each call doubles the base delay until it reaches the cap. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(base + base * this.jitter * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}

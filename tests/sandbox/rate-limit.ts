export const RATE_WINDOW_MS = 60 * 60 * 1000;

/** What the X-RateLimit-* headers report after a request was counted (or refused). */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** End of the current window, epoch ms. */
  resetAt: number;
}

/**
 * Per-key fixed one-hour windows aligned to the clock hour, so every key's window resets at the same
 * wall-clock instant and a test can compute it. Counted in memory: a restart starts fresh windows.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    private readonly now: () => number,
  ) {}

  /** Counts one request for `keyId` unless its window is already full. */
  take(keyId: string): RateDecision {
    const now = this.now();
    const start = windowStart(now);
    let window = this.windows.get(keyId);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(keyId, window);
    }
    const allowed = window.count < this.limit;
    if (allowed) window.count++;
    return { allowed, limit: this.limit, remaining: this.limit - window.count, resetAt: start + RATE_WINDOW_MS };
  }

  /** The figures for a caller without a known key: a full, untouched window. */
  anonymous(): RateDecision {
    const start = windowStart(this.now());
    return { allowed: true, limit: this.limit, remaining: this.limit, resetAt: start + RATE_WINDOW_MS };
  }

  forget(keyId: string): void {
    this.windows.delete(keyId);
  }
}

function windowStart(now: number): number {
  return Math.floor(now / RATE_WINDOW_MS) * RATE_WINDOW_MS;
}

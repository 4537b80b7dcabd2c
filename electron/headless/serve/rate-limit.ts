/**
 * Failed sign-in attempts (a wrong start token, a wrong pairing code) counted per client address and in all,
 * over a sliding window. Past either limit, attempts are refused until old failures leave the window, so a
 * pairing code (10 characters, 5 minutes) cannot be guessed and a token cannot be probed.
 */
export class FailureLimiter {
  private readonly byKey = new Map<string, number[]>();
  private all: number[] = [];

  constructor(
    private readonly opts: { perKey: number; total: number; windowMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before another attempt, or 0 when one is allowed now. */
  retryAfterS(key: string): number {
    const since = this.now() - this.opts.windowMs;
    this.all = this.all.filter((t) => t > since);
    const mine = (this.byKey.get(key) ?? []).filter((t) => t > since);
    if (mine.length) this.byKey.set(key, mine);
    else this.byKey.delete(key);
    const oldest =
      mine.length >= this.opts.perKey ? mine[mine.length - this.opts.perKey]! : this.all.length >= this.opts.total ? this.all[this.all.length - this.opts.total]! : null;
    return oldest === null ? 0 : Math.max(1, Math.ceil((oldest + this.opts.windowMs - this.now()) / 1000));
  }

  fail(key: string): void {
    const at = this.now();
    this.all.push(at);
    this.byKey.set(key, [...(this.byKey.get(key) ?? []), at]);
  }
}

export const SIGN_IN_LIMITS = { perKey: 10, total: 60, windowMs: 5 * 60_000 } as const;

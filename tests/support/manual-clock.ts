import type { Clock } from '../../electron/core/ports/clock';

/** A clock that only moves when the test says so. Timers fire in order as time is advanced. */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: { id: number; at: number; fn: () => void; every: number | null }[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }
  now() {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number) {
    return this.add(fn, ms, null);
  }
  setInterval(fn: () => void, ms: number) {
    return this.add(fn, ms, Math.max(1, ms));
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.time = next.at;
      if (next.every === null) this.timers = this.timers.filter((t) => t !== next);
      else next.at += next.every;
      next.fn();
    }
    this.time = end;
  }
  /** Advances in steps until `done()` holds; throws if it does not within `limitMs` of simulated time. */
  advanceUntil(done: () => boolean, limitMs: number, stepMs = 100): number {
    const start = this.time;
    while (!done()) {
      if (this.time - start >= limitMs) throw new Error(`Condition not met within ${limitMs} ms of simulated time.`);
      this.advance(stepMs);
    }
    return this.time - start;
  }

  /** Timers not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  private add(fn: () => void, ms: number, every: number | null) {
    const timer = { id: ++this.seq, at: this.time + Math.max(0, ms), fn, every };
    this.timers.push(timer);
    return { cancel: () => void (this.timers = this.timers.filter((t) => t !== timer)) };
  }
}

import type { Clock } from '../../../electron/core/ports/clock';

/** A clock that only moves when the test says so; timers fire in time order during advance(). */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void; every: number | null }>();

  constructor(start = 1_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn, every: null });
    return { cancel: () => void this.timers.delete(id) };
  }

  setInterval(fn: () => void, ms: number): { cancel(): void } {
    const id = ++this.seq;
    const every = Math.max(1, ms);
    this.timers.set(id, { at: this.t + every, fn, every });
    return { cancel: () => void this.timers.delete(id) };
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let nextId: number | null = null;
      let next: { at: number; fn: () => void; every: number | null } | null = null;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (!next || timer.at < next.at || (timer.at === next.at && id < nextId!))) {
          next = timer;
          nextId = id;
        }
      }
      if (!next || nextId === null) break;
      this.t = Math.max(this.t, next.at);
      if (next.every === null) this.timers.delete(nextId);
      else next.at += next.every;
      next.fn();
    }
    this.t = end;
  }

  /** Advances in steps until `done()` holds; throws if it does not within `limitMs` of simulated time. */
  advanceUntil(done: () => boolean, limitMs: number, stepMs = 100): number {
    const start = this.t;
    while (!done()) {
      if (this.t - start >= limitMs) throw new Error(`Condition not met within ${limitMs} ms of simulated time.`);
      this.advance(stepMs);
    }
    return this.t - start;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}

import type { PrintSource } from '../../../electron/core/printers/driver';
import type { Clock } from '../../../electron/core/ports/clock';

/** A clock the test moves by hand, so timeouts fire exactly when the test says. */
export class ManualClock implements Clock {
  private t = 0;
  private timers: { at: number; fn: () => void; every: number | null; id: number }[] = [];
  private nextId = 0;

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    return this.add(fn, ms, null);
  }

  setInterval(fn: () => void, ms: number): { cancel(): void } {
    return this.add(fn, ms, ms);
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.t = due.at;
      if (due.every !== null) due.at += due.every;
      else this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
    this.t = end;
  }

  private add(fn: () => void, ms: number, every: number | null): { cancel(): void } {
    const timer = { at: this.t + Math.max(1, ms), fn, every, id: this.nextId++ };
    this.timers.push(timer);
    return { cancel: () => void (this.timers = this.timers.filter((x) => x !== timer)) };
  }
}

/** A print source over a string, delivered in small chunks so line splitting across chunks is exercised. */
export function textSource(name: string, text: string, chunkSize = 7): PrintSource {
  const bytes = Buffer.from(text, 'utf8');
  return {
    name,
    size: bytes.length,
    async *open() {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
    },
  };
}

/** `count` distinct, easily checked move lines. */
export function gcodeLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `G1 X${i % 200} Y${(i * 7) % 200} E${(i * 0.01).toFixed(2)}`);
}

/** Waits until a condition holds, yielding to the event loop between checks (no wall-clock sleeps). */
export async function until(condition: () => boolean, what = 'condition', maxTurns = 100_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (condition()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`gave up waiting for ${what}`);
}

import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../electron/core/ports/clock';
import { createCable, SimulatedWire } from '../../../electron/core/printers/virtual/wire';
import { ManualClock } from './manual-clock';

// 100 000 baud: exactly 0.1 ms per byte, so expected times are easy to read.
const BAUD = 100_000;

/** A clock whose timers fire `lateMs` after they are due, as Node's do under load. */
function lateTimers(base: ManualClock, lateMs: number): Clock {
  return {
    now: () => base.now(),
    setTimeout: (fn, ms) => base.setTimeout(fn, ms + lateMs),
    setInterval: (fn, ms) => base.setInterval(fn, ms + lateMs),
  };
}

describe('simulated wire', () => {
  it('delivers a line as soon as its last byte is due, even when more bytes follow in the same write', () => {
    const clock = new ManualClock(0);
    const got: { chunk: string; at: number }[] = [];
    const wire = new SimulatedWire(clock, BAUD, (chunk, at) => got.push({ chunk, at }));
    wire.send('N1 M17*41\nN2 M17*42\n'); // 10 + 10 bytes
    clock.advance(1.0);
    expect(got.map((g) => g.chunk).join('')).toBe('N1 M17*41\n');
    expect(got.at(-1)!.at).toBeCloseTo(1.0, 9);
    clock.advance(1.0);
    expect(got.map((g) => g.chunk).join('')).toBe('N1 M17*41\nN2 M17*42\n');
  });

  it('starts bytes handed over in the past at that time when the wire was free, but never before earlier bytes', () => {
    const clock = new ManualClock(0);
    const got: { chunk: string; at: number }[] = [];
    const wire = new SimulatedWire(clock, BAUD, (chunk, at) => got.push({ chunk, at }));
    clock.advance(5);
    wire.send('ok\n', 4); // handed over at t=4, 0.3 ms on the wire: already due
    wire.send('ok\n', 4); // queued behind the first
    clock.advance(0);
    expect(got.map((g) => g.at)).toEqual([expect.closeTo(4.3, 9), expect.closeTo(4.6, 9)]);
  });
});

describe('simulated cable', () => {
  it('lets the board answer as of the moment the line arrived, however late the timer that delivered it', () => {
    const base = new ManualClock(0);
    const clock = lateTimers(base, 2);
    const atHost: { chunk: string; at: number }[] = [];
    const hostSide: { deliver?: (chunk: string, at: number) => void } = {};
    const cable = createCable(clock, BAUD, {
      board: (chunk) => {
        if (chunk.endsWith('\n')) cable.toHost.send('ok\n', cable.now());
      },
      host: (chunk) => hostSide.deliver?.(chunk, cable.now()),
    });
    hostSide.deliver = (chunk, at) => atHost.push({ chunk, at });
    cable.toBoard.send('G92 X1\n'); // 7 bytes: due at 0.7 ms, delivered by a timer firing at 2.7 ms
    base.advance(10);
    // The ok left the board at 0.7 ms and took 0.3 ms: the host sees it "as of" 1.0 ms, not 2.7 + 0.3 + 2.
    expect(atHost).toEqual([{ chunk: 'ok\n', at: expect.closeTo(1.0, 9) }]);
  });

  it('still charges the time an end spends handling a delivery', () => {
    let t = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const clock: Clock = {
      now: () => t,
      setTimeout: (fn, ms) => {
        const timer = { at: t + ms, fn };
        timers.push(timer);
        return { cancel: () => timers.splice(timers.indexOf(timer), 1) };
      },
      setInterval: () => ({ cancel: () => undefined }),
    };
    const runDue = () => {
      for (let next = timers.shift(); next; next = timers.shift()) {
        t = Math.max(t, next.at);
        next.fn();
      }
    };
    const arrivals: number[] = [];
    const cable = createCable(clock, BAUD, {
      board: () => {
        t += 0.5; // a slow board: half a millisecond to parse the line
        cable.toHost.send('ok\n', cable.now());
      },
      host: () => arrivals.push(cable.now()),
    });
    cable.toBoard.send('G92 X1\n');
    runDue();
    expect(arrivals).toEqual([expect.closeTo(0.7 + 0.5 + 0.3, 9)]);
  });
});

import { describe, expect, it } from 'vitest';
import { numberedLine } from '../../../electron/core/printers/virtual/gcode-line';
import { bench } from './harness';

/** A minimal ping-pong host that honours Resend (counting Resend + its ok as one answer). */
function streamWithResends(t: ReturnType<typeof bench>, count: number, limitMs = 600_000) {
  const resends: number[] = [];
  let next = 1;
  let seen = 0;
  let resendTo: number | null = null;
  const startedAt = t.clock.now();
  while (next <= count) {
    t.fw.write(`${numberedLine(next, `G92 X${next}`)}\n`);
    let answered = false;
    while (!answered) {
      if (t.clock.now() - startedAt > limitMs) throw new Error('The stream stalled.');
      if (seen === t.lines.length) t.clock.advance(10);
      for (; seen < t.lines.length; seen++) {
        const line = t.lines[seen]!;
        const m = /^Resend: (\d+)/.exec(line);
        if (m) {
          resendTo = Number(m[1]);
          resends.push(resendTo);
        } else if (line.startsWith('ok')) {
          next = resendTo ?? next + 1;
          resendTo = null;
          answered = true;
        }
      }
    }
  }
  return resends;
}

describe('virtual firmware: fault injection', () => {
  it('corrupts a seeded share of lines, and a resending host still gets every line run once, in order', () => {
    const t = bench({ faults: { checksumErrorRate: 0.2, seed: 7 } });
    const resends = streamWithResends(t, 100);
    expect(t.fw.executedLines).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(resends.length).toBe(t.fw.stats.injectedChecksumErrors);
    expect(resends.length).toBeGreaterThan(8);
    expect(resends.length).toBeLessThan(40);
  });

  it('corrupts the same lines for the same seed and different ones for another seed', () => {
    const run = (seed: number) => streamWithResends(bench({ faults: { checksumErrorRate: 0.2, seed } }), 60);
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('never sends the ok of a dropped line, though the line runs; a later command is answered', () => {
    const t = bench({ faults: { dropOkAtLines: [2] } });
    t.sendNumbered(1, 'M17');
    expect(t.take()).toEqual(['ok']);
    t.sendNumbered(2, 'G92 X9');
    t.clock.advance(30_000);
    expect(t.take()).toEqual([]);
    expect(t.fw.executedLines).toEqual([1, 2]);
    expect(t.fw.position.x).toBe(9);
    t.send('M105');
    expect(t.take()[0]).toMatch(/^ok T:/);
    t.sendNumbered(3, 'M17');
    expect(t.take()).toEqual(['ok']);
  });

  it('drops the link when line N arrives, without running it', () => {
    const t = bench({ faults: { disconnectAtLine: 3 } });
    let drops = 0;
    t.fw.onDisconnect(() => drops++);
    t.sendNumbered(1, 'M17', 'M17', 'M17', 'M17');
    expect(drops).toBe(1);
    expect(t.fw.state).toBe('disconnected');
    expect(t.fw.executedLines).toEqual([1, 2]);
    expect(t.take()).toEqual(['ok', 'ok']);
    t.send('M17');
    expect(t.take()).toEqual([]);
  });

  it('stays busy for the configured time on a chosen line, sending busy: processing meanwhile', () => {
    const t = bench({ faults: { busyAtLines: { 2: 5000 } } });
    t.sendNumbered(1, 'M17', 'M17');
    expect(t.take()).toEqual(['ok']);
    t.clock.advance(4999);
    expect(t.take()).toEqual(['echo:busy: processing', 'echo:busy: processing']);
    t.clock.advance(1);
    expect(t.take()).toEqual(['ok']);
  });

  it('sends busy messages at the M113 interval', () => {
    const t = bench();
    t.send('M113 S1', 'G4 S3');
    t.take();
    t.clock.advance(3000);
    expect(t.take()).toEqual(['echo:busy: processing', 'echo:busy: processing', 'echo:busy: processing', 'ok']);
  });
});

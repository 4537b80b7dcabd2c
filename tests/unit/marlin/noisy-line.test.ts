import { afterEach, describe, expect, it } from 'vitest';
import { MarlinHost, type MarlinHostOptions } from '../../../electron/core/printers/marlin/host';
import { JobStreamer, type JobOutcome } from '../../../electron/core/printers/marlin/job-streamer';
import { openSerialTransport } from '../../../electron/core/printers/serial/serial-transport';
import type { VirtualFirmwareOptions } from '../../../electron/core/printers/virtual/firmware';
import type { LineNoise } from '../../../electron/core/printers/virtual/line-noise';
import { createScaledClock } from '../../../electron/core/printers/virtual/scaled-clock';
import { systemClock } from '../../../electron/core/ports/clock';
import { startVirtualPrinterPty, type VirtualPrinterPty } from '../../../electron/headless/commands/virtual-printer';
import { textSource } from './support';

/**
 * A print over a real pty (socat) to a virtual Marlin board that injects one kind of real line noise at a
 * time. Every test asserts the one property that matters: the board executed every line of the file exactly
 * once and in order, and the job ended as completed (never a hang).
 *
 * Board and host run on the same clock, 10× faster than real time, so the host's 10 s silence timeout and a
 * 15 s silent board take a second or so of real time; the protocol logic is the product's own.
 */
const SPEED = 10;
const servers: VirtualPrinterPty[] = [];
const hosts: MarlinHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const s of servers.splice(0)) await s.close();
});

/** The host's own lines come first: N0 hello, N1 M115, N2 M155, N3 M154; the file starts at N4. */
const FIRST_JOB_LINE = 4;
const jobLine = (fileLine: number) => FIRST_JOB_LINE + fileLine - 1;

interface NoisyPrint {
  lines?: number;
  firmware?: VirtualFirmwareOptions;
  host?: MarlinHostOptions;
}

async function printThroughNoise({ lines = 60, firmware = {}, host: hostOptions = {} }: NoisyPrint) {
  const clock = createScaledClock(systemClock, SPEED);
  const server = await startVirtualPrinterPty({ firmware: { clock, recordCommands: true, ...firmware } });
  servers.push(server);
  const host = new MarlinHost({ clock, linkName: server.ptyPath, ...hostOptions });
  hosts.push(host);
  const notices: string[] = [];
  host.events.on('notice', (n) => notices.push(n));
  await host.connect(await openSerialTransport(server.ptyPath, 250000));
  const file = fastMoves(lines);
  const job = new JobStreamer(host, textSource('noisy.gcode', file.join('\n'), 4096), { clock });
  job.start();
  // A hang never ends; a slow machine only takes longer (2 000 noisy lines over a pty take seconds when CI is busy).
  const outcome = await settleWithin(job.done, lines > 100 ? 45_000 : 15_000, () => `the print hung; last notices: ${notices.slice(-3).join(' | ') || '(none)'}`);
  // Completion means every line was acknowledged; the board may still be running the last one or two.
  const executedJobLines = () => server.firmware.executedCommands.filter((c) => c.startsWith('G1 '));
  for (let i = 0; i < 200 && executedJobLines().length < file.length; i++) await new Promise((r) => setTimeout(r, 10));
  return { outcome, file, executed: executedJobLines(), firmware: server.firmware, notices, host };
}

function settleWithin<T>(promise: Promise<T>, ms: number, why: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(why())), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}

/** `count` distinct short, fast moves: the test is about the link, not the motion planner. */
const fastMoves = (count: number) => Array.from({ length: count }, (_, i) => `G1 X${(i % 50) / 10} Y${((i * 7) % 50) / 10} E${(i * 0.01).toFixed(2)} F12000`);

const completed = (lines: number): JobOutcome => ({ kind: 'completed', lines });

/** Noise on a line in the middle and on the very last line, where a lost acknowledgement hangs a print. */
const middleAndLast = (noise: LineNoise, lines = 60) => ({ [jobLine(20)]: noise, [jobLine(lines)]: noise });

describe('a print over a noisy serial line executes every line exactly once, in order', () => {
  it.each<[LineNoise, string]>([
    ['checksum', 'a line that arrives with a checksum error is sent again'],
    ['line-number', 'a line whose number arrives damaged is sent again'],
    ['future-resend', 'a resend of a line not sent yet is satisfied by sending on'],
    ['lost-resend', 'a resend of an old line (one counted as done) is sent again from history'],
    ['lost-ok', 'a lost ok is recovered by the numbered nudge'],
    ['double-ok', 'a doubled ok does not skip a line'],
    ['garbage', 'garbage bytes are ignored'],
    ['split-ok', 'an ok split across two reads is still an ok'],
  ])('%s: %s', async (noise) => {
    const run = await printThroughNoise({ firmware: { faults: { noise: { atLines: middleAndLast(noise) } } } });
    expect(run.firmware.noiseStruck[noise]).toBe(2);
    expect(run.outcome).toEqual(completed(60));
    expect(run.executed).toEqual(run.file);
  });

  it('wait: a board that says "wait" while a line is outstanding lost that line\'s ok, and the host acts at once', async () => {
    // The silence timeout is set out of reach: only reading `wait` right can finish this print.
    const run = await printThroughNoise({
      firmware: { idleWaitMs: 1000, faults: { noise: { atLines: middleAndLast('lost-ok') } } },
      host: { communicationTimeoutMs: 3_600_000 },
    });
    expect(run.firmware.stats.idleWaits).toBeGreaterThan(0);
    expect(run.outcome).toEqual(completed(60));
    expect(run.executed).toEqual(run.file);
  });

  it('wait: an idle board printing "wait" every second does not keep a lost line alive past the silence timeout', async () => {
    const run = await printThroughNoise({
      firmware: { idleWaitMs: 1000, faults: { dropOkAtLines: [jobLine(60)] } },
      host: { communicationTimeoutMs: 10_000 },
    });
    expect(run.outcome).toEqual(completed(60));
    expect(run.executed).toEqual(run.file);
  });

  it('echo:busy: a line that keeps the board busy for 25 s is a legitimate delay, not a lost ok', async () => {
    const run = await printThroughNoise({ firmware: { busyIntervalMs: 2000, faults: { busyAtLines: { [jobLine(30)]: 25_000 } } } });
    expect(run.outcome).toEqual(completed(60));
    expect(run.executed).toEqual(run.file);
    expect(run.notices.filter((n) => /No answer/.test(n))).toEqual([]);
  });

  it('a board silent for 15 s (no busy messages) is nudged, and its late ok does not shift the count', async () => {
    const run = await printThroughNoise({ firmware: { faults: { silentAtLines: { [jobLine(30)]: 15_000 } } } });
    expect(run.notices.some((n) => /No answer/.test(n))).toBe(true);
    expect(run.outcome).toEqual(completed(60));
    expect(run.executed).toEqual(run.file);
    // The count of oks is still right afterwards: a query gets its own answer.
    const answer = await run.host.send('M114');
    expect(answer.join(' ')).toMatch(/^X:/);
  });

  it('start right after the port opens: a board that resets on open eats what came before "start"', async () => {
    const run = await printThroughNoise({ firmware: { resetsOnFirstInput: true, bootMs: 1500 } });
    expect(run.outcome).toEqual(completed(60));
    expect(run.executed).toEqual(run.file);
  });

  it.each([0.03, 0.1])(
    'a 2 000-line file completes through %s noise of every kind',
    async (rate) => {
      const run = await printThroughNoise({ lines: 2000, firmware: { idleWaitMs: 1000, faults: { noise: { rate, seed: 11 } } } });
      const struck = Object.values(run.firmware.noiseStruck).reduce((a, b) => a + b, 0);
      expect(struck).toBeGreaterThan(2000 * rate * 0.6);
      expect(run.outcome).toEqual(completed(2000));
      expect(run.executed).toEqual(run.file);
    },
    60_000,
  );

  it('a 2 000-line file completes through 10% noise when streamed with a window', async () => {
    const run = await printThroughNoise({
      lines: 2000,
      firmware: { idleWaitMs: 1000, faults: { noise: { rate: 0.1, seed: 5 } } },
      host: { window: { kind: 'lines', lines: 4, rxBufferBytes: 128 } },
    });
    expect(run.outcome).toEqual(completed(2000));
    expect(run.executed).toEqual(run.file);
  }, 60_000);
});

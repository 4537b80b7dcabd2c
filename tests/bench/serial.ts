/**
 * Serial streaming benchmark. Prints one JSON object per line:
 *   host_lines_per_s               job lines/s the host sustains over a real pty against a board that acks instantly
 *   host_lines_per_s_pingpong      the same with one line in flight
 *   cpu_s_per_10k_lines            host-process CPU seconds per 10 000 streamed lines (windowed run)
 *   link_utilisation_<baud>_<mode>_model
 *                                  lines/s achieved ÷ lines/s the simulated link can carry (10 bits/byte),
 *                                  against the virtual firmware (its RX buffer, queue and baud rate), timed on
 *                                  the simulated link's clock: a model, hence the name
 *   vs_printcore_<instant|baud>    real time over real ptys: our lines/s ÷ Printrun printcore's lines/s on the
 *                                  same virtual board and file, both timed by the board (serial-vs-printcore.ts)
 * Bounded to about a minute.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarlinHost, type SendWindow } from '../../electron/core/printers/marlin/host';
import { JobStreamer } from '../../electron/core/printers/marlin/job-streamer';
import { openSerialTransport } from '../../electron/core/printers/serial/serial-transport';
import { VirtualFirmware } from '../../electron/core/printers/virtual/firmware';
import { createInProcessLink } from '../../electron/core/printers/virtual/in-process-link';
import type { PrintSource } from '../../electron/core/printers/driver';
import { headToHead } from './serial-vs-printcore';

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench: 'serial', metric, value: Math.round(value * 1000) / 1000, unit, ...extra })}\n`);
}

/**
 * Typical sliced extrusion moves: tiny segments, ~45 bytes framed. Used where the board acks at once
 * (the host-throughput runs over a pty).
 */
function moves(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const x = (100 + (i % 50) * 0.013).toFixed(3);
    const y = (100 + (i % 37) * 0.011).toFixed(3);
    out.push(`G1 X${x} Y${y} E${(0.01234 + (i % 9) * 0.001).toFixed(5)} F12000`);
  }
  return out;
}

/**
 * A curved perimeter as a slicer writes it: 0.1 mm segments around a 40 mm circle, absolute extrusion,
 * the feed rate on every line (`N1234 G1 X150.000 Y110.000 E100.00333 F9000*93`, 43–47 bytes framed,
 * as a long print's `N12345 G1 X123.456 Y78.901 E0.04567*87` lines are). The firmware really plans these
 * moves; at 150 mm/s a segment takes 0.67 ms, well under the 1.7 ms a 45-byte line needs on the wire at
 * 250000 baud, so motion is never what limits the stream (the bench checks that the planner never fills).
 */
function slicedLines(count: number): string[] {
  const radius = 40;
  const step = 0.1 / radius;
  let e = 100;
  return Array.from({ length: count }, (_, i) => {
    const a = i * step;
    const x = (150 + radius * Math.sin(a)).toFixed(3);
    const y = (150 - radius * Math.cos(a)).toFixed(3);
    e += 0.00333;
    return `G1 X${x} Y${y} E${e.toFixed(5)} F9000`;
  });
}

/** What the firmware runs before the timed part: absolute E from 100, cold extrusion allowed (no heat-up wait), at the start point. */
const SLICED_SETUP = ['M82', 'G92 E100', 'M302 P1', 'G1 X150 Y110 F30000', 'M400'];

/**
 * Short lines (~38 bytes framed) as G92, executed without motion: the shape this bench used first. Three
 * fit in the 128-byte RX buffer where only two 45-byte lines do, so they hide round-trip latency better.
 */
function shortLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `G92 X${(100 + (i % 97) * 0.237).toFixed(3)} Y${(70 + (i % 89) * 0.113).toFixed(3)} E${(0.04 + (i % 7) * 0.001).toFixed(5)}`);
}

function memorySource(lines: string[]): PrintSource {
  const bytes = Buffer.from(`${lines.join('\n')}\n`, 'latin1');
  return {
    name: 'bench.gcode',
    size: bytes.length,
    async *open() {
      for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536);
    },
  };
}

// A board that answers every line with `ok` at once, behind a socat pty, in its own process.
const RESPONDER = `
let pending = '';
process.stdin.on('data', (d) => {
  const s = pending + d.toString('latin1');
  let n = 0, i = -1;
  while ((i = s.indexOf('\\n', i + 1)) !== -1) n++;
  pending = s.slice(s.lastIndexOf('\\n') + 1);
  if (n) process.stdout.write('ok\\n'.repeat(n));
});`;

const scratch = mkdtempSync(join(tmpdir(), 'apf-bench-serial-'));
const responderFile = join(scratch, 'responder.cjs');
writeFileSync(responderFile, RESPONDER);

function startResponderPty(): Promise<{ path: string; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const proc = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', `EXEC:${process.execPath} ${responderFile}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start: ${err}`)), 5000);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (c: string) => {
      err += c;
      const m = /PTY is (\S+)/.exec(err);
      if (m && err.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve({ path: m[1]!, proc });
      }
    });
    proc.once('error', reject);
  });
}

async function hostThroughput(window: SendWindow, lines: number): Promise<{ linesPerS: number; cpuS: number }> {
  const pty = await startResponderPty();
  try {
    const host = new MarlinHost({ window, temperatureIntervalS: 0, handshake: 'hello' });
    await host.connect(await openSerialTransport(pty.path, 250000));
    const job = new JobStreamer(host, memorySource(moves(lines)));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    job.start();
    const outcome = await job.done;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await host.close();
    if (outcome.kind !== 'completed') throw new Error(`bench print did not complete: ${JSON.stringify(outcome)}`);
    return { linesPerS: lines / seconds, cpuS: (cpu.user + cpu.system) / 1e6 };
  } finally {
    pty.proc.kill('SIGTERM');
  }
}

type LineShape = 'sliced' | 'short';

interface LinkRun {
  utilisation: number;
  linesPerS: number;
  bytesPerLine: number;
  minBytes: number;
  maxBytes: number;
  /** Fewest free planner blocks any ok reported (ADVANCED_OK only); 0 would mean motion held the stream up. */
  plannerFreeMin: number | null;
  /** How far the simulator's timers ran behind the simulated link by the end of the run. */
  wallLagMs: number;
}

async function linkUtilisation(baudRate: number, window: SendWindow, shape: LineShape, seconds: number): Promise<LinkRun> {
  const fw = new VirtualFirmware({ baudRate, rxBufferBytes: 128, commandBufferLines: 4, autoReport: false, advancedOk: window.kind === 'advancedOk' });
  const host = new MarlinHost({ window, temperatureIntervalS: 0 });
  const link = createInProcessLink(fw);
  await host.connect(link);
  if (shape === 'sliced') for (const line of SLICED_SETUP) await host.send(line);
  let framedBytes = 0;
  let framedLines = 0;
  let minBytes = Infinity;
  let maxBytes = 0;
  let plannerFreeMin: number | null = null;
  host.events.on('sent', (e) => {
    if (e.origin !== 'job') return;
    const bytes = e.line.length + 1;
    framedBytes += bytes;
    framedLines++;
    minBytes = Math.min(minBytes, bytes);
    maxBytes = Math.max(maxBytes, bytes);
  });
  // Timed in the link's simulated time: when the last ok reached the host. Node's timers (one or more
  // per hop, each at least 1 ms) can fall behind a fast link, which is the simulator's limit, not the link's.
  let lastOkAt = 0;
  host.events.on('received', (e) => {
    if (e.response.kind !== 'ok') return;
    lastOkAt = link.simulatedNow();
    if (e.response.plannerFree !== null) plannerFreeMin = Math.min(plannerFreeMin ?? Infinity, e.response.plannerFree);
  });
  // Enough lines for `seconds` at full link speed; the framed length is measured, not assumed.
  const count = Math.ceil((baudRate / 10 / 44) * seconds);
  const lines = shape === 'sliced' ? slicedLines(count) : shortLines(count);
  const executedBefore = fw.executedLines.length;
  const job = new JobStreamer(host, memorySource(lines));
  const t0 = fw.clock.now();
  job.start();
  const outcome = await job.done;
  const elapsedS = (lastOkAt - t0) / 1000;
  const wallLagMs = fw.clock.now() - lastOkAt;
  await host.close();
  fw.close();
  if (outcome.kind !== 'completed') throw new Error(`bench print did not complete: ${JSON.stringify(outcome)}`);
  if (fw.stats.rxDroppedBytes > 0) throw new Error(`the host overran the firmware RX buffer (${fw.stats.rxDroppedBytes} bytes dropped)`);
  if (fw.executedLines.length - executedBefore !== count) throw new Error(`the firmware executed ${fw.executedLines.length - executedBefore} of ${count} lines`);
  if (plannerFreeMin === 0) throw new Error('the planner filled up: motion, not the link, limited this run');
  const linesPerS = outcome.lines / elapsedS;
  const capacity = baudRate / 10 / (framedBytes / framedLines);
  return { utilisation: linesPerS / capacity, linesPerS, bytesPerLine: framedBytes / framedLines, minBytes, maxBytes, plannerFreeMin, wallLagMs };
}

function linkExtras(run: LinkRun, more: Record<string, unknown>): Record<string, unknown> {
  return {
    lines_per_s: Math.round(run.linesPerS),
    bytes_per_line: Math.round(run.bytesPerLine * 10) / 10,
    bytes_per_line_range: [run.minBytes, run.maxBytes],
    simulator_lag_ms: Math.round(run.wallLagMs),
    ...more,
  };
}

async function main(): Promise<void> {
  // The simulation's timers are unref'd (systemClock); keep the process alive while it runs.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await runAll();
  } finally {
    clearInterval(keepAlive);
  }
}

async function runAll(): Promise<void> {
  const windowed = await hostThroughput({ kind: 'lines', lines: 16 }, 60_000);
  emit('host_lines_per_s', windowed.linesPerS, 'lines/s', { window: 16, target: 20000 });
  emit('cpu_s_per_10k_lines', (windowed.cpuS * 10_000) / 60_000, 's');
  const pingpong = await hostThroughput({ kind: 'pingpong' }, 10_000);
  emit('host_lines_per_s_pingpong', pingpong.linesPerS, 'lines/s');

  for (const baud of [115200, 250000]) {
    // One line per ok, realistic sliced moves.
    const pp = await linkUtilisation(baud, { kind: 'pingpong' }, 'sliced', 2);
    emit(`link_utilisation_${baud}_pingpong_model`, pp.utilisation, 'ratio', linkExtras(pp, { lines: 'sliced G1' }));
    // Windowed: ADVANCED_OK tells the host which lines already left the 128-byte RX buffer.
    const win = await linkUtilisation(baud, { kind: 'advancedOk', rxBufferBytes: 128 }, 'sliced', 2.5);
    emit(
      `link_utilisation_${baud}_window_model`,
      win.utilisation,
      'ratio',
      linkExtras(win, { lines: 'sliced G1', mode: 'advanced-ok', planner_free_min: win.plannerFreeMin, target: 0.95 }),
    );
    // Windowed without firmware help: a fixed window bounded by counting bytes against the RX buffer.
    const cc = await linkUtilisation(baud, { kind: 'lines', lines: 8, rxBufferBytes: 128 }, 'sliced', 2.5);
    emit(`link_utilisation_${baud}_window_charcount_model`, cc.utilisation, 'ratio', linkExtras(cc, { lines: 'sliced G1', mode: 'lines-8-rx-128' }));
    // The short G92 lines the bench first used: three fit in the RX buffer, not two.
    const short = await linkUtilisation(baud, { kind: 'advancedOk', rxBufferBytes: 128 }, 'short', 1.5);
    emit(`link_utilisation_${baud}_window_short_model`, short.utilisation, 'ratio', linkExtras(short, { lines: 'short G92', mode: 'advanced-ok' }));
  }

  // Head to head with Printrun's printcore, in real time. Instant link: G92 lines (no motion, so neither the
  // planner nor the wire limits; the hosts do). At a baud rate: the sliced curve, whose moves are faster than the wire.
  const instant = await headToHead(null, [], shortLines(4000), scratch);
  emitHeadToHead('vs_printcore_instant', instant, 'short G92');
  for (const baud of [115200, 250000]) {
    const run = await headToHead(baud, SLICED_SETUP, slicedLines(baud === 115200 ? 1500 : 3000), scratch);
    emitHeadToHead(`vs_printcore_${baud}`, run, 'sliced G1');
  }
}

function emitHeadToHead(metric: string, run: Awaited<ReturnType<typeof headToHead>>, lines: string): void {
  emit(metric, run.ratio, 'ratio', {
    ours_lines_per_s: Math.round(run.oursLinesPerS),
    printcore_lines_per_s: Math.round(run.printcoreLinesPerS),
    ours_window: run.oursWindow,
    lines,
    clock: 'real time',
  });
}

main().then(
  () => {
    rmSync(scratch, { recursive: true, force: true });
    process.exit(0);
  },
  (err: unknown) => {
    rmSync(scratch, { recursive: true, force: true });
    process.stderr.write(`bench:serial failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);

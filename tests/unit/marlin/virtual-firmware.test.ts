import { afterEach, describe, expect, it } from 'vitest';
import { MarlinDriver } from '../../../electron/core/printers/marlin/driver';
import { MarlinHost, type SendWindow } from '../../../electron/core/printers/marlin/host';
import { JobStreamer } from '../../../electron/core/printers/marlin/job-streamer';
import { VirtualFirmware, type VirtualFirmwareOptions } from '../../../electron/core/printers/virtual/firmware';
import { createInProcessLink } from '../../../electron/core/printers/virtual/in-process-link';
import { createScaledClock } from '../../../electron/core/printers/virtual/scaled-clock';
import { systemClock } from '../../../electron/core/ports/clock';
import type { JobReport } from '../../../electron/core/printers/marlin/driver';
import type { JobEnd, PrinterStatus } from '../../../electron/core/printers/model';
import { gcodeLines, textSource, until } from './support';

const firmwares: VirtualFirmware[] = [];
const drivers: MarlinDriver[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.dispose();
  for (const f of firmwares.splice(0)) f.close();
});

/** Simulated time runs fast so moves and heating do not slow the tests down. */
function firmware(opts: VirtualFirmwareOptions = {}): VirtualFirmware {
  const fw = new VirtualFirmware({ clock: createScaledClock(systemClock, 200), ...opts });
  firmwares.push(fw);
  return fw;
}

/** Line numbers the firmware executed must be consecutive: every line exactly once, in order. */
function expectConsecutive(executed: readonly number[]): void {
  const gaps = executed.filter((n, i) => i > 0 && n !== executed[i - 1]! + 1);
  expect(gaps).toEqual([]);
}

async function hostOn(fw: VirtualFirmware, window: SendWindow = { kind: 'pingpong' }) {
  const host = new MarlinHost({ window, communicationTimeoutMs: 2000, temperatureIntervalS: 0 });
  await host.connect(createInProcessLink(fw));
  return host;
}

describe('MarlinHost against the virtual firmware (in process)', () => {
  const windows: [string, SendWindow, VirtualFirmwareOptions][] = [
    ['one line per ok', { kind: 'pingpong' }, {}],
    ['a 4-line window bounded by the RX buffer', { kind: 'lines', lines: 4, rxBufferBytes: 128 }, {}],
    ['an ADVANCED_OK window', { kind: 'advancedOk', rxBufferBytes: 128 }, { advancedOk: true }],
  ];
  for (const [name, window, fwOpts] of windows) {
    it(`executes every line exactly once and in order with 1% of lines corrupted, sending ${name}`, async () => {
      const fw = firmware({ ...fwOpts, faults: { checksumErrorRate: 0.01, seed: 7 } });
      const host = await hostOn(fw, window);
      const first = fw.lastLineNumber + 1;
      const lines = gcodeLines(1500).map((l) => `${l} F12000`);
      const job = new JobStreamer(host, textSource('corrupt.gcode', lines.join('\n'), 4096));
      job.start();
      const outcome = await job.done;
      expect(outcome).toEqual({ kind: 'completed', lines: 1500 });
      expect(fw.stats.injectedChecksumErrors).toBeGreaterThan(5);
      const jobLines = fw.executedLines.filter((n) => n >= first);
      expect(jobLines.length).toBe(1500);
      expectConsecutive(fw.executedLines);
      expect(fw.stats.rxDroppedBytes).toBe(0);
      await host.close();
    });
  }

  it('finishes a print whose ok was lost, by nudging after the timeout', async () => {
    const fw = firmware({ faults: { dropOkAtLines: [40] } });
    const host = new MarlinHost({ communicationTimeoutMs: 100, temperatureIntervalS: 0 });
    await host.connect(createInProcessLink(fw));
    const notices: string[] = [];
    host.events.on('notice', (n) => notices.push(n));
    const job = new JobStreamer(
      host,
      textSource(
        'drop.gcode',
        gcodeLines(100)
          .map((l) => `${l} F12000`)
          .join('\n'),
      ),
    );
    job.start();
    expect(await job.done).toEqual({ kind: 'completed', lines: 100 });
    expectConsecutive(fw.executedLines);
    expect(notices.some((n) => /lost "ok"/.test(n))).toBe(true);
    await host.close();
  });

  it('marks the job interrupted at the line where the cable dropped, then reconnects and prints again', async () => {
    const fw = firmware({ faults: { disconnectAtLine: 60 } });
    const host = await hostOn(fw);
    const first = fw.lastLineNumber + 1;
    const job = new JobStreamer(
      host,
      textSource(
        'cut.gcode',
        gcodeLines(200)
          .map((l) => `${l} F12000`)
          .join('\n'),
      ),
    );
    job.start();
    const outcome = await job.done;
    // Firmware line 60 is job line 60 - first + 1; it was never executed, so that is where a restart resumes.
    expect(outcome).toMatchObject({ kind: 'interrupted', atLine: 60 - first + 1, reason: expect.stringMatching(/dropped the connection/) });
    expect(host.state().kind).toBe('disconnected');
    await host.connect(createInProcessLink(fw));
    const again = new JobStreamer(host, textSource('again.gcode', 'G28\nG1 X5 Y5 F3000\n'));
    again.start();
    expect(await again.done).toEqual({ kind: 'completed', lines: 2 });
    await host.close();
  });

  it('halts and interrupts the job on an emergency stop', async () => {
    const fw = firmware();
    const host = await hostOn(fw);
    const job = new JobStreamer(host, textSource('stop.gcode', ['G28', ...gcodeLines(2000)].join('\n')));
    job.start();
    await until(() => fw.executedLines.length > 20, 'printing');
    await host.sendEmergency('M112');
    const outcome = await job.done;
    expect(outcome).toMatchObject({ kind: 'interrupted', reason: expect.stringMatching(/Emergency stop/) });
    await until(() => fw.state === 'killed', 'the board to be killed');
    await host.close();
  });
});

describe('MarlinDriver over the virtual firmware', () => {
  function driverFor(fw: VirtualFirmware, opts: ConstructorParameters<typeof MarlinDriver>[0]['options'] = {}) {
    const d = new MarlinDriver({ transport: () => createInProcessLink(fw), options: { host: { temperatureIntervalS: 1, ...opts.host }, ...opts } });
    drivers.push(d);
    return d;
  }

  it('connects, reports firmware, temperatures and position, and goes idle', async () => {
    const fw = firmware();
    const d = driverFor(fw);
    const states: string[] = [];
    d.onStatus((s) => states.push(s.state.kind));
    await d.connect();
    expect(d.status().firmware).toMatchObject({ name: expect.stringMatching(/Marlin 2\.1/), capabilities: { AUTOREPORT_TEMP: true, EMERGENCY_PARSER: true } });
    await d.setTemperature('hotend', 200);
    await until(() => (d.status().temperatures.hotend?.actual ?? 0) > 30, 'hotend heating');
    expect(d.status().temperatures.hotend?.target).toBe(200);
    await d.home(['x', 'y']);
    await d.jog({ x: 10, y: 5 }, 3000);
    expect(d.status().position).toMatchObject({ x: 10, y: 5 });
    expect(states[0]).toBe('connecting');
    expect(d.status().state).toEqual({ kind: 'idle' });
  });

  it('answers console commands with the lines before ok and logs them without auto-report noise', async () => {
    const fw = firmware();
    const d = driverFor(fw);
    const entries: string[] = [];
    d.onConsole((e) => entries.push(`${e.direction}:${e.line}`));
    await d.connect();
    const answer = await d.sendCommand('M114');
    expect(answer[0]).toMatch(/^X:0\.00 Y:0\.00 Z:0\.00 E:0\.00/);
    expect(entries.some((e) => /^sent:N\d+ M114\*\d+$/.test(e))).toBe(true);
    expect(entries.some((e) => e.startsWith('received:X:0.00'))).toBe(true);
    const reports = { n: 0 };
    d.onStatus(() => reports.n++);
    await until(() => reports.n > 3, 'several temperature auto-reports');
    expect(entries.some((e) => /(?:^|[:\s])T:\d/.test(e))).toBe(false);
  });

  it('prints a file through pause, resume and completion, parking and returning the head', async () => {
    const fw = firmware();
    const d = driverFor(fw);
    await d.connect();
    const reports: JobReport[] = [];
    d.onJob((r) => reports.push(r));
    const lines = ['G28', 'G90', ...gcodeLines(400).map((l) => `${l} F6000`)];
    await d.startPrint(textSource('cube.gcode', lines.join('\n')));
    await until(() => fw.executedLines.length > 100, 'printing');
    await d.pause();
    expect(d.status().state.kind).toBe('paused');
    const lastLine = fw.executedLines.at(-1)!;
    expect(fw.position.z).toBe(10);
    await d.resume();
    await until(() => reports.length === 1, 'job end');
    expect(reports[0]).toMatchObject({ fileName: 'cube.gcode', outcome: { kind: 'completed', lines: 402 }, firmwareHalted: false });
    expect(fw.executedLines.at(-1)!).toBeGreaterThan(lastLine);
    expectConsecutive(fw.executedLines);
    expect(fw.position.z).toBe(0);
    const status: PrinterStatus = d.status();
    expect(status.state).toEqual({ kind: 'idle' });
  });

  it('reports a print ended by an emergency stop as failed, with the printer in error', async () => {
    const fw = firmware();
    const d = driverFor(fw);
    await d.connect();
    const ends: JobEnd[] = [];
    d.onJobEnd((e) => ends.push(e));
    await d.startPrint(textSource('stop.gcode', ['G28', ...gcodeLines(3000)].join('\n')));
    await until(() => fw.executedLines.length > 20, 'printing');
    await d.emergencyStop();
    await until(() => ends.length === 1, 'job end');
    expect(ends[0]!.outcome).toEqual({ kind: 'failed', reason: expect.stringMatching(/Emergency stop/) });
    expect(d.status().state).toMatchObject({ kind: 'error', message: expect.stringMatching(/M112/) });
  });

  it('cancels a print and runs the cancel script', async () => {
    const fw = firmware();
    const d = driverFor(fw);
    await d.connect();
    await d.setTemperature('bed', 60);
    const reports: JobReport[] = [];
    d.onJob((r) => reports.push(r));
    await d.startPrint(textSource('long.gcode', ['G28', ...gcodeLines(5000).map((l) => `${l} F3000`)].join('\n')));
    await until(() => fw.executedLines.length > 30, 'printing');
    await d.cancel();
    await until(() => reports.length === 1, 'job end');
    expect(reports[0]!.outcome.kind).toBe('cancelled');
    expect(fw.temperatures.bed.target).toBe(0);
    expect(d.status().state).toEqual({ kind: 'idle' });
  });

  it('reports an interrupted print in its offline state when the link drops, and reconnects', async () => {
    const fw = firmware({ faults: { disconnectAtLine: 50 } });
    const d = driverFor(fw);
    await d.connect();
    const reports: JobReport[] = [];
    d.onJob((r) => reports.push(r));
    const ends: JobEnd[] = [];
    d.onJobEnd((e) => ends.push(e));
    await d.startPrint(
      textSource(
        'cut.gcode',
        gcodeLines(300)
          .map((l) => `${l} F12000`)
          .join('\n'),
      ),
    );
    await until(() => reports.length === 1, 'job end');
    expect(reports[0]!.outcome).toMatchObject({ kind: 'interrupted' });
    expect(ends).toEqual([
      { fileName: 'cut.gcode', at: expect.any(Number), outcome: { kind: 'interrupted', reason: expect.stringMatching(/dropped the connection/), atLine: expect.any(Number) } },
    ]);
    const state = d.status().state;
    expect(state.kind).toBe('offline');
    expect(state.kind === 'offline' && state.reason).toMatch(/stopped at line \d+/);
    await d.connect();
    expect(d.status().state).toEqual({ kind: 'idle' });
  });
});

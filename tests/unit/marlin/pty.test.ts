import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MarlinHost } from '../../../electron/core/printers/marlin/host';
import { JobStreamer } from '../../../electron/core/printers/marlin/job-streamer';
import { openSerialTransport } from '../../../electron/core/printers/serial/serial-transport';
import { createScaledClock } from '../../../electron/core/printers/virtual/scaled-clock';
import { systemClock } from '../../../electron/core/ports/clock';
import { printCommand } from '../../../electron/headless/commands/print';
import { startVirtualPrinterPty, type VirtualPrinterPty } from '../../../electron/headless/commands/virtual-printer';
import { gcodeLines, textSource } from './support';

const servers: VirtualPrinterPty[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function ptyPrinter(firmware: Parameters<typeof startVirtualPrinterPty>[0] extends infer O ? (O extends { firmware?: infer F } ? F : never) : never) {
  const server = await startVirtualPrinterPty({ firmware: { clock: createScaledClock(systemClock, 200), ...firmware } });
  servers.push(server);
  return server;
}

function gcodeFile(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'apf-print-'));
  dirs.push(dir);
  const path = join(dir, 'part.gcode');
  writeFileSync(path, `; sliced for a test\n${lines.join('\n')}\n`);
  return path;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), progressTty: null }, out, err };
}

const consecutive = (xs: readonly number[]) => xs.every((n, i) => i === 0 || n === xs[i - 1]! + 1);

describe('Marlin host over a real pty (socat)', () => {
  it('apf print executes every line exactly once and in order with 1% of lines corrupted', async () => {
    const server = await ptyPrinter({ faults: { checksumErrorRate: 0.01, seed: 3 } });
    const file = gcodeFile(gcodeLines(1000).map((l) => `${l} F12000 ; move`));
    const { io, out, err } = capture();
    const code = await printCommand(['--port', server.ptyPath, '--baud', '115200', '--window', '4', file], io);
    expect(err.filter((l) => l.startsWith('apf print'))).toEqual([]);
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^Printed part\.gcode: 1000 lines acknowledged/);
    expect(server.firmware.stats.injectedChecksumErrors).toBeGreaterThan(3);
    expect(consecutive(server.firmware.executedLines)).toBe(true);
    expect(err).toContain('progress 100% (1000 lines)');
  });

  it('apf print --printer streams to a saved USB printer with its own buffered mode', async () => {
    const server = await ptyPrinter({ advancedOk: true });
    const data = mkdtempSync(join(tmpdir(), 'apf-print-data-'));
    dirs.push(data);
    const serial = { streaming: 'buffered', windowLines: 4, rxBufferBytes: 128 };
    writeFileSync(
      join(data, 'config.json'),
      JSON.stringify({ printers: { saved: [{ id: 'prn_pty', name: 'Pty Board', kind: 'marlin', embedded: false, port: server.ptyPath, baudRate: 250000, serial }] } }),
    );
    const file = gcodeFile(gcodeLines(300));
    const { io, out, err } = capture();
    const code = await printCommand(['--printer', 'Pty Board', '--data', data, file], io);
    expect(err.filter((l) => l.startsWith('apf print'))).toEqual([]);
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^Printed part\.gcode: 300 lines acknowledged/);
    expect(consecutive(server.firmware.executedLines)).toBe(true);
  });

  it('apf print streams with the window an ADVANCED_OK board reports, with no flag', async () => {
    const server = await ptyPrinter({ advancedOk: true });
    const file = gcodeFile(gcodeLines(300).map((l) => `${l} F12000`));
    const { io, out } = capture();
    expect(await printCommand(['--port', server.ptyPath, '--baud', '250000', file], io)).toBe(0);
    expect(out.at(-1)).toMatch(/300 lines acknowledged .*into the printer's 4-line queue as its ADVANCED_OK reports\)\.$/);
    expect(consecutive(server.firmware.executedLines)).toBe(true);
  });

  it('apf print sends one line per ok to a board without ADVANCED_OK', async () => {
    const server = await ptyPrinter({});
    const file = gcodeFile(gcodeLines(50).map((l) => `${l} F12000`));
    const { io, out } = capture();
    expect(await printCommand(['--port', server.ptyPath, '--baud', '250000', file], io)).toBe(0);
    expect(out.at(-1)).toMatch(/50 lines acknowledged .*one line per ok\)\.$/);
  });

  it('apf print finds the baud rate by itself', async () => {
    const server = await ptyPrinter({});
    const file = gcodeFile(['G28', 'G1 X10 Y10 F3000']);
    const { io, err } = capture();
    expect(await printCommand(['--port', server.ptyPath, file], io)).toBe(0);
    expect(err).toContain('Connected at 250000 baud.');
  });

  it('apf print exits non-zero naming the line when the pty goes away mid-print', async () => {
    const server = await ptyPrinter({ faults: { disconnectAtLine: 300 } });
    const file = gcodeFile(gcodeLines(1000).map((l) => `${l} F12000`));
    const { io, err } = capture();
    const code = await printCommand(['--port', server.ptyPath, '--baud', '115200', file], io);
    expect(code).toBe(1);
    expect(err.at(-1)).toMatch(/^apf print: the print stopped at line \d+ of part\.gcode/);
    expect(server.firmware.executedLines.at(-1)).toBe(299);
  });

  it('apf print explains a missing port', async () => {
    const { io, err } = capture();
    const code = await printCommand(['--port', '/dev/ttyUSB-not-there', '--baud', '115200', gcodeFile(['G28'])], io);
    expect(code).toBe(1);
    expect(err.at(-1)).toMatch(/does not exist/);
  });

  it('marks a job interrupted when the pty is closed, and prints again after reconnecting', async () => {
    const server = await ptyPrinter({});
    const host = new MarlinHost({ temperatureIntervalS: 0, linkName: server.ptyPath });
    await host.connect(await openSerialTransport(server.ptyPath, 115200));
    const job = new JobStreamer(
      host,
      textSource(
        'long.gcode',
        gcodeLines(100_000)
          .map((l) => `${l} F12000`)
          .join('\n'),
        4096,
      ),
    );
    let closing = Promise.resolve();
    let closed = false;
    job.events.on('progress', (s) => {
      if (s.linesAcked > 200 && !closed) {
        closed = true;
        closing = server.close();
      }
    });
    job.start();
    const outcome = await job.done;
    await closing;
    expect(outcome).toMatchObject({ kind: 'interrupted' });
    if (outcome.kind !== 'interrupted') throw new Error('not interrupted');
    expect(outcome.atLine).toBeGreaterThan(200);
    expect(host.state().kind).toBe('disconnected');

    const again = await ptyPrinter({});
    await host.connect(await openSerialTransport(again.ptyPath, 115200));
    const second = new JobStreamer(host, textSource('short.gcode', 'G28\nG1 X1 Y1 F3000\n'));
    second.start();
    expect(await second.done).toEqual({ kind: 'completed', lines: 2 });
    await host.close();
  });
});

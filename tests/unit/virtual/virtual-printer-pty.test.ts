import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../electron/headless/args';
import { parseVirtualPrinterArgs, startVirtualPrinterPty, type VirtualPrinterPty } from '../../../electron/headless/commands/virtual-printer';
import { numberedLine } from '../../../electron/core/printers/virtual/gcode-line';

const hasSocat = spawnSync('socat', ['-V']).status === 0;

function open(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200 }, (err) => (err ? reject(err) : resolve(port)));
  });
}

/** Collects text from the port and resolves once `done` holds for everything received so far. */
function readUntil(port: SerialPort, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (b: Buffer) => {
      text += b.toString('latin1');
      if (done(text)) {
        port.off('data', onData);
        resolve(text);
      }
    };
    port.on('data', onData);
  });
}

const closePort = (port: SerialPort) => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));

describe('apf virtual-printer arguments', () => {
  it('requires --pty and explains it', () => {
    expect(() => parseVirtualPrinterArgs([])).toThrow(UsageError);
    expect(() => parseVirtualPrinterArgs([])).toThrow(/--pty/);
  });

  it('turns the fault and link flags into firmware options', () => {
    const o = parseVirtualPrinterArgs(['--pty', '--baud', '250000', '--advanced-ok', '--drop-ok-at', '3,9', '--disconnect-at', '12', '--checksum-error-rate', '0.05']);
    expect(o.firmware).toMatchObject({
      baudRate: 250000,
      advancedOk: true,
      faults: { dropOkAtLines: [3, 9], disconnectAtLine: 12, checksumErrorRate: 0.05, seed: 1 },
    });
  });

  it('turns the noise flags into a noise plan and an idle wait', () => {
    const o = parseVirtualPrinterArgs(['--pty', '--noise-rate', '0.1', '--noise', 'lost-ok,future-resend', '--idle-wait', '1000']);
    expect(o.firmware).toMatchObject({ idleWaitMs: 1000, faults: { noise: { rate: 0.1, kinds: ['lost-ok', 'future-resend'] } } });
  });

  it('names the kinds of noise when an unknown one is asked for', () => {
    expect(() => parseVirtualPrinterArgs(['--pty', '--noise-rate', '0.1', '--noise', 'static'])).toThrow(/"static" is not a kind of noise.*checksum/);
  });

  it('rejects a checksum error rate outside 0..1 and malformed line lists', () => {
    expect(() => parseVirtualPrinterArgs(['--pty', '--checksum-error-rate', '2'])).toThrow(/from 0 to 1/);
    expect(() => parseVirtualPrinterArgs(['--pty', '--drop-ok-at', '3,x'])).toThrow(/separated by commas/);
  });
});

describe.skipIf(!hasSocat)('apf virtual-printer --pty (needs socat)', () => {
  let server: VirtualPrinterPty | null = null;
  let port: SerialPort | null = null;
  let dir: string | null = null;

  afterEach(async () => {
    if (port) await closePort(port);
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    server = port = dir = null;
  });

  it('answers M115 with FIRMWARE_NAME over a real pty and logs executed line numbers', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-vp-'));
    const execLog = join(dir, 'exec.log');
    server = await startVirtualPrinterPty({ execLog });
    port = await open(server.ptyPath);
    const caps = readUntil(port, (t) => /\nok\n/.test(t));
    port.write('M115\n');
    expect((await caps).split('\n')[0]).toMatch(/^FIRMWARE_NAME:Marlin /);
    const oks = readUntil(port, (t) => t.split('\n').filter((l) => l === 'ok').length === 3);
    port.write([1, 2, 3].map((n) => `${numberedLine(n, 'M17')}\n`).join(''));
    await oks;
    expect(readFileSync(execLog, 'utf8')).toBe('1\n2\n3\n');
  });

  it('hangs up the host end when the simulated link drops', async () => {
    server = await startVirtualPrinterPty({ firmware: { faults: { disconnectAtLine: 2 } } });
    port = await open(server.ptyPath);
    const first = readUntil(port, (t) => t.includes('ok\n'));
    port.write(`${numberedLine(1, 'M17')}\n`);
    await first;
    port.write(`${numberedLine(2, 'M17')}\n`);
    expect(await server.stopped).toMatchObject({ kind: 'simulated-disconnect' });
    expect(server.firmware.executedLines).toEqual([1]);
  });

  it('runs as a command: prints APF_PTY, serves ADVANCED_OK, and exits cleanly on SIGTERM', async () => {
    const runner = fileURLToPath(new URL('./run-virtual-printer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', runner, '--pty', '--advanced-ok'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const ptyPath = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /APF_PTY=(\S+)\n/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`virtual-printer exited early: ${stderr}`)));
    });
    port = await open(ptyPath);
    const ok = readUntil(port, (t) => t.includes('\n'));
    port.write(`${numberedLine(1, 'M17')}\n`);
    expect(await ok).toBe('ok N1 P15 B3\n');
    await closePort(port);
    port = null;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

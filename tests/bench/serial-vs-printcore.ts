/**
 * Real time, real pseudo-terminals: this app's host and Printrun's printcore (Debian's `printrun-cli`
 * package, the `printcore` command) print the same file to the same kind of virtual board, one after the
 * other, and the board itself times them: from the moment it runs the file's first timed line to the moment
 * it runs the last. Startup, handshakes and printcore's once-a-second completion poll are outside the timing.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MarlinHost } from '../../electron/core/printers/marlin/host';
import { JobStreamer } from '../../electron/core/printers/marlin/job-streamer';
import { openSerialTransport } from '../../electron/core/printers/serial/serial-transport';
import type { PrintSource } from '../../electron/core/printers/driver';
import { startVirtualPrinterPty } from '../../electron/headless/commands/virtual-printer';

export interface HeadToHead {
  oursLinesPerS: number;
  printcoreLinesPerS: number;
  /** ours ÷ printcore */
  ratio: number;
  oursWindow: string;
}

interface Timed {
  linesPerS: number;
  window: string;
}

/**
 * `setup` runs untimed first (both hosts send it as part of the file); `timed` are the lines measured. A
 * null baud rate is an instant link (the pty's own speed), where the hosts' own overhead shows.
 */
export async function headToHead(baudRate: number | null, setup: string[], timed: string[], scratch: string): Promise<HeadToHead> {
  const file = join(scratch, `head-to-head-${baudRate ?? 'instant'}.gcode`);
  writeFileSync(file, `${[...setup, ...timed].join('\n')}\n`);
  const ours = await timeOnBoard(baudRate, timed, async (pty) => {
    const host = new MarlinHost({ temperatureIntervalS: 0, linkName: pty });
    await host.connect(await openSerialTransport(pty, baudRate ?? 250000));
    const job = new JobStreamer(host, fileSource([...setup, ...timed]));
    job.start();
    const outcome = await job.done;
    const window = host.windowInUse();
    await host.close();
    if (outcome.kind !== 'completed') throw new Error(`our print did not complete: ${JSON.stringify(outcome)}`);
    return window.source === 'firmware' ? `advanced-ok (${window.lines}-line queue)` : window.source;
  });
  const printcore = await timeOnBoard(baudRate, timed, async (pty) => {
    await runPrintcore(pty, baudRate ?? 250000, file);
    return 'one line per ok';
  });
  return { oursLinesPerS: ours.linesPerS, printcoreLinesPerS: printcore.linesPerS, ratio: ours.linesPerS / printcore.linesPerS, oursWindow: ours.window };
}

/** A fresh ADVANCED_OK board (Marlin's 128-byte RX buffer and 4-line queue) on a pty; it clocks the timed lines. */
async function timeOnBoard(baudRate: number | null, timed: string[], drive: (pty: string) => Promise<string>): Promise<Timed> {
  const server = await startVirtualPrinterPty({ firmware: { baudRate, advancedOk: true, autoReport: false, recordCommands: true } });
  const fw = server.firmware;
  const first = timed[0]!;
  const last = timed.at(-1)!;
  let startedAt: number | null = null;
  let endedAt: number | null = null;
  let seen = 0;
  fw.onLineExecuted(() => {
    const command = fw.executedCommands.at(-1);
    if (startedAt === null && command === first) startedAt = performance.now();
    if (startedAt !== null) seen++;
    if (startedAt !== null && command === last && seen >= timed.length) endedAt = performance.now();
  });
  try {
    const window = await drive(server.ptyPath);
    if (startedAt === null || endedAt === null) throw new Error(`the board did not run the whole file (${seen} of ${timed.length} timed lines)`);
    return { linesPerS: (timed.length - 1) / ((endedAt - startedAt) / 1000), window };
  } finally {
    await server.close();
  }
}

function runPrintcore(pty: string, baud: number, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('printcore', ['-b', String(baud), pty, file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`printcore did not finish within 120 s: ${stderr.trim()}`));
    }, 120_000);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new Error('printcore is not installed (Debian: apt-get install printrun-cli)') : err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`printcore exited with ${code}: ${stderr.trim()}`));
    });
  });
}

function fileSource(lines: string[]): PrintSource {
  const bytes = Buffer.from(`${lines.join('\n')}\n`, 'latin1');
  return {
    name: 'head-to-head.gcode',
    size: bytes.length,
    async *open() {
      yield bytes;
    },
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { systemClock } from '../../core/ports/clock';
import { VirtualFirmware, type VirtualFirmwareOptions } from '../../core/printers/virtual/firmware';
import { LINE_NOISES, type LineNoise } from '../../core/printers/virtual/line-noise';
import { createScaledClock } from '../../core/printers/virtual/scaled-clock';
import { createCable } from '../../core/printers/virtual/wire';
import { intFlag, parseArgs, UsageError, type CommandIo } from '../args';
import { holdStopSignals } from '../stop-signals';

export const VIRTUAL_PRINTER_USAGE = `Usage: apf virtual-printer --pty [options]
  Runs a simulated Marlin printer on a pseudo-terminal and prints its path as APF_PTY=<path>.
  Connect any serial host (this app, OctoPrint, Pronterface) to that path. Stop with Ctrl-C.
  --pty                     serve on a pseudo-terminal pair made by socat (required; needs socat installed)
  --link PATH               also make PATH a symlink to the printer's end (e.g. /tmp/ttyVIRTUAL0)
  --baud N                  simulated line speed in bits/s (default: unlimited)
  --ok-latency MS           firmware delay before each ok (default 0)
  --rx-buffer BYTES         firmware serial receive buffer (default 128)
  --command-buffer LINES    firmware command queue depth, BUFSIZE (default 4)
  --advanced-ok             answer ok N<line> P<planner free> B<buffer free>
  --checksum-error-rate R   treat a share R (0..1) of numbered lines as corrupted
  --seed N                  seed for the fault dice (default 1)
  --drop-ok-at N,...        never send the ok for these line numbers
  --disconnect-at N         drop the connection when line N arrives
  --noise-rate R            strike a share R (0..1) of numbered lines with real line noise
  --noise KIND,...          the kinds of noise to draw from (default all): ${LINE_NOISES.join(', ')}
  --idle-wait MS            print "wait" after MS without input while idle (Marlin's NO_TIMEOUTS)
  --speed X                 run heaters and motion X times faster than real time (default 1)
  --exec-log FILE           append each executed line number to FILE, one per line`;

export interface VirtualPrinterPtyOptions {
  firmware?: VirtualFirmwareOptions;
  /** Symlink to create for the host's end of the pty pair. */
  linkPath?: string;
  /** File that receives each executed line number. */
  execLog?: string;
}

export interface VirtualPrinterPty {
  /** The path a serial host opens. */
  readonly ptyPath: string;
  readonly firmware: VirtualFirmware;
  /** Settles when the server stops, saying why. */
  readonly stopped: Promise<PtyStop>;
  close(): Promise<void>;
}

export type PtyStop = { kind: 'closed' } | { kind: 'simulated-disconnect'; message: string } | { kind: 'failed'; message: string };

const SOCAT_START_TIMEOUT_MS = 5000;

/** Starts socat with a pty pair; resolves with [firmware end, host end] once it is ready to carry data. */
function startSocat(linkPath: string | undefined): Promise<{ socat: ChildProcess; ends: [string, string] }> {
  return new Promise((resolve, reject) => {
    const hostEnd = `pty,raw,echo=0${linkPath ? `,link=${linkPath}` : ''}`;
    const socat = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', hostEnd], { stdio: ['ignore', 'ignore', 'pipe'] });
    const ptys: string[] = [];
    let stderr = '';
    let ready = false;
    const timer = setTimeout(() => {
      socat.kill('SIGTERM');
      reject(new Error(`socat did not create a pty pair within ${SOCAT_START_TIMEOUT_MS / 1000} s. Its output: ${stderr.trim() || '(none)'}`));
    }, SOCAT_START_TIMEOUT_MS);
    socat.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new UsageError('socat is not installed, and --pty needs it. Install it (for example "sudo apt install socat") and try again.') : err);
    });
    socat.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`socat exited (code ${code}) before the pty pair was ready. Its output: ${stderr.trim() || '(none)'}`));
    });
    socat.stderr.setEncoding('utf8');
    socat.stderr.on('data', (chunk: string) => {
      if (ready) return; // later chatter (EOF notices) is not needed
      stderr += chunk;
      for (const m of chunk.matchAll(/PTY is (\S+)/g)) ptys.push(m[1]!);
      if (ptys.length >= 2 && stderr.includes('starting data transfer loop')) {
        ready = true;
        clearTimeout(timer);
        socat.removeAllListeners('exit');
        socat.removeAllListeners('error');
        resolve({ socat, ends: [ptys[0]!, ptys[1]!] });
      }
    });
  });
}

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200, hupcl: false }, (err) => (err ? reject(err) : resolve(port)));
  });
}

/** Serves a VirtualFirmware on one end of a socat pty pair; the other end is for the host. */
export async function startVirtualPrinterPty(opts: VirtualPrinterPtyOptions = {}): Promise<VirtualPrinterPty> {
  const { socat, ends } = await startSocat(opts.linkPath);
  const [firmwareEnd, hostEnd] = ends;
  let port: SerialPort;
  try {
    port = await openPort(firmwareEnd);
  } catch (err) {
    socat.kill('SIGTERM');
    throw new Error(`Could not open the firmware end of the pty pair (${firmwareEnd}): ${(err as Error).message}`);
  }

  const firmware = new VirtualFirmware(opts.firmware);
  // One cable: the board answers a line as of the moment its last byte arrived, not when a late timer delivered it.
  const cable = createCable(firmware.clock, firmware.baudRate, {
    board: (chunk) => firmware.write(chunk),
    host: (chunk) => {
      if (port.isOpen) port.write(Buffer.from(chunk, 'latin1'));
    },
  });
  const { toBoard: toFirmware, toHost } = cable;
  firmware.onOutput((chunk) => toHost.send(chunk, cable.now()));
  port.on('data', (data: Buffer) => toFirmware.send(data.toString('latin1')));
  if (opts.execLog) {
    const file = opts.execLog;
    firmware.onLineExecuted((n) => appendFileSync(file, `${n}\n`));
  }

  let stop: (why: PtyStop) => void = () => {};
  const stopped = new Promise<PtyStop>((resolve) => (stop = resolve));
  let closing: Promise<void> | null = null;
  const shutdown = (reason: PtyStop): Promise<void> => {
    closing ??= (async () => {
      firmware.close();
      toFirmware.close();
      toHost.close();
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      if (socat.exitCode === null && socat.signalCode === null) {
        const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
        socat.kill('SIGTERM');
        await exited;
      }
      stop(reason);
    })();
    return closing;
  };
  socat.once('exit', (code, signal) => void shutdown({ kind: 'failed', message: `socat stopped unexpectedly (${signal ?? `code ${code}`}); the pty is gone.` }));
  port.on('error', (err) => void shutdown({ kind: 'failed', message: `The firmware end of the pty failed: ${err.message}` }));
  // The simulated cable fault hangs up the host's pty, as pulling a USB cable would.
  firmware.onDisconnect(() => void shutdown({ kind: 'simulated-disconnect', message: 'Dropped the connection as asked by --disconnect-at.' }));

  return { ptyPath: opts.linkPath ?? hostEnd, firmware, stopped, close: () => shutdown({ kind: 'closed' }) };
}

function numberFlag(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}.`);
  return n;
}

function lineListFlag(v: string | undefined, name: string): number[] | undefined {
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim());
  if (items.some((s) => !/^\d+$/.test(s))) throw new UsageError(`--${name} takes line numbers separated by commas, e.g. 5,17,40.`);
  return items.map(Number);
}

function noiseKindsFlag(v: string | undefined): LineNoise[] | undefined {
  if (v === undefined) return undefined;
  const kinds = v.split(',').map((s) => s.trim());
  const unknown = kinds.find((k) => !(LINE_NOISES as readonly string[]).includes(k));
  if (unknown !== undefined) throw new UsageError(`--noise: "${unknown}" is not a kind of noise. Choose from ${LINE_NOISES.join(', ')}.`);
  return kinds as LineNoise[];
}

/** Turns the command line into server options; exported for tests. */
export function parseVirtualPrinterArgs(args: string[]): VirtualPrinterPtyOptions {
  const parsed = parseArgs(args, {
    pty: 'boolean',
    link: 'string',
    baud: 'string',
    'ok-latency': 'string',
    'rx-buffer': 'string',
    'command-buffer': 'string',
    'advanced-ok': 'boolean',
    'checksum-error-rate': 'string',
    seed: 'string',
    'drop-ok-at': 'string',
    'disconnect-at': 'string',
    'noise-rate': 'string',
    noise: 'string',
    'idle-wait': 'string',
    speed: 'string',
    'exec-log': 'string',
  });
  if (parsed.positionals.length) throw new UsageError(`Unexpected argument ${parsed.positionals[0]}.`);
  if (!parsed.values.pty) throw new UsageError('Say where to serve the printer: --pty is the only mode so far.');
  const speed = numberFlag(parsed.values.speed, 'speed', 0.01, 1000) ?? 1;
  const disconnectAt = intFlag(parsed.values['disconnect-at'], 'disconnect-at', 0, 2 ** 31 - 1);
  const dropOkAt = lineListFlag(parsed.values['drop-ok-at'], 'drop-ok-at');
  const noiseRate = numberFlag(parsed.values['noise-rate'], 'noise-rate', 0, 1);
  const noiseKinds = noiseKindsFlag(parsed.values.noise);
  const idleWaitMs = intFlag(parsed.values['idle-wait'], 'idle-wait', 0, 3_600_000);
  const firmware: VirtualFirmwareOptions = {
    clock: speed === 1 ? systemClock : createScaledClock(systemClock, speed),
    baudRate: intFlag(parsed.values.baud, 'baud', 300, 10_000_000) ?? null,
    okLatencyMs: numberFlag(parsed.values['ok-latency'], 'ok-latency', 0, 60_000) ?? 0,
    rxBufferBytes: intFlag(parsed.values['rx-buffer'], 'rx-buffer', 16, 1 << 20) ?? 128,
    commandBufferLines: intFlag(parsed.values['command-buffer'], 'command-buffer', 1, 256) ?? 4,
    advancedOk: parsed.values['advanced-ok'] === true,
    faults: {
      checksumErrorRate: numberFlag(parsed.values['checksum-error-rate'], 'checksum-error-rate', 0, 1) ?? 0,
      seed: intFlag(parsed.values.seed, 'seed', 0, 2 ** 32 - 1) ?? 1,
      ...(dropOkAt ? { dropOkAtLines: dropOkAt } : {}),
      ...(disconnectAt !== undefined ? { disconnectAtLine: disconnectAt } : {}),
      ...(noiseRate !== undefined ? { noise: { rate: noiseRate, ...(noiseKinds ? { kinds: noiseKinds } : {}) } } : {}),
    },
    ...(idleWaitMs !== undefined ? { idleWaitMs } : {}),
  };
  const linkPath = parsed.values.link;
  const execLog = parsed.values['exec-log'];
  return { firmware, ...(linkPath ? { linkPath } : {}), ...(execLog ? { execLog } : {}) };
}

export async function virtualPrinterCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help')) {
    io.stdout(VIRTUAL_PRINTER_USAGE);
    return 0;
  }
  const server = await startVirtualPrinterPty(parseVirtualPrinterArgs(args));
  io.stdout(`APF_PTY=${server.ptyPath}`);
  const signals = holdStopSignals();
  const why = await Promise.race([server.stopped, signals.stopped.then((): PtyStop => ({ kind: 'closed' }))]);
  await server.close();
  signals.release();
  if (why.kind === 'closed') return 0;
  io.stderr(`apf virtual-printer: ${why.message}`);
  return why.kind === 'simulated-disconnect' ? 0 : 1;
}

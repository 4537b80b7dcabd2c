import { AppError } from '../../core/errors';
import { MarlinHost, type SendWindow } from '../../core/printers/marlin/host';
import { JobStreamer, type JobSnapshot } from '../../core/printers/marlin/job-streamer';
import { detectBaudRate } from '../../core/printers/serial/baud-detect';
import { fileSource } from '../../core/printers/serial/file-source';
import { bgcodeSource } from '../../core/gcode/bgcode/print-source';
import { isBgcodeFile } from '../../core/gcode/bgcode/reader';
import { openSerialTransport } from '../../core/printers/serial/serial-transport';
import { intFlag, parseArgs, UsageError, type CommandIo } from '../args';
import { holdStopSignals } from '../stop-signals';
import { marlinDriverOptions } from '../../core/printers/default-drivers';
import type { MarlinDriverOptions } from '../../core/printers/marlin/driver';
import { findSavedUsbPrinter, savedUsbPrinters } from './saved-printers';

export const PRINT_USAGE = `Usage: apf print (--port PATH | --printer NAME [--data DIR]) [--baud N] [--window N | --advanced-ok] FILE
  Streams a G-code file to a USB (Marlin) printer and waits until every line is acknowledged (a .bgcode is sent as the text it decodes to).
  --port PATH      serial port, e.g. /dev/ttyUSB0 or COM3 ("apf ports" lists them)
  --printer NAME   a USB printer saved in the data folder (name or id): its port, baud rate, streaming mode
                   and pause/resume/cancel scripts (--window, --advanced-ok, --rx-buffer still override the mode)
  --data DIR       data folder for --printer (default: the desktop app's folder, or $APF_DATA_DIR)
  --baud N         line speed (default: try 250000, 115200, 57600, 38400, 19200, 9600)
                   Default: the firmware's own window when its ok carries ADVANCED_OK counts, one line per ok otherwise
  --window N       keep up to N lines in flight (1: always one line per ok)
  --advanced-ok    size the window from the firmware's ADVANCED_OK free-buffer counts, N lines until it reports them
  --rx-buffer B    never have more than B bytes in flight (the firmware's RX buffer; default 128 when windowed)
  --quiet          no progress output
Exit status: 0 when every line was acknowledged, 1 when the print failed or was interrupted, 2 for usage errors.`;

export interface PrintIo extends CommandIo {
  /** Where a redrawing progress bar goes; omit for plain periodic lines. Defaults to process.stderr when it is a TTY. */
  progressTty?: { write(s: string): void; columns?: number } | null;
}

export async function printCommand(args: string[], io: PrintIo): Promise<number> {
  if (args.includes('--help')) {
    io.stdout(PRINT_USAGE);
    return 0;
  }
  const parsed = parseArgs(args, {
    port: 'string',
    printer: 'string',
    data: 'string',
    baud: 'string',
    window: 'string',
    'advanced-ok': 'boolean',
    'rx-buffer': 'string',
    quiet: 'boolean',
  });
  const wanted = parsed.values.printer;
  if (wanted && parsed.values.port) throw new UsageError('Use either --port or --printer, not both.');
  let port = parsed.values.port;
  let baud = intFlag(parsed.values.baud, 'baud', 300, 4_000_000);
  let saved: MarlinDriverOptions | null = null;
  if (wanted) {
    const list = savedUsbPrinters(parsed.values.data);
    if (list.problem) throw new UsageError(`The saved printers cannot be read: ${list.problem}.`);
    const found = findSavedUsbPrinter(list.printers, wanted);
    if (typeof found === 'string') throw new UsageError(found);
    port = found.port;
    baud ??= found.baudRate;
    // The printer's own streaming mode and pause/resume/cancel scripts, as the app would use them.
    saved = marlinDriverOptions(found);
  }
  if (!port) throw new UsageError('--port or --printer is required (see "apf ports").');
  if (parsed.positionals.length !== 1) throw new UsageError('Give exactly one G-code file to print.');
  const file = parsed.positionals[0]!;
  const windowLines = intFlag(parsed.values.window, 'window', 1, 64);
  const rxBuffer = intFlag(parsed.values['rx-buffer'], 'rx-buffer', 16, 65536);
  const advancedOk = parsed.values['advanced-ok'] === true;
  if (advancedOk && windowLines !== undefined) throw new UsageError('Use either --window or --advanced-ok, not both.');
  const window = chooseWindow({ advancedOk, windowLines, rxBuffer }, saved?.host?.window);

  let source;
  try {
    // Binary G-code (.bgcode) is sent as the G-code text it decodes to: a Marlin board reads text only.
    source = (await isBgcodeFile(file)) ? await bgcodeSource(file) : await fileSource(file);
  } catch (err) {
    io.stderr(`apf print: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }

  const hostOptions = { window, linkName: port, temperatureIntervalS: 0 };
  let host: MarlinHost;
  try {
    if (baud !== undefined) {
      host = new MarlinHost(hostOptions);
      await host.connect(await openSerialTransport(port, baud));
    } else {
      const found = await detectBaudRate((rate) => openSerialTransport(port, rate), { host: hostOptions, linkName: port });
      host = found.host;
      if (!parsed.values.quiet) io.stderr(`Connected at ${found.baudRate} baud.`);
    }
  } catch (err) {
    io.stderr(`apf print: ${err instanceof AppError || err instanceof Error ? err.message : String(err)}`);
    return 1;
  }

  const job = new JobStreamer(host, source, { progressIntervalMs: 200, ...(saved?.scripts ? { scripts: saved.scripts } : {}) });
  const started = Date.now();
  const progress = parsed.values.quiet ? null : progressReporter(io);
  if (progress) job.events.on('progress', progress.update);
  const signals = holdStopSignals(['SIGINT']);
  void signals.stopped.then(() => {
    io.stderr('\nCancelling…');
    void job.cancel();
  });
  job.start();
  const outcome = await job.done;
  progress?.done(job.snapshot());
  const resends = host.resends();
  const streamed = host.windowInUse();
  await host.close();
  signals.release();

  const seconds = (Date.now() - started) / 1000;
  const snap = job.snapshot();
  if (outcome.kind === 'completed') {
    const how =
      streamed.source === 'firmware'
        ? `into the printer's ${streamed.lines}-line queue as its ADVANCED_OK reports`
        : streamed.source === 'configured'
          ? `${streamed.lines} lines in flight`
          : 'one line per ok';
    io.stdout(
      `Printed ${source.name}: ${outcome.lines} lines acknowledged in ${seconds.toFixed(1)} s (${Math.round(outcome.lines / Math.max(seconds, 0.001))} lines/s, ${resends} resends, ${how}).`,
    );
    return 0;
  }
  if (outcome.kind === 'cancelled') {
    io.stderr(`apf print: cancelled at line ${outcome.atLine} of ${source.name} (${snap.linesAcked} lines acknowledged).`);
    return 1;
  }
  io.stderr(`apf print: the print stopped at line ${outcome.atLine} of ${source.name} (${snap.linesAcked} lines acknowledged): ${outcome.reason}`);
  return 1;
}

function progressReporter(io: PrintIo): { update: (s: JobSnapshot) => void; done: (s: JobSnapshot) => void } {
  const tty = io.progressTty !== undefined ? io.progressTty : process.stderr.isTTY ? process.stderr : null;
  if (tty) {
    const draw = (s: JobSnapshot) => {
      const width = Math.max(10, Math.min(40, (tty.columns ?? 80) - 40));
      const filled = Math.round(s.fraction * width);
      tty.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(s.fraction * 100).toFixed(1).padStart(5)}%  ${s.linesAcked} lines`);
    };
    return { update: draw, done: (s) => (draw(s), tty.write('\n')) };
  }
  // Not a terminal (a log, CI): one plain line per 10 %, never a redraw.
  let lastDecile = -1;
  const line = (s: JobSnapshot) => `progress ${Math.floor(s.fraction * 100)}% (${s.linesAcked} lines)`;
  return {
    update: (s) => {
      const decile = Math.floor(s.fraction * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        io.stderr(line(s));
      }
    },
    done: (s) => {
      if (Math.floor(s.fraction * 10) > lastDecile) io.stderr(line(s));
    },
  };
}

/**
 * The flags win; without any, a saved printer's own mode; otherwise the firmware's ADVANCED_OK window when
 * it reports one and one line per ok until (unless) it does.
 */
function chooseWindow(flags: { advancedOk: boolean; windowLines: number | undefined; rxBuffer: number | undefined }, saved: SendWindow | undefined): SendWindow {
  const { advancedOk, windowLines, rxBuffer } = flags;
  if (advancedOk) return { kind: 'advancedOk', rxBufferBytes: rxBuffer ?? 128 };
  if (windowLines && windowLines > 1) return { kind: 'lines', lines: windowLines, rxBufferBytes: rxBuffer ?? 128 };
  if (windowLines === undefined && rxBuffer === undefined && saved) return saved;
  if (windowLines === 1) return { kind: 'pingpong' };
  return { kind: 'advancedOk', fallbackLines: 1, rxBufferBytes: rxBuffer ?? 128 };
}

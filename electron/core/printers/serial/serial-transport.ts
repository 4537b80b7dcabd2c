import { existsSync } from 'node:fs';
import { AppError } from '../../errors';
import type { ByteTransport } from '../marlin/transport';

/** The small part of serialport's SerialPort this module uses (a fake stands in for it in tests). */
export interface SerialPortLike {
  open(cb: (err: Error | null) => void): void;
  write(data: string, cb?: (err: Error | null | undefined) => void): boolean;
  drain(cb: (err: Error | null) => void): void;
  close(cb?: (err: Error | null) => void): void;
  set(options: { dtr?: boolean; rts?: boolean }, cb: (err: Error | null) => void): void;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'close', listener: (err?: Error & { disconnected?: boolean }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  readonly isOpen: boolean;
}

export type OpenPort = (path: string, baudRate: number) => SerialPortLike;

let nativeFactory: OpenPort | null = null;

async function loadNative(): Promise<OpenPort> {
  if (nativeFactory) return nativeFactory;
  const { SerialPort } = await import('serialport');
  nativeFactory = (path, baudRate) => new SerialPort({ path, baudRate, autoOpen: false, hupcl: true });
  return nativeFactory;
}

export interface SerialTransportOptions {
  /** Injected port factory for tests. */
  openPort?: OpenPort;
  /** How long DTR is held low when resetting the board. */
  resetPulseMs?: number;
  platform?: NodeJS.Platform;
  /** How often to check that the device file still exists (Linux, macOS); 0 turns the check off. */
  presenceCheckMs?: number;
  /** Injected for tests. */
  deviceExists?: (path: string) => boolean;
}

/**
 * Opens a serial port as a ByteTransport. Errors users hit every day get a message saying what to do:
 * no permission (the dialout group on Linux), no such device (unplugged or renamed), port busy.
 */
export async function openSerialTransport(path: string, baudRate: number, options: SerialTransportOptions = {}): Promise<ByteTransport> {
  const openPort = options.openPort ?? (await loadNative());
  const platform = options.platform ?? process.platform;
  const port = openPort(path, baudRate);
  await new Promise<void>((resolve, reject) => {
    port.open((err) => (err ? reject(explainOpenError(err, path, platform)) : resolve()));
  });

  const dataListeners = new Set<(chunk: string) => void>();
  const closeListeners = new Set<(reason: string | null) => void>();
  let closing = false;
  let closed = false;
  // The port's own close event does not always come when a device disappears (a pty whose other end died
  // never reports it), and during M109/M190/G28 the host has no timeout to notice silence. A vanished
  // device file is a sure sign on Linux and macOS: an unplugged /dev/ttyUSB0 or a closed /dev/pts/N goes away.
  const presenceMs = options.presenceCheckMs ?? 2000;
  const exists = options.deviceExists ?? existsSync;
  const presence =
    platform !== 'win32' && presenceMs > 0
      ? setInterval(() => {
          if (exists(path)) return;
          finish(`${path} was unplugged or switched off.`);
          if (port.isOpen) port.close(() => undefined);
        }, presenceMs)
      : null;
  presence?.unref();
  const finish = (reason: string | null) => {
    if (closed) return;
    closed = true;
    if (presence) clearInterval(presence);
    for (const l of [...closeListeners]) l(reason);
    closeListeners.clear();
    dataListeners.clear();
  };

  port.on('data', (data: Buffer) => {
    const chunk = data.toString('latin1');
    for (const l of dataListeners) l(chunk);
  });
  port.on('close', (err) => {
    if (closing && !err) finish(null);
    else finish(err?.disconnected ? `${path} was unplugged or switched off.` : `${path} was closed${err ? `: ${err.message}` : '.'}`);
  });
  port.on('error', (err: Error) => {
    finish(`${path} failed: ${err.message}`);
    if (port.isOpen) port.close(() => undefined);
  });

  const pulse = options.resetPulseMs ?? 100;
  return {
    write(data: string): Promise<void> {
      if (closed) return Promise.reject(new AppError('printer_offline', `${path} is closed.`));
      return new Promise((resolve, reject) => {
        port.write(data, (err) => (err ? reject(new AppError('printer_offline', `Writing to ${path} failed: ${err.message}`)) : resolve()));
      });
    },
    onData(listener) {
      dataListeners.add(listener);
      return () => void dataListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => void closeListeners.delete(listener);
    },
    close(): Promise<void> {
      if (closed || !port.isOpen) {
        finish(null);
        return Promise.resolve();
      }
      closing = true;
      return new Promise((resolve) => {
        port.close(() => {
          finish(null);
          resolve();
        });
      });
    },
    async resetBoard(): Promise<void> {
      // The auto-reset capacitor on ATmega/CH340/FTDI boards turns a DTR falling edge into a reset.
      await setLines(port, { dtr: false, rts: false });
      await new Promise((r) => setTimeout(r, pulse));
      await setLines(port, { dtr: true, rts: true });
    },
  };
}

/**
 * Rejects when the port refuses the modem lines (a pty, some native USB boards): no reset happened, and the
 * host must not wait for a `start` that will never come.
 */
function setLines(port: SerialPortLike, lines: { dtr: boolean; rts: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    port.set(lines, (err) => (err ? reject(err) : resolve()));
  });
}

export function explainOpenError(err: Error, path: string, platform: NodeJS.Platform): AppError {
  const text = `${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`;
  if (/EACCES|Permission denied/i.test(text)) {
    const fix =
      platform === 'linux'
        ? ' On Linux, add yourself to the dialout group: sudo usermod -aG dialout $USER, then log out and back in.'
        : ' Check that your user may use serial devices.';
    return new AppError('printer_offline', `No permission to open ${path}.${fix}`);
  }
  if (/ENOENT|No such file|cannot find|File not found/i.test(text)) {
    return new AppError('printer_offline', `${path} does not exist. Is the printer plugged in and switched on? Run "apf ports" to see the ports there are.`);
  }
  if (/EBUSY|Resource busy|Access denied|Cannot lock port/i.test(text)) {
    return new AppError('printer_offline', `${path} is in use by another program (a slicer, OctoPrint, a serial monitor). Close it and try again.`);
  }
  return new AppError('printer_offline', `Could not open ${path}: ${err.message}`);
}

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listSerialPorts } from '../../../electron/core/printers/serial/list-ports';
import { explainOpenError, openSerialTransport, type SerialPortLike } from '../../../electron/core/printers/serial/serial-transport';
import { detectBaudRate } from '../../../electron/core/printers/serial/baud-detect';
import { portsCommand } from '../../../electron/headless/commands/ports';
import { FakeBoard } from './fake-board';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeDev(): string {
  const root = mkdtempSync(join(tmpdir(), 'apf-dev-'));
  dirs.push(root);
  for (const name of ['ttyUSB0', 'ttyACM1', 'ttyS0', 'null']) writeFileSync(join(root, name), '');
  mkdirSync(join(root, 'serial', 'by-id'), { recursive: true });
  symlinkSync(join(root, 'ttyUSB0'), join(root, 'serial', 'by-id', 'usb-1a86_USB_Serial-if00-port0'));
  return root;
}

describe('listSerialPorts', () => {
  it('uses the serialport listing when it finds USB ports', async () => {
    const listing = await listSerialPorts({
      nativeList: async () => [{ path: '/dev/ttyACM0', manufacturer: 'Prusa Research', vendorId: '2c99', productId: '0002' }, { path: '/dev/ttyS0' }],
    });
    expect(listing.method).toBe('serialport');
    expect(listing.ports).toHaveLength(1);
    expect(listing.ports[0]).toMatchObject({ path: '/dev/ttyACM0', manufacturer: 'Prusa Research', label: '/dev/ttyACM0 (Prusa Research)' });
  });

  it('falls back to scanning /dev when the listing throws, preferring stable by-id links', async () => {
    const root = fakeDev();
    const listing = await listSerialPorts({
      platform: 'linux',
      devRoot: root,
      nativeList: async () => {
        throw new Error('udev unavailable');
      },
    });
    expect(listing.method).toBe('scan');
    expect(listing.fallbackReason).toMatch(/udev unavailable/);
    expect(listing.ports.map((p) => p.path)).toEqual([join(root, 'serial', 'by-id', 'usb-1a86_USB_Serial-if00-port0'), join(root, 'ttyACM1')]);
    expect(listing.ports[0]!.device).toBe(join(root, 'ttyUSB0'));
  });

  it('falls back to scanning when the listing finds only built-in UARTs', async () => {
    const root = fakeDev();
    const listing = await listSerialPorts({ platform: 'linux', devRoot: root, nativeList: async () => [{ path: '/dev/ttyS0' }] });
    expect(listing.method).toBe('scan');
    expect(listing.fallbackReason).toMatch(/only built-in/);
  });

  it('prints the listing as JSON for scripts', async () => {
    const out: string[] = [];
    const code = await portsCommand(
      ['--json'],
      { stdout: (s) => out.push(s), stderr: () => undefined },
      { nativeList: async () => [{ path: '/dev/ttyUSB3', manufacturer: 'FTDI' }] },
    );
    expect(code).toBe(0);
    expect(JSON.parse(out[0]!)).toMatchObject({ method: 'serialport', ports: [{ path: '/dev/ttyUSB3' }] });
  });
});

describe('openSerialTransport errors', () => {
  it('explains a permission error with the dialout fix on Linux', () => {
    const err = explainOpenError(Object.assign(new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), { code: 'EACCES' }), '/dev/ttyUSB0', 'linux');
    expect(err.message).toMatch(/No permission to open \/dev\/ttyUSB0/);
    expect(err.message).toMatch(/sudo usermod -aG dialout \$USER/);
    expect(err.message).toMatch(/log out and back in/);
  });

  it('says the printer is probably unplugged when the device does not exist', async () => {
    const failing = (): SerialPortLike => ({
      open: (cb) => cb(Object.assign(new Error('Error: No such file or directory, cannot open /dev/ttyUSB9'), { code: 'ENOENT' })),
      write: () => true,
      drain: (cb) => cb(null),
      close: (cb) => cb?.(null),
      set: (_o, cb) => cb(null),
      on: () => undefined,
      isOpen: false,
    });
    await expect(openSerialTransport('/dev/ttyUSB9', 115200, { openPort: failing })).rejects.toThrow(/\/dev\/ttyUSB9 does not exist.*plugged in/);
  });

  it('reports an unplugged cable as the close reason', async () => {
    const handlers: Record<string, (arg?: unknown) => void> = {};
    const port: SerialPortLike = {
      open: (cb) => cb(null),
      write: (_d, cb) => (cb?.(null), true),
      drain: (cb) => cb(null),
      close: (cb) => cb?.(null),
      set: (_o, cb) => cb(null),
      on: (event: string, l: (arg?: never) => void) => void (handlers[event] = l as (arg?: unknown) => void),
      isOpen: true,
    } as SerialPortLike;
    const t = await openSerialTransport('/dev/ttyACM0', 115200, { openPort: () => port });
    const reasons: (string | null)[] = [];
    t.onClose((r) => reasons.push(r));
    handlers.close!(Object.assign(new Error('disconnected'), { disconnected: true }));
    expect(reasons).toEqual(['/dev/ttyACM0 was unplugged or switched off.']);
  });
});

describe('a device that disappears', () => {
  it('closes the link with "unplugged" when the device file goes away, even if the port never says so', async () => {
    vi.useFakeTimers();
    try {
      let present = true;
      const port: SerialPortLike = {
        open: (cb) => cb(null),
        write: (_d, cb) => (cb?.(null), true),
        drain: (cb) => cb(null),
        close: (cb) => cb?.(null),
        set: (_o, cb) => cb(null),
        on: () => undefined,
        isOpen: true,
      };
      const t = await openSerialTransport('/dev/ttyUSB0', 115200, { openPort: () => port, platform: 'linux', presenceCheckMs: 1000, deviceExists: () => present });
      const reasons: (string | null)[] = [];
      t.onClose((r) => reasons.push(r));
      vi.advanceTimersByTime(3000);
      expect(reasons).toEqual([]);
      present = false;
      vi.advanceTimersByTime(1000);
      expect(reasons).toEqual(['/dev/ttyUSB0 was unplugged or switched off.']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('resetting a board by DTR', () => {
  const port = (refuse: boolean): SerialPortLike => ({
    open: (cb) => cb(null),
    write: (_d, cb) => (cb?.(null), true),
    drain: (cb) => cb(null),
    close: (cb) => cb?.(null),
    set: (_o, cb) => cb(refuse ? new Error('Inappropriate ioctl for device') : null),
    on: () => undefined,
    isOpen: true,
  });

  it('pulses DTR when the port allows it', async () => {
    const t = await openSerialTransport('/dev/ttyUSB0', 115200, { openPort: () => port(false) });
    await expect(t.resetBoard!()).resolves.toBeUndefined();
  });

  it('says no reset happened when the port refuses modem lines (a pty), so the host does not wait for "start"', async () => {
    const t = await openSerialTransport('/dev/pts/4', 115200, { openPort: () => port(true) });
    await expect(t.resetBoard!()).rejects.toThrow(/Inappropriate ioctl/);
  });
});

describe('detectBaudRate', () => {
  it('tries rates in order until the board answers', async () => {
    const tried: number[] = [];
    const found = await detectBaudRate(
      async (rate) => {
        tried.push(rate);
        // Only the 115200 "board" understands anything; at other rates it hears noise and stays silent.
        return new FakeBoard({ ignoreHellos: rate === 115200 ? 0 : 1_000 });
      },
      { perRateTimeoutMs: 50, host: { temperatureIntervalS: 0 } },
    );
    expect(found.baudRate).toBe(115200);
    expect(tried).toEqual([250000, 115200]);
    await found.host.close();
  });

  it('names every rate it tried when nothing answers', async () => {
    await expect(detectBaudRate(async () => new FakeBoard({ ignoreHellos: 1_000 }), { candidates: [57600, 9600], perRateTimeoutMs: 30, linkName: '/dev/ttyUSB0' })).rejects.toThrow(
      /\/dev\/ttyUSB0 did not answer at any of 57600, 9600 baud/,
    );
  });
});

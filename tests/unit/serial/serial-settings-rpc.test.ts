import { afterEach, describe, expect, it } from 'vitest';
import { CAPABILITIES, type PrinterView } from '../../../electron/core/contract';
import { DEFAULT_SERIAL_SETTINGS, type SerialSettings } from '../../../electron/core/contract/serial-types';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { createTestCore, type TestCore } from '../../support/test-core';

const all = { capabilities: new Set(CAPABILITIES) };
let t: TestCore;
afterEach(async () => t?.core.close());

async function call<T>(method: string, params?: unknown): Promise<T> {
  const out = await t.core.dispatch(method, params, all);
  if (!out.ok) throw Object.assign(new Error(out.error.message), { code: out.error.code });
  return out.result as T;
}

/** A USB printer as saved before streaming settings existed: only its port and baud rate. */
function coreWithOldUsbPrinter(): TestCore {
  const settings = createMemorySettingsStore();
  settings.set('printers.saved', [{ id: 'prn_usb', name: 'Bench Marlin', embedded: false, kind: 'marlin', port: '/dev/ttyUSB0', baudRate: 115200 }]);
  return createTestCore({ settings, seed: false });
}

const buffered: SerialSettings = { ...DEFAULT_SERIAL_SETTINGS, streaming: 'buffered', windowLines: 8, rxBufferBytes: 256, cancelScript: 'M104 S0\nM140 S0\nG28 X Y' };

describe('USB printer streaming settings', () => {
  it('loads a USB printer saved before the settings existed with the defaults (automatic streaming)', async () => {
    t = coreWithOldUsbPrinter();
    expect(await call('printers.serialSettings', { printerId: 'prn_usb' })).toEqual(DEFAULT_SERIAL_SETTINGS);
  });

  it('saves new settings, restarts the driver with them and keeps the printer and its temperature history', async () => {
    t = coreWithOldUsbPrinter();
    const before = t.drivers[0]!;
    before.push({ temperatures: { hotend: { actual: 180, target: 200 }, bed: null } });
    const historyBefore = await call<unknown[]>('printers.temperatureHistory', { printerId: 'prn_usb' });
    expect(historyBefore.length).toBeGreaterThan(0);
    const result = await call<{ printer: PrinterView; settings: SerialSettings }>('printers.updateSerialSettings', { printerId: 'prn_usb', settings: buffered });
    expect(result.settings).toEqual(buffered);
    expect(before.disposed).toBe(true);
    expect(t.drivers).toHaveLength(2);
    expect(t.drivers[1]!.calls).toContain('connect');
    expect(await call('printers.serialSettings', { printerId: 'prn_usb' })).toEqual(buffered);
    expect((await call<PrinterView[]>('printers.list')).map((p) => p.id)).toEqual(['prn_usb']);
    expect(await call('printers.temperatureHistory', { printerId: 'prn_usb' })).toEqual(historyBefore);
    // Saved: a restart of the app reads them back.
    expect(t.settings.get('printers.saved')).toEqual([expect.objectContaining({ id: 'prn_usb', serial: buffered })]);
  });

  it('refuses to change the settings while the printer prints, and says when it can', async () => {
    t = coreWithOldUsbPrinter();
    const job = { fileName: 'benchy.gcode', fraction: 0.3, linesSent: 10, linesTotal: 100, startedAt: 0, remainingSeconds: null };
    t.drivers[0]!.push({ state: { kind: 'printing', job, phase: 'cancelling' } });
    await expect(call('printers.updateSerialSettings', { printerId: 'prn_usb', settings: buffered })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('after the print ends'),
    });
    expect(t.drivers).toHaveLength(1);
    expect(await call('printers.serialSettings', { printerId: 'prn_usb' })).toEqual(DEFAULT_SERIAL_SETTINGS);
  });

  it('refuses settings that do not validate and printers that are not USB printers', async () => {
    t = createTestCore();
    const [virtual] = await call<PrinterView[]>('printers.list');
    await expect(call('printers.serialSettings', { printerId: virtual!.id })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('not a USB printer'),
    });
    await expect(call('printers.updateSerialSettings', { printerId: virtual!.id, settings: { ...buffered, windowLines: 0 } })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { CAPABILITIES, type EventName, type PrinterView } from '../../../electron/core/contract';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { ManualClock } from '../../support/manual-clock';
import { createTestCore, type TestCore } from '../../support/test-core';

const all = { capabilities: new Set(CAPABILITIES) };
let t: TestCore;
afterEach(async () => t?.core.close());

async function call<T>(method: string, params?: unknown): Promise<T> {
  const out = await t.core.dispatch(method, params, all);
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  return out.result as T;
}

describe('the fleet', () => {
  it('adds one embedded virtual printer on the first run of a data directory', async () => {
    t = createTestCore();
    const printers = await call<PrinterView[]>('printers.list');
    expect(printers).toHaveLength(1);
    expect(printers[0]).toMatchObject({ kind: 'virtual', embedded: true, name: 'Virtual Printer' });
  });

  it('does not bring the embedded printer back after the user removed it', async () => {
    const settings = createMemorySettingsStore();
    t = createTestCore({ settings });
    const [embedded] = await call<PrinterView[]>('printers.list');
    await call('printers.remove', { printerId: embedded!.id });
    await t.core.close();
    t = createTestCore({ settings });
    expect(await call<PrinterView[]>('printers.list')).toEqual([]);
  });

  it('keeps added printers across restarts', async () => {
    const settings = createMemorySettingsStore();
    t = createTestCore({ settings });
    const added = await call<PrinterView>('printers.addVirtual', { name: 'Bench 2' });
    await t.core.close();
    t = createTestCore({ settings });
    const names = (await call<PrinterView[]>('printers.list')).map((p) => p.name);
    expect(names).toEqual(['Virtual Printer', 'Bench 2']);
    expect((await call<PrinterView>('printers.get', { printerId: added.id })).name).toBe('Bench 2');
  });

  it('connects every printer on start and forwards its commands to its driver', async () => {
    t = createTestCore();
    const [p] = await call<PrinterView[]>('printers.list');
    await call('printers.setTemperature', { printerId: p!.id, heater: 'hotend', celsius: 200 });
    await call('printers.home', { printerId: p!.id });
    expect(t.drivers[0]!.calls).toEqual(['connect', 'setTemperature hotend 200', 'home xyz']);
  });

  it('cools a printer down in one call: heaters off, fan off, motors released, and says how hot it was', async () => {
    t = createTestCore();
    const [p] = await call<PrinterView[]>('printers.list');
    t.drivers[0]!.push({ temperatures: { hotend: { actual: 200, target: 200 }, bed: { actual: 60, target: 60 } } });
    const report = await call('printers.coolDown', { printerId: p!.id });
    expect(report).toEqual({ hotend: { actual: 200, target: 200 }, bed: { actual: 60, target: 60 }, fanOff: true, motorsOff: true });
    expect(t.drivers[0]!.calls.slice(1)).toEqual(['setTemperature hotend 0', 'setTemperature bed 0', 'setFan 0', 'motorsOff']);
  });

  it('refuses to cool down a printer mid-print (cancelling does that), and one whose heaters the app cannot switch', async () => {
    t = createTestCore();
    const [p] = await call<PrinterView[]>('printers.list');
    const driver = t.drivers[0]!;
    driver.push({ state: { kind: 'printing', job: { fileName: 'a.gcode', fraction: 0.2, linesSent: 1, linesTotal: null, startedAt: 0, remainingSeconds: null } } });
    expect(await t.core.dispatch('printers.coolDown', { printerId: p!.id }, all)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    driver.push({ state: { kind: 'idle' } });
    driver.capabilities = { ...driver.capabilities, setTemperature: false };
    expect(await t.core.dispatch('printers.coolDown', { printerId: p!.id }, all)).toMatchObject({
      ok: false,
      error: { code: 'unsupported', message: expect.stringContaining('Switch them off on the printer itself') },
    });
  });

  it('refuses commands to an offline printer with a message that says what to do', async () => {
    t = createTestCore({ seed: false });
    const p = await call<PrinterView>('printers.addVirtual', { name: 'Flaky' });
    await call('printers.disconnect', { printerId: p.id });
    const out = await t.core.dispatch('printers.home', { printerId: p.id }, all);
    expect(out).toMatchObject({ ok: false, error: { code: 'printer_offline', message: expect.stringContaining('Connect it and try again') } });
  });

  it('reports a removed printer as not_found', async () => {
    t = createTestCore();
    const out = await t.core.dispatch('printers.get', { printerId: 'prn_gone' }, all);
    expect(out).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('emits status events with temperature samples and keeps them as history', async () => {
    const clock = new ManualClock();
    t = createTestCore({ clock });
    const seen: EventName[] = [];
    t.core.events.subscribe((name) => void seen.push(name));
    const [p] = await call<PrinterView[]>('printers.list');
    const driver = t.drivers[0]!;
    clock.advance(1000);
    driver.push({ temperatures: { hotend: { actual: 150, target: 200 }, bed: { actual: 40, target: 60 } } });
    expect(seen).toContain('printer.status');
    const history = await call<{ hotend: { actual: number } }[]>('printers.temperatureHistory', { printerId: p!.id });
    expect(history.at(-1)!.hotend.actual).toBe(150);
  });

  it('disposes the driver of a removed printer and announces the new list', async () => {
    t = createTestCore();
    const lists: number[] = [];
    t.core.events.subscribe((name, payload) => {
      if (name === 'printers.changed') lists.push((payload as { printers: unknown[] }).printers.length);
    });
    const [p] = await call<PrinterView[]>('printers.list');
    await call('printers.remove', { printerId: p!.id });
    expect(t.drivers[0]!.disposed).toBe(true);
    expect(lists).toEqual([0]);
  });

  it("announces the list again when a printer's capabilities change, so the UI stops offering what it lost", async () => {
    t = createTestCore();
    const lists: PrinterView[][] = [];
    t.core.events.subscribe((name, payload) => {
      if (name === 'printers.changed') lists.push((payload as { printers: PrinterView[] }).printers);
    });
    const driver = t.drivers[0]!;
    driver.push({ temperatures: { hotend: { actual: 30, target: 0 }, bed: null } });
    expect(lists).toEqual([]);
    driver.capabilities = { ...driver.capabilities, jog: false, home: false };
    driver.push({ temperatures: { hotend: { actual: 31, target: 0 }, bed: null } });
    expect(lists).toHaveLength(1);
    expect(lists[0]![0]!.capabilities).toMatchObject({ jog: false, home: false, setTemperature: true });
  });
});

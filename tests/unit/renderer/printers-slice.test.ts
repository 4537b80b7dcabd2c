import { describe, expect, it } from 'vitest';
import { stateLabel } from '../../../renderer/src/components/format';
import type { PrinterView } from '../../../electron/core/contract';
import { applyStatus, emptyPrinters, MAX_SAMPLES, replacePrinters, setHistory } from '../../../renderer/src/store/printers-slice';
import { parseRoute, routeHash } from '../../../renderer/src/store/route';

const view = (id: string): PrinterView => ({
  id,
  name: id,
  notice: null,
  kind: 'virtual',
  embedded: false,
  capabilities: { setTemperature: true, home: true, jog: true, extrude: true, fan: true, motorsOff: true, console: true, emergencyStop: true, print: true, light: false },
  status: { state: { kind: 'idle' }, temperatures: { hotend: null, bed: null }, position: null, firmware: null },
});
const sample = (t: number, actual: number) => ({ t, hotend: { actual, target: 200 }, bed: null });

describe('the printers store', () => {
  it('applies a status event to the right printer and appends its sample', () => {
    let s = replacePrinters(emptyPrinters, [view('a'), view('b')]);
    s = applyStatus(s, { printerId: 'a', status: { ...view('a').status, state: { kind: 'busy', what: 'Heating' } }, sample: sample(1, 50) });
    expect(s.printers.a!.status.state).toEqual({ kind: 'busy', what: 'Heating' });
    expect(s.printers.b!.status.state).toEqual({ kind: 'idle' });
    expect(s.samples.a).toEqual([sample(1, 50)]);
  });

  it('ignores events for printers it does not know', () => {
    const s = replacePrinters(emptyPrinters, [view('a')]);
    expect(applyStatus(s, { printerId: 'zzz', status: view('a').status, sample: null })).toBe(s);
  });

  it('bounds the samples it keeps', () => {
    let s = replacePrinters(emptyPrinters, [view('a')]);
    for (let i = 0; i < MAX_SAMPLES + 10; i++) s = applyStatus(s, { printerId: 'a', status: view('a').status, sample: sample(i, i) });
    expect(s.samples.a).toHaveLength(MAX_SAMPLES);
    expect(s.samples.a!.at(-1)!.t).toBe(MAX_SAMPLES + 9);
  });

  it('merges loaded history with samples that arrived while it loaded', () => {
    let s = replacePrinters(emptyPrinters, [view('a')]);
    s = applyStatus(s, { printerId: 'a', status: view('a').status, sample: sample(30, 3) });
    s = setHistory(s, 'a', [sample(10, 1), sample(20, 2)]);
    expect(s.samples.a!.map((x) => x.t)).toEqual([10, 20, 30]);
  });
});

describe('routes', () => {
  it('round-trips every screen through the hash', () => {
    for (const r of [{ name: 'fleet' }, { name: 'printer', printerId: 'prn_a b' }, { name: 'jobs' }, { name: 'keys' }, { name: 'settings' }, { name: 'library' }] as const) {
      expect(parseRoute(routeHash(r))).toEqual(r);
    }
  });

  it('falls back to the fleet for unknown hashes', () => {
    expect(parseRoute('#/nowhere')).toEqual({ name: 'fleet' });
    expect(parseRoute('')).toEqual({ name: 'fleet' });
  });
});

describe('the state pill', () => {
  const job = { fileName: 'cube.gcode', fraction: 0.5, linesSent: 10, linesTotal: 20, startedAt: 0, remainingSeconds: null };
  it('says what a print is doing while it pauses, resumes or is cancelled', () => {
    expect(stateLabel({ kind: 'printing', job })).toBe('Printing');
    expect(stateLabel({ kind: 'printing', job, phase: 'pausing' })).toBe('Pausing');
    expect(stateLabel({ kind: 'paused', job, phase: 'resuming' })).toBe('Resuming');
    expect(stateLabel({ kind: 'paused', job, phase: 'cancelling' })).toBe('Cancelling');
  });
});

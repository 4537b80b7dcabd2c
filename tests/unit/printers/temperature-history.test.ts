import { describe, expect, it } from 'vitest';
import type { PrinterStatus } from '../../../electron/core/printers/model';
import { TemperatureHistory } from '../../../electron/core/printers/temperature-history';

const status = (actual: number): PrinterStatus => ({ state: { kind: 'idle' }, temperatures: { hotend: { actual, target: 200 }, bed: null }, position: null, firmware: null });

describe('temperature history', () => {
  it('drops samples closer together than the minimum interval', () => {
    const h = new TemperatureHistory(10, 500);
    expect(h.record(status(20), 0)).not.toBeNull();
    expect(h.record(status(21), 200)).toBeNull();
    expect(h.record(status(22), 600)).not.toBeNull();
    expect(h.all().map((s) => s.hotend?.actual)).toEqual([20, 22]);
  });

  it('keeps only the newest samples when full', () => {
    const h = new TemperatureHistory(3, 0);
    for (let i = 0; i < 5; i++) h.record(status(i), i * 1000);
    expect(h.all().map((s) => s.hotend?.actual)).toEqual([2, 3, 4]);
  });

  it('records nothing while no heater is known', () => {
    const h = new TemperatureHistory();
    expect(h.record({ ...status(0), temperatures: { hotend: null, bed: null } }, 0)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_SETTINGS, type CostSettings, type PrinterCostRates } from '../../../electron/core/contract/cost-types';
import type { HistoryEntry } from '../../../electron/core/contract/jobs-types';
import { computeCostAnalytics, costCsv, weekOf } from '../../../electron/core/costs/cost-analytics';
import { costTotal, printCost } from '../../../electron/core/costs/print-cost';

const SETTINGS: CostSettings = { currency: 'EUR', electricityPerKwh: 0.3, filamentPerKg: 20 };
const MK4: PrinterCostRates = { printerId: 'a', watts: 80, wearPerHour: 0.25 };

describe("a print's cost", () => {
  it("is its spool's grams at the spool's price, plus watts × hours × kWh price, plus wear per hour", () => {
    // 12.5 g of a 1 kg spool that cost 25 → 0.3125; 80 W for 2 h at 0.30/kWh → 0.048; 2 h × 0.25 → 0.50.
    const cost = printCost({ hours: 2, draws: [{ grams: 12.5, spoolCost: 25, spoolNetG: 1000 }], fileGrams: 12.5, settings: SETTINGS, printer: MK4 });
    expect(cost).toEqual({ currency: 'EUR', filament: 0.31, energy: 0.05, wear: 0.5 });
    expect(costTotal(cost!)).toBe(0.86);
  });

  it("takes the farm's price per kg for a print with no spool, or with a spool that has no price", () => {
    expect(printCost({ hours: 1, draws: [], fileGrams: 50, settings: SETTINGS, printer: MK4 })?.filament).toBe(1);
    expect(printCost({ hours: 1, draws: [{ grams: 50, spoolCost: null, spoolNetG: 1000 }], fileGrams: 50, settings: SETTINGS, printer: MK4 })?.filament).toBe(1);
  });

  it('leaves a part unknown (null), not free, when its rate is not set; no rate at all gives no cost', () => {
    const noPower = printCost({ hours: 1, draws: [], fileGrams: 50, settings: { ...SETTINGS, electricityPerKwh: null }, printer: { ...MK4, wearPerHour: null } });
    expect(noPower).toEqual({ currency: 'EUR', filament: 1, energy: null, wear: null });
    expect(printCost({ hours: 1, draws: [], fileGrams: 50, settings: DEFAULT_COST_SETTINGS, printer: { printerId: 'a', watts: null, wearPerHour: null } })).toBeNull();
  });
});

describe('cost analytics', () => {
  const T = Date.UTC(2026, 10, 30, 12); // a Monday
  const e = (p: Partial<HistoryEntry>): HistoryEntry => ({
    id: 1,
    jobId: 'j',
    source: 'queue',
    printerId: 'a',
    printerName: 'Alpha',
    fileName: 'x.gcode',
    fileSha256: null,
    outcome: 'completed',
    reason: null,
    startedAt: T - 3_600_000,
    endedAt: T,
    durationSeconds: 3600,
    filamentMm: null,
    filamentG: 10,
    material: 'PLA',
    cost: { currency: 'EUR', filament: 0.2, energy: 0.03, wear: 0.25 },
    ...p,
  });

  it('adds up cost and grams by printer, material and the week (from Monday) each print ended in', () => {
    const a = computeCostAnalytics(
      [
        e({}),
        e({ printerId: 'b', printerName: 'Bravo', material: 'PETG', endedAt: T + 7 * 86_400_000 }),
        e({ cost: null, filamentG: 5 }),
        e({ cost: { currency: 'USD', filament: 9, energy: 9, wear: 9 } }),
      ],
      'EUR',
    );
    expect(a.total).toBe(0.96);
    expect(a).toMatchObject({ uncosted: 1, otherCurrency: 1 });
    expect(a.byPrinter.map((p) => [p.printerName, p.prints, p.grams, p.total])).toEqual([
      ['Alpha', 3, 25, 0.48],
      ['Bravo', 1, 10, 0.48],
    ]);
    expect(a.byMaterial.map((m) => [m.material, m.grams, m.filament])).toEqual([
      ['PLA', 25, 0.2],
      ['PETG', 10, 0.2],
    ]);
    expect(a.byWeek.map((w) => new Date(w.week).toISOString())).toEqual(['2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z']);
    expect(new Date(weekOf(Date.UTC(2026, 11, 6, 23))).toISOString()).toBe('2026-11-30T00:00:00.000Z'); // a Sunday night
  });

  it('exports a CSV with a row per printer, material and week', () => {
    const csv = costCsv(computeCostAnalytics([e({ printerName: '=HYPERLINK("x")' })], 'EUR'));
    expect(csv.split('\r\n')).toEqual([
      'group,key,prints,filament_g,filament_cost,energy_cost,wear_cost,total_cost,currency',
      `printer,"'=HYPERLINK(""x"")",1,10,0.2,0.03,0.25,0.48,EUR`,
      'material,PLA,1,10,0.2,0.03,0.25,0.48,EUR',
      'week,2026-11-30,1,10,0.2,0.03,0.25,0.48,EUR',
      '',
    ]);
  });
});

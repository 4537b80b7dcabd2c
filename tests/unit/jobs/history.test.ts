import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../electron/core/contract/jobs-types';
import { computeAnalytics, csvField, historyCsv } from '../../../electron/core/jobs/history-store';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);
let nextId = 1;
const entry = (p: Partial<HistoryEntry>): HistoryEntry => ({
  id: nextId++,
  jobId: `j${nextId}`,
  source: 'queue',
  printerId: 'a',
  printerName: 'Alpha',
  fileName: 'part.gcode',
  fileSha256: 'f'.repeat(64),
  outcome: 'completed',
  reason: null,
  startedAt: T0,
  endedAt: T0 + 3_600_000,
  durationSeconds: 3600,
  filamentMm: 1000,
  filamentG: 3,
  material: 'PLA',
  cost: null,
  ...p,
});

describe('history analytics', () => {
  it('computes success rate, utilisation, filament by material and prints per day', () => {
    const entries = [
      entry({}),
      entry({ outcome: 'failed', startedAt: T0 + DAY, endedAt: T0 + DAY + 1_800_000, filamentG: 1, filamentMm: 300 }),
      entry({ printerId: 'b', printerName: 'Beta', material: 'PETG', filamentG: 10, filamentMm: 3000, startedAt: T0 + DAY, endedAt: T0 + DAY + 7_200_000 }),
      entry({ outcome: 'cancelled', filamentG: null, filamentMm: null }),
    ];
    const a = computeAnalytics(entries, T0, T0 + 2 * DAY);
    expect(a.total).toBe(4);
    expect(a.successRate).toBeCloseTo(2 / 3);
    expect(a.byOutcome).toMatchObject({ completed: 2, failed: 1, cancelled: 1, interrupted: 0 });
    expect(a.utilisation.find((u) => u.printerId === 'b')).toMatchObject({ printingSeconds: 7200, fraction: 7200 / (2 * 86400), jobs: 1 });
    expect(a.filamentByMaterial).toEqual([
      { material: 'PETG', grams: 10, mm: 3000 },
      { material: 'PLA', grams: 4, mm: 1300 },
    ]);
    expect(a.perDay).toEqual([
      { day: T0, completed: 1, failed: 0 },
      { day: T0 + DAY, completed: 1, failed: 1 },
    ]);
  });

  it('counts prints started by hand in every figure and says how many there were', () => {
    const entries = [entry({}), entry({ source: 'manual', outcome: 'failed', printerId: 'b', printerName: 'Beta' })];
    const a = computeAnalytics(entries, T0, T0 + DAY);
    expect(a.bySource).toEqual({ queue: 1, manual: 1 });
    expect(a.successRate).toBe(0.5);
    expect(a.utilisation.map((u) => [u.printerName, u.jobs])).toEqual([
      ['Alpha', 1],
      ['Beta', 1],
    ]);
  });

  it('has no success rate when nothing has finished', () => {
    expect(computeAnalytics([], T0, T0 + DAY).successRate).toBeNull();
  });
});

describe('history CSV', () => {
  it('quotes commas and quotes, and defuses spreadsheet formulas', () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
    expect(csvField(-3)).toBe('-3');
  });

  it('writes a header and one row per entry, the cost columns last so older columns keep their places', () => {
    const csv = historyCsv([entry({ fileName: 'gear, v2.gcode' }), entry({ cost: { currency: 'EUR', filament: 0.09, energy: null, wear: 1.5 } })]);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'job_id,printer,file,outcome,reason,started_at,ended_at,duration_s,filament_mm,filament_g,material,source,cost_currency,cost_filament,cost_energy,cost_wear',
    );
    expect(lines[1]).toContain('"gear, v2.gcode",completed,,2026-01-10T00:00:00.000Z');
    expect(lines[1]!.endsWith(',PLA,queue,,,,')).toBe(true);
    expect(lines[2]!.endsWith(',PLA,queue,EUR,0.09,,1.5')).toBe(true);
  });
});

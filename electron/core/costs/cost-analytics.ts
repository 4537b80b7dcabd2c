import type { CostAnalytics, CostRow } from '../contract/cost-types';
import type { HistoryEntry } from '../contract/jobs-types';
import { csvField } from '../materials/csv';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch: weeks start on Monday 00:00 UTC (ISO 8601). */
const FIRST_MONDAY_MS = 4 * DAY_MS;

export const weekOf = (ms: number) => Math.floor((ms - FIRST_MONDAY_MS) / WEEK_MS) * WEEK_MS + FIRST_MONDAY_MS;

const cents = (v: number) => Math.round(v * 100) / 100;
const empty = () => ({ grams: 0, filament: 0, energy: 0, wear: 0, total: 0, prints: 0 });
type Sums = ReturnType<typeof empty>;

/**
 * Cost and filament over the period, by printer, material and week (the week a print ended in). Only prints costed in
 * `currency` are added up (a farm that changed currency would otherwise add euros to dollars); the others are
 * counted in `otherCurrency`. Grams count for every print, costed or not.
 */
export function computeCostAnalytics(entries: readonly HistoryEntry[], currency: string, printerNames: ReadonlyMap<string, string> = new Map()): CostAnalytics {
  const byPrinter = new Map<string, Sums & { printerName: string }>();
  const byMaterial = new Map<string, Sums>();
  const byWeek = new Map<number, Sums>();
  let total = 0;
  let otherCurrency = 0;
  let uncosted = 0;
  for (const e of entries) {
    const cost = e.cost && e.cost.currency === currency ? e.cost : null;
    if (!e.cost) uncosted++;
    else if (!cost) otherCurrency++;
    const parts = { filament: cost?.filament ?? 0, energy: cost?.energy ?? 0, wear: cost?.wear ?? 0 };
    const sum = parts.filament + parts.energy + parts.wear;
    total += sum;
    const add = (s: Sums) => {
      s.grams += e.filamentG ?? 0;
      s.filament += parts.filament;
      s.energy += parts.energy;
      s.wear += parts.wear;
      s.total += sum;
      s.prints++;
    };
    const p = byPrinter.get(e.printerId) ?? { ...empty(), printerName: printerNames.get(e.printerId) ?? e.printerName };
    add(p);
    byPrinter.set(e.printerId, p);
    const material = e.material?.trim() || 'Unknown';
    const m = byMaterial.get(material) ?? empty();
    add(m);
    byMaterial.set(material, m);
    const week = weekOf(e.endedAt);
    const w = byWeek.get(week) ?? empty();
    add(w);
    byWeek.set(week, w);
  }
  const round = <T extends Sums>(s: T): T => ({ ...s, grams: cents(s.grams), filament: cents(s.filament), energy: cents(s.energy), wear: cents(s.wear), total: cents(s.total) });
  return {
    currency,
    total: cents(total),
    otherCurrency,
    uncosted,
    byPrinter: [...byPrinter.entries()].map(([printerId, s]) => round({ printerId, ...s })).sort((a, b) => a.printerName.localeCompare(b.printerName)),
    byMaterial: [...byMaterial.entries()].map(([material, s]) => round({ material, ...s })).sort((a, b) => b.total - a.total || b.grams - a.grams),
    byWeek: [...byWeek.entries()].map(([week, s]) => round({ week, ...s })).sort((a, b) => a.week - b.week),
  };
}

const CSV_COLUMNS = ['group', 'key', 'prints', 'filament_g', 'filament_cost', 'energy_cost', 'wear_cost', 'total_cost', 'currency'] as const;

/** The cost analytics as one CSV: a row per printer, per material and per week, each marked with its group. */
export function costCsv(a: CostAnalytics): string {
  const row = (group: string, key: string, s: CostRow<object>) =>
    [group, key, s.prints, s.grams, s.filament, s.energy, s.wear, s.total, a.currency].map((v) => csvField(v)).join(',');
  const lines = [CSV_COLUMNS.join(',')];
  for (const p of a.byPrinter) lines.push(row('printer', p.printerName, p));
  for (const m of a.byMaterial) lines.push(row('material', m.material, m));
  for (const w of a.byWeek) lines.push(row('week', new Date(w.week).toISOString().slice(0, 10), w));
  return lines.join('\r\n') + '\r\n';
}

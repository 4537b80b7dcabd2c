import type { CostSettings, PrintCost, PrinterCostRates } from '../contract/cost-types';
import type { Db } from '../store/database';

/** The filament a print took from each spool, with that spool's price (null when the spool has none). */
export interface SpoolDraw {
  grams: number;
  /** The spool's cost and net weight: its price per gram is cost / net weight. */
  spoolCost: number | null;
  spoolNetG: number;
}

export interface PrintCostInput {
  hours: number;
  /** What the spools gave (deducted at this print's end); empty when no spool was loaded. */
  draws: readonly SpoolDraw[];
  /** The grams the file says it used by the print's progress: priced at the farm's rate when no spool was. */
  fileGrams: number | null;
  settings: CostSettings;
  printer: PrinterCostRates;
}

const cents = (v: number) => Math.round(v * 100) / 100;

/**
 * What a print cost. Filament: each spool's grams at its own price; without a spool (or a priced one), the
 * file's grams at the farm's price per kg. Electricity: watts × hours × price per kWh. Wear: hours × rate. A part
 * whose rate is not set is null (unknown); the whole is null when every part is.
 */
export function printCost(i: PrintCostInput): PrintCost | null {
  let filament: number | null = null;
  const priced = i.draws.filter((d) => d.spoolCost !== null && d.spoolNetG > 0);
  if (priced.length > 0 && priced.length === i.draws.length) {
    filament = priced.reduce((sum, d) => sum + (d.grams * d.spoolCost!) / d.spoolNetG, 0);
  } else if (i.settings.filamentPerKg !== null) {
    const grams = i.draws.length > 0 ? i.draws.reduce((s, d) => s + d.grams, 0) : i.fileGrams;
    if (grams !== null) filament = (grams * i.settings.filamentPerKg) / 1000;
  }
  const hours = Math.max(0, i.hours);
  const energy = i.printer.watts !== null && i.settings.electricityPerKwh !== null ? (i.printer.watts / 1000) * hours * i.settings.electricityPerKwh : null;
  const wear = i.printer.wearPerHour !== null ? i.printer.wearPerHour * hours : null;
  if (filament === null && energy === null && wear === null) return null;
  return {
    currency: i.settings.currency,
    filament: filament === null ? null : cents(filament),
    energy: energy === null ? null : cents(energy),
    wear: wear === null ? null : cents(wear),
  };
}

export { costTotal } from '../contract/cost-types';

/** The spools a queue job's end deducted from, with their prices (read in the same transaction as the deduction). */
export function spoolDrawsOf(db: Db, jobId: string): SpoolDraw[] {
  const rows = db
    .prepare(
      `SELECT u.grams AS grams, s.cost AS cost, s.net_weight_g AS net FROM spool_usage u JOIN spools s ON s.id = u.spool_id
       WHERE u.job_id = ? AND u.deducted_at IS NOT NULL AND u.grams IS NOT NULL`,
    )
    .all(jobId) as { grams: number; cost: number | null; net: number }[];
  return rows.map((r) => ({ grams: r.grams, spoolCost: r.cost, spoolNetG: r.net }));
}

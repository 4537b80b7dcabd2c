/**
 * What a print cost, kept as it was when the print ended: the filament it used (at its spool's price, or the
 * farm's price per kg where no priced spool is known), the electricity (printer watts × hours × price per kWh)
 * and the machine's wear (cost per hour). A part is null when its rate is not set: it is unknown, not free.
 */
export interface PrintCost {
  /** ISO 4217 code, e.g. "EUR". */
  currency: string;
  filament: number | null;
  energy: number | null;
  wear: number | null;
}

export interface CostSettings {
  currency: string;
  /** Price of electricity per kWh; null: electricity is not counted. */
  electricityPerKwh: number | null;
  /** Filament price per kg for prints without a priced spool; null: such prints' filament is not counted. */
  filamentPerKg: number | null;
}

export interface PrinterCostRates {
  printerId: string;
  /** Average power draw while printing, in watts (a Prusa MK4 ≈ 80 W, a Bambu X1C ≈ 110 W, a Voron 2.4 ≈ 250 W). */
  watts: number | null;
  /** Machine wear, in the farm's currency per printing hour (parts, repairs, depreciation). */
  wearPerHour: number | null;
}

export interface CostRatesView {
  settings: CostSettings;
  printers: PrinterCostRates[];
}

/** A print's whole cost: the parts that are known, to the cent. */
export const costTotal = (c: PrintCost): number => Math.round(((c.filament ?? 0) + (c.energy ?? 0) + (c.wear ?? 0)) * 100) / 100;

export const DEFAULT_COST_SETTINGS: CostSettings = { currency: 'EUR', electricityPerKwh: null, filamentPerKg: null };

/** Cost and filament over a period, by printer, material and week (the analytics screen and its CSV). */
export interface CostAnalytics {
  /** The currency of the current settings; prints costed in another currency are left out (`otherCurrency`). */
  currency: string;
  total: number;
  /** Prints in the period whose cost was not counted because it was in another currency. */
  otherCurrency: number;
  /** Prints in the period with no cost at all (no rate was set when they ended). */
  uncosted: number;
  byPrinter: CostRow<{ printerId: string; printerName: string }>[];
  byMaterial: CostRow<{ material: string }>[];
  /** Weeks from Monday 00:00 UTC (ms). */
  byWeek: CostRow<{ week: number }>[];
}

export type CostRow<K> = K & { grams: number; filament: number; energy: number; wear: number; total: number; prints: number };

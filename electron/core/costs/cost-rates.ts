import { DEFAULT_COST_SETTINGS, type CostRatesView, type CostSettings, type PrinterCostRates } from '../contract/cost-types';
import type { Db } from '../store/database';

/** The farm's prices (in `farm_settings` under 'costs') and each printer's power draw and wear (`printer_costs`). */
export class CostRates {
  constructor(private readonly db: Db) {}

  settings(): CostSettings {
    const row = this.db.prepare(`SELECT value FROM farm_settings WHERE key = 'costs'`).get() as { value: string } | undefined;
    if (!row) return { ...DEFAULT_COST_SETTINGS };
    try {
      return { ...DEFAULT_COST_SETTINGS, ...(JSON.parse(row.value) as Partial<CostSettings>) };
    } catch {
      return { ...DEFAULT_COST_SETTINGS };
    }
  }

  saveSettings(s: CostSettings): CostSettings {
    this.db.prepare(`INSERT INTO farm_settings (key, value) VALUES ('costs', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(s));
    return s;
  }

  printer(printerId: string): PrinterCostRates {
    const row = this.db.prepare('SELECT watts, wear_per_hour FROM printer_costs WHERE printer_id = ?').get(printerId) as
      { watts: number | null; wear_per_hour: number | null } | undefined;
    return { printerId, watts: row?.watts ?? null, wearPerHour: row?.wear_per_hour ?? null };
  }

  setPrinter(r: PrinterCostRates): PrinterCostRates {
    this.db
      .prepare(
        `INSERT INTO printer_costs (printer_id, watts, wear_per_hour) VALUES (?, ?, ?) ON CONFLICT(printer_id) DO UPDATE SET watts = excluded.watts, wear_per_hour = excluded.wear_per_hour`,
      )
      .run(r.printerId, r.watts, r.wearPerHour);
    return this.printer(r.printerId);
  }

  view(printerIds: readonly string[]): CostRatesView {
    return { settings: this.settings(), printers: printerIds.map((id) => this.printer(id)) };
  }
}

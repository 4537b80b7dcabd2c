import { z } from 'zod';
import type { CostRatesView, CostSettings, PrinterCostRates } from '../cost-types';
import { printerId } from './common';
import { method } from './define';

const price = (what: string, max: number) => z.number().min(0, `${what} cannot be negative.`).max(max, `${what} is at most ${max}; check the unit.`).nullable();

export const costMethods = {
  'costs.get': method<CostRatesView>()({
    input: z.object({}).strict().optional(),
    capability: 'fleet:read',
    summary: "The farm's prices (currency, electricity per kWh, filament per kg) and every printer's power draw and wear per hour.",
  }),
  // Prices decide what every later print is recorded as costing: the farm's administration, like its printers.
  'costs.setSettings': method<CostSettings>()({
    input: z
      .object({
        currency: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^[A-Z]{3}$/, 'A currency is a three-letter code such as EUR, USD or GBP.'),
        electricityPerKwh: price('The price of electricity per kWh', 100),
        filamentPerKg: price('The price of filament per kg', 10_000),
      })
      .strict(),
    capability: 'fleet:manage',
    summary: "Sets the farm's prices. Prints already in the history keep the cost they had when they ended.",
  }),
  'costs.setPrinter': method<PrinterCostRates>()({
    input: z
      .object({
        printerId,
        watts: price('Power draw', 20_000),
        wearPerHour: price('Wear per hour', 10_000),
      })
      .strict(),
    capability: 'fleet:manage',
    summary: "Sets a printer's average power draw while printing (W) and its wear per printing hour (null: not counted).",
  }),
  'costs.exportCsv': method<{ fileName: string; csv: string; rows: number }>()({
    input: z
      .object({ days: z.number().int().min(1).max(3650).optional() })
      .strict()
      .optional(),
    capability: 'fleet:read',
    summary: 'Cost and filament by printer, material and week over the last N days (default 30), as CSV text for the renderer to save.',
  }),
};

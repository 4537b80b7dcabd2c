import { z } from 'zod';
import type { HexColour, SpoolImportResult, SpoolUsageEntry, SpoolView } from '../materials-types';
import { MAX_SLOT } from '../materials-types';
import { printerId } from './common';
import { method } from './define';

/** A spool kept here has a UUID; a spool mirrored from Spoolman is `spoolman-<its id there>`. */
const spoolId = z
  .string()
  .uuid()
  .or(z.string().regex(/^spoolman-[1-9][0-9]{0,15}$/, 'Not a spool id.'));
const text = (max: number) => z.string().trim().max(max);
/** `#RRGGBB`, stored upper case. */
export const hexColour = z
  .string()
  .trim()
  .regex(/^#?[0-9a-fA-F]{6}$/, 'A colour is a code like #1A2B3C.')
  .transform((s): HexColour => `#${s.replace(/^#/, '').toUpperCase()}`);

/** Everything a user sets on a spool; the CSV import checks each row with this too. */
export const spoolFields = z
  .object({
    material: text(40).min(1, 'Give the material (PLA, PETG, …).'),
    brand: text(60).default(''),
    colourHex: hexColour,
    colourName: text(60).default(''),
    diameterMm: z.number().min(1, 'Diameter is in mm: 1.75 or 2.85.').max(3.5, 'Diameter is in mm: 1.75 or 2.85.'),
    densityGCm3: z.number().min(0.5, 'Density is in g/cm³, e.g. 1.24 for PLA.').max(3, 'Density is in g/cm³, e.g. 1.24 for PLA.'),
    netWeightG: z.number().positive('Net weight is the filament on a full spool, in grams.').max(100_000),
    remainingG: z.number().min(0, 'Remaining grams cannot be negative.').max(100_000),
    cost: z.number().min(0).max(1_000_000).nullable().default(null),
    lot: text(60).default(''),
  })
  .strict();

const slot = z.number().int().min(0).max(MAX_SLOT).default(0);

export const materialMethods = {
  'spools.list': method<SpoolView[]>()({
    input: z
      .object({ includeArchived: z.boolean().default(false) })
      .strict()
      .optional(),
    capability: 'fleet:read',
    summary: 'Spools, with where each is loaded (archived ones only when asked).',
  }),
  'spools.create': method<SpoolView>()({
    input: spoolFields.refine((s) => s.remainingG <= s.netWeightG, { message: 'Remaining grams cannot be more than the net weight.', path: ['remainingG'] }),
    capability: 'materials:write',
    summary: 'Adds a spool.',
  }),
  'spools.update': method<SpoolView>()({
    input: z.object({ spoolId }).extend(spoolFields.partial().shape).strict(),
    capability: 'materials:write',
    summary: 'Edits a spool (any of its fields).',
  }),
  'spools.archive': method<SpoolView>()({
    input: z.object({ spoolId }).strict(),
    capability: 'materials:write',
    summary: 'Archives a spool (used up or gone). Spools are never deleted, so the filament each job used stays on record.',
  }),
  'spools.restore': method<SpoolView>()({
    input: z.object({ spoolId }).strict(),
    capability: 'materials:write',
    summary: 'Brings an archived spool back.',
  }),
  'spools.load': method<SpoolView>()({
    input: z.object({ spoolId, printerId, slot }).strict(),
    capability: 'materials:write',
    summary: 'Loads a spool onto a printer (the spool it replaces is unloaded; the spool leaves any other printer).',
  }),
  'spools.unload': method<{ spool: SpoolView | null }>()({
    input: z.object({ printerId, slot }).strict(),
    capability: 'materials:write',
    summary: "Unloads a printer's spool; answers with the spool that was loaded (null if none).",
  }),
  'spools.usage': method<SpoolUsageEntry[]>()({
    input: z.object({ spoolId }).strict(),
    capability: 'fleet:read',
    summary: 'The filament each print took from a spool, newest first.',
  }),
  'spools.exportCsv': method<{ fileName: string; csv: string; rows: number }>()({
    input: z
      .object({ includeArchived: z.boolean().default(true) })
      .strict()
      .optional(),
    capability: 'fleet:read',
    summary: 'Spools as CSV text, for the renderer to save.',
  }),
  'spools.importCsv': method<SpoolImportResult>()({
    input: z.object({ csv: z.string().max(5_000_000, 'That CSV is over 5 MB; split it.') }).strict(),
    capability: 'materials:write',
    summary: 'Adds spools from CSV (a row with an id updates that spool). All rows or none: a bad row is named with its line.',
  }),
};

/**
 * Spools and what each printer has loaded, as the UI sees them. Shared with the renderer as types and constants
 * only: no Node imports here.
 */

/** A colour as `#RRGGBB` (upper case), the form the slicers write and a colour picker gives. */
export type HexColour = `#${string}`;

/**
 * A place a spool can be loaded: a printer's slot. Slot 0 is a single-extruder printer's only one (on a Bambu
 * printer, its external spool holder); an AMS tray is slot 1 + unit × 4 + tray (`traySlot`), up to 16.
 */
export interface SpoolPlace {
  printerId: string;
  slot: number;
}

/** The slot every printer has: its one spool, or a Bambu printer's external holder. */
export const DEFAULT_SLOT = 0;
/** The last slot: the fourth tray of a fourth AMS unit. */
export const MAX_SLOT = 16;

/** The slot of a holder the printer reports: its external holder (unit null) is slot 0, AMS trays follow. */
export function traySlot(amsUnit: number | null, tray: number): number {
  return amsUnit === null ? DEFAULT_SLOT : 1 + amsUnit * 4 + tray;
}

/** The AMS tray a slot is, as Bambu's `ams_mapping` counts them (unit × 4 + tray); null for slot 0. */
export function amsTrayOfSlot(slot: number): number | null {
  return slot === DEFAULT_SLOT ? null : slot - 1;
}

/** The fields a user sets on a spool (create, edit, one CSV row). */
export interface SpoolFields {
  /** As the user wrote it ("PLA+", "PETG"); matching compares a normalised form (see `materials/matching.ts`). */
  material: string;
  brand: string;
  colourHex: HexColour;
  /** "Galaxy black"; empty when the user gave none. */
  colourName: string;
  diameterMm: number;
  /** g/cm³, for turning a file's stated millimetres into grams. */
  densityGCm3: number;
  /** Filament on a full spool, without the spool itself. */
  netWeightG: number;
  remainingG: number;
  /** What the spool cost, in the farm's currency; null when not known. */
  cost: number | null;
  lot: string;
}

export interface SpoolView extends SpoolFields {
  id: string;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
  /** Where the spool is loaded, if anywhere. */
  loadedOn: SpoolPlace | null;
  /**
   * Set when the spool's record lives on a Spoolman server (this is our mirror of it): its id there, and whether
   * Spoolman said it no longer has it (deleted there). Null for a spool kept here.
   */
  spoolman: SpoolmanRef | null;
}

export interface SpoolmanRef {
  id: number;
  missing: boolean;
}

/**
 * What a job needs on the printer's spool, from its file where the slicer states it (`edited` once a user changed
 * it). Every field left null matches any spool.
 */
export interface MaterialNeed {
  material: string | null;
  colourHex: HexColour | null;
  /** A colour by name only ("black"), when a user gave one instead of a code. */
  colourName: string | null;
  /** Grams the file states; when only millimetres are stated, grams are worked out with the spool's diameter and density. */
  grams: number | null;
  mm: number | null;
  edited: boolean;
}

/**
 * How the queue uses what is loaded:
 * - `when-known`: a printer whose filament is known (a spool loaded, or the material in its farm profile) takes only
 *   jobs it fits; a printer with nothing known takes any job, as before spools existed.
 * - `require-spool`: a job that states a material or colour goes only to a printer with a matching spool loaded.
 * - `off`: spools are tracked and deducted, but the queue does not look at them.
 */
export const MATERIAL_MATCHING = ['when-known', 'require-spool', 'off'] as const;
export type MaterialMatching = (typeof MATERIAL_MATCHING)[number];

export interface SpoolImportResult {
  created: number;
  updated: number;
}

/** One row of a spool's use: which job took how much, and when. */
export interface SpoolUsageEntry {
  jobId: string;
  spoolId: string;
  printerId: string;
  grams: number;
  fraction: number | null;
  at: number;
}

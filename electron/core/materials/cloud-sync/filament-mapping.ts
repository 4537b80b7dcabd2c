/**
 * Our spool ↔ the cloud's filament record (research/apf-api.md §5). Pure functions.
 *
 * Both ways: material ↔ `type`, colour name ↔ `color`, colour code ↔ `hex_code`, brand, diameter (a number here, a
 * string there: "1.75mm"), remaining ↔ `remaining_grams`, net weight ↔ `spool_weight_grams`. Cost and lot stay here:
 * the API never takes a cost, and has no lot. Density stays here too (the cloud has none); a spool first seen in the
 * cloud gets its material's usual density.
 */
import type { Filament, FilamentBody } from '../../cloud/schemas';
import type { MaterialConflictChange } from '../../contract/material-sync-types';
import type { HexColour, SpoolFields } from '../../contract/materials-types';
import { colourWord, formatGrams, materialFamily, normaliseHex } from '../matching';

/** The fields the cloud and the app share: what a conflict compares and what a pull may change. */
export interface SyncedFields {
  material: string;
  colourName: string;
  colourHex: HexColour;
  brand: string;
  diameterMm: number;
  remainingG: number;
  netWeightG: number;
}

export const SYNCED_FIELDS: readonly (keyof SyncedFields)[] = ['material', 'colourName', 'colourHex', 'brand', 'diameterMm', 'remainingG', 'netWeightG'];

const LABELS: Record<keyof SyncedFields, string> = {
  material: 'material',
  colourName: 'colour name',
  colourHex: 'colour',
  brand: 'brand',
  diameterMm: 'diameter',
  remainingG: 'remaining',
  netWeightG: 'net weight',
};

// The app's own limits on a spool's text fields (contract/methods/materials.ts) and the cloud's (§5).
const LOCAL_MAX = { material: 40, brand: 60, colourName: 60 };
const CLOUD_MAX = { type: 100, color: 50, brand: 100 };

/** g/cm³ by material family, for a spool first seen in the cloud (which keeps no density). */
const DENSITY: Record<string, number> = { PLA: 1.24, PETG: 1.27, ABS: 1.04, ASA: 1.07, TPU: 1.21, PA: 1.14, NYLON: 1.14, PC: 1.2, PVA: 1.23, HIPS: 1.04 };
const DEFAULT_DENSITY = 1.24;
const DEFAULT_DIAMETER_MM = 1.75;
const DEFAULT_NET_G = 1000;

const round2 = (n: number) => Math.round(n * 100) / 100;

export function syncedOf(s: SpoolFields): SyncedFields {
  return {
    material: s.material,
    colourName: s.colourName,
    colourHex: s.colourHex,
    brand: s.brand,
    diameterMm: s.diameterMm,
    remainingG: s.remainingG,
    netWeightG: s.netWeightG,
  };
}

/** What the app sends for a spool: every shared field, never its cost or lot. */
export function toFilamentBody(s: SpoolFields): FilamentBody {
  const name = s.colourName.trim() || colourWord(s.colourHex) || s.colourHex;
  return {
    type: s.material.slice(0, CLOUD_MAX.type),
    color: name.slice(0, CLOUD_MAX.color),
    hex_code: s.colourHex,
    brand: s.brand.slice(0, CLOUD_MAX.brand),
    diameter: String(s.diameterMm),
    remaining_grams: round2(s.remainingG),
    spool_weight_grams: round2(s.netWeightG),
  };
}

/** "1.75mm", "1.75 mm", "2.85", 1.75 → mm; null when it is not a diameter a spool can have. */
export function parseDiameter(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number.parseFloat(value.replace(',', '.'));
  return Number.isFinite(n) && n >= 1 && n <= 3.5 ? n : null;
}

const NAMED: Record<string, HexColour> = {
  black: '#000000',
  white: '#FFFFFF',
  grey: '#808080',
  gray: '#808080',
  silver: '#C0C0C0',
  red: '#E02020',
  orange: '#FF8000',
  yellow: '#FFE000',
  green: '#00A040',
  blue: '#2040E0',
  purple: '#8020C0',
  pink: '#FF70B0',
  brown: '#804020',
};

/** The cloud's colour as a code: its hex_code when it is one, else a colour its name calls to mind, else grey. */
function hexOf(f: Filament): HexColour {
  const fromCode = f.hex_code ? normaliseHex(f.hex_code) : null;
  if (fromCode) return fromCode;
  const named = f.color
    .toLowerCase()
    .split(/[^a-z]+/)
    .flatMap((w) => (w in NAMED ? [NAMED[w]] : []))[0];
  return named ?? '#808080';
}

/**
 * A cloud record as a spool's fields. `base` is the spool as it is here (its cost, lot and density are kept), or
 * null for a record first seen in the cloud.
 */
export function fromFilament(f: Filament, base: SpoolFields | null): SpoolFields {
  const remainingG = Math.max(0, round2(f.remaining_grams));
  const cloudNet = f.spool_weight_grams && f.spool_weight_grams > 0 ? round2(f.spool_weight_grams) : null;
  // The app requires remaining ≤ net weight; the cloud does not.
  const netWeightG = Math.max(cloudNet ?? base?.netWeightG ?? DEFAULT_NET_G, remainingG) || DEFAULT_NET_G;
  const material = f.type.trim().slice(0, LOCAL_MAX.material) || base?.material || 'PLA';
  return {
    material,
    brand: (f.brand ?? '').trim().slice(0, LOCAL_MAX.brand),
    colourHex: hexOf(f),
    colourName: f.color.trim().slice(0, LOCAL_MAX.colourName),
    diameterMm: parseDiameter(f.diameter) ?? base?.diameterMm ?? DEFAULT_DIAMETER_MM,
    densityGCm3: base?.densityGCm3 ?? DENSITY[materialFamily(material).split('-')[0] ?? ''] ?? DEFAULT_DENSITY,
    netWeightG,
    remainingG,
    cost: base?.cost ?? null,
    lot: base?.lot ?? '',
  };
}

/** Whether two versions agree on everything the cloud and the app share. */
export function sameSynced(a: SyncedFields, b: SyncedFields): boolean {
  return SYNCED_FIELDS.every((k) => {
    const x = a[k];
    const y = b[k];
    return typeof x === 'number' && typeof y === 'number' ? Math.abs(x - y) < 0.005 : x === y;
  });
}

function show(field: keyof SyncedFields | 'archived', value: SyncedFields[keyof SyncedFields] | boolean): string {
  if (field === 'archived') return value ? 'archived' : 'in use';
  if (field === 'remainingG' || field === 'netWeightG') return formatGrams(value as number);
  if (field === 'diameterMm') return `${value as number} mm`;
  return String(value) || '(none)';
}

/** What the winner changed of the loser's version, field by field, ready to show ("remaining 640 g → 512 g"). */
export function describeChanges(loser: SyncedFields & { archived?: boolean }, winner: SyncedFields & { archived?: boolean }): MaterialConflictChange[] {
  const changes: MaterialConflictChange[] = [];
  for (const field of SYNCED_FIELDS) {
    if (sameSynced({ ...winner, [field]: loser[field] }, winner)) continue;
    changes.push({ field, label: LABELS[field], from: show(field, loser[field]), to: show(field, winner[field]) });
  }
  if (loser.archived !== undefined && winner.archived !== undefined && loser.archived !== winner.archived) {
    changes.push({ field: 'archived', label: 'state', from: show('archived', loser.archived), to: show('archived', winner.archived) });
  }
  return changes;
}

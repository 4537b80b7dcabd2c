import type { HexColour, SpoolFields } from '../../contract/materials-types';
import type { SmFilament, SmFilamentCreate, SmSpool, SmSpoolWrite, SmVendor } from './spoolman-api';

/** A spool's colour when Spoolman's filament states none (our spools always have one). */
export const UNSTATED_COLOUR: HexColour = '#808080';

const round2 = (n: number) => Math.round(n * 100) / 100;

/** `RRGGBB[AA]` → `#RRGGBB`; the alpha channel means nothing to the queue. */
function hexOf(code: string | undefined): HexColour | null {
  const m = /^#?([0-9a-fA-F]{6})(?:[0-9a-fA-F]{2})?$/.exec(code?.trim() ?? '');
  return m ? `#${m[1]!.toUpperCase()}` : null;
}

/**
 * Our fields for one of Spoolman's spools. Spoolman keeps material, brand (vendor), colour, diameter and density on
 * the filament and weights, price and lot on the spool:
 * - net weight: the spool's `initial_weight`, else the filament's `weight`; with neither Spoolman has no remaining
 *   weight either, so the spool is left out (null) rather than given a made-up one;
 * - remaining: Spoolman's `remaining_weight` less `unsentG`, the uses printed here that Spoolman does not have yet;
 * - colour: `color_hex`, else the first of `multi_color_hexes`; the colour name is the filament's name ("PolyTerra
 *   Charcoal Black"), Spoolman having no field for it;
 * - cost: the spool's price, else the filament's.
 */
export function fieldsFromSpoolman(s: SmSpool, unsentG = 0): { fields: SpoolFields; archived: boolean } | null {
  const f = s.filament;
  const net = s.initial_weight ?? f.weight;
  if (net === undefined || !(net > 0)) return null;
  const remaining = s.remaining_weight ?? Math.max(net - s.used_weight, 0);
  return {
    fields: {
      material: f.material?.trim() ?? '',
      brand: f.vendor?.name ?? '',
      colourHex: hexOf(f.color_hex) ?? hexOf(f.multi_color_hexes?.split(',')[0]) ?? UNSTATED_COLOUR,
      colourName: f.name?.trim() ?? '',
      diameterMm: f.diameter,
      densityGCm3: f.density,
      netWeightG: round2(net),
      remainingG: round2(Math.min(net, Math.max(0, remaining - unsentG))),
      cost: s.price ?? f.price ?? null,
      lot: s.lot_nr ?? '',
    },
    archived: s.archived,
  };
}

const same = (a: string | undefined | null, b: string) => (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The Spoolman filament our fields describe: same vendor, material, colour, diameter, density and name. A spool's
 * filament-side fields are changed by moving it to another filament, never by editing the filament (other spools share it).
 */
export function findFilament(filaments: readonly SmFilament[], f: SpoolFields): SmFilament | null {
  return (
    filaments.find(
      (x) =>
        same(x.vendor?.name, f.brand) &&
        same(x.material, f.material) &&
        (hexOf(x.color_hex) ?? UNSTATED_COLOUR) === f.colourHex &&
        x.diameter === f.diameterMm &&
        x.density === f.densityGCm3 &&
        same(x.name, f.colourName),
    ) ?? null
  );
}

export function findVendor(vendors: readonly SmVendor[], brand: string): SmVendor | null {
  return vendors.find((v) => same(v.name, brand)) ?? null;
}

/** The filament to create in Spoolman for our fields (the vendor already found or made). */
export function filamentFor(f: SpoolFields, vendorId: number | null): SmFilamentCreate {
  return {
    name: f.colourName || null,
    vendor_id: vendorId,
    material: f.material,
    density: f.densityGCm3,
    diameter: f.diameterMm,
    weight: f.netWeightG,
    color_hex: f.colourHex.slice(1),
  };
}

/**
 * The spool-side fields for Spoolman. `unsentG` is added to the remaining weight the user gave: those uses are still
 * to be sent, and once they are Spoolman shows exactly what the user set.
 */
export function spoolWrite(f: SpoolFields, unsentG = 0): SmSpoolWrite {
  return {
    initial_weight: f.netWeightG,
    remaining_weight: round2(Math.min(f.netWeightG, f.remainingG + unsentG)),
    price: f.cost,
    lot_nr: f.lot || null,
  };
}

/** Whether the fields that live on Spoolman's filament differ (then the spool moves to another filament). */
export function filamentSideChanged(a: SpoolFields, b: SpoolFields): boolean {
  return (
    a.material !== b.material ||
    a.brand !== b.brand ||
    a.colourHex !== b.colourHex ||
    a.colourName !== b.colourName ||
    a.diameterMm !== b.diameterMm ||
    a.densityGCm3 !== b.densityGCm3
  );
}

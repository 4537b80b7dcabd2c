import type { HexColour, MaterialMatching, MaterialNeed } from '../contract/materials-types';

/** Whether a printer's filament fits a job. Pure functions, shared by the dispatcher and the waiting reasons. */
export { COLOUR_TOLERANCE, colourDistance, colourWord, materialFamily, normaliseHex, parseHex, sameMaterial } from '../contract/material-compare';
import { colourDistance, colourWord, COLOUR_TOLERANCE, materialFamily, sameMaterial } from '../contract/material-compare';

/** The grams a job needs from a spool: what the file states, else its millimetres on this spool's diameter and density. */
export function gramsNeeded(need: Pick<MaterialNeed, 'grams' | 'mm'>, spool: { diameterMm: number; densityGCm3: number }): number | null {
  if (need.grams !== null) return need.grams;
  if (need.mm === null) return null;
  return mmToGrams(need.mm, spool.diameterMm, spool.densityGCm3);
}

export function mmToGrams(mm: number, diameterMm: number, densityGCm3: number): number {
  const mm3 = Math.PI * (diameterMm / 2) ** 2 * mm;
  return (mm3 / 1000) * densityGCm3;
}

/**
 * What a printer has on its (single) slot, as far as the farm knows. With no spool loaded it is unknown: the
 * material a farm profile names is a requirement the queue dialog can ask for (requirements.ts), not a spool.
 */
export type LoadedFilament =
  { kind: 'spool'; spoolId: string; material: string; colourHex: HexColour; colourName: string; remainingG: number; diameterMm: number; densityGCm3: number } | { kind: 'unknown' };

export const UNKNOWN_FILAMENT: LoadedFilament = { kind: 'unknown' };

/** Why a printer's filament does not fit a job, or null when it does. */
export function misfit(need: MaterialNeed | null, loaded: LoadedFilament, mode: MaterialMatching): string | null {
  if (mode === 'off' || need === null) return null;
  const statesWhat = need.material !== null || need.colourHex !== null || need.colourName !== null;
  // Nothing known about the printer's filament: it takes any job, as before spools existed, unless spools are required.
  if (loaded.kind === 'unknown') return mode === 'require-spool' && statesWhat ? 'has no spool loaded' : null;
  if (need.material !== null && !sameMaterial(need.material, loaded.material)) return `has ${loaded.material} loaded`;
  if (need.colourHex !== null && colourDistance(need.colourHex, loaded.colourHex) > COLOUR_TOLERANCE) return `has ${describeColour(loaded.colourHex, loaded.colourName)} loaded`;
  if (need.colourHex === null && need.colourName !== null && !sameName(need.colourName, loaded.colourName, loaded.colourHex)) {
    return `has ${describeColour(loaded.colourHex, loaded.colourName)} loaded`;
  }
  const grams = gramsNeeded(need, loaded);
  if (grams !== null && loaded.remainingG < grams) return `has ${formatGrams(loaded.remainingG)} left`;
  return null;
}

/** A colour asked for by name matches the spool's name, or the everyday name of its code. */
function sameName(wanted: string, spoolName: string, spoolHex: string): boolean {
  const w = wanted.trim().toLowerCase();
  return w === spoolName.trim().toLowerCase() || w === colourWord(spoolHex);
}

export function describeColour(hex: string, name: string): string {
  return name.trim() || colourWord(hex) || hex;
}

export function formatGrams(g: number): string {
  return `${g < 10 ? Math.round(g * 10) / 10 : Math.round(g)} g`;
}

/** "PETG black with ≥ 35 g", "PLA", "#29B2B2 filament" — what a job needs, in words. */
export function describeNeed(need: MaterialNeed): string {
  const colour = need.colourName ?? (need.colourHex !== null ? colourWord(need.colourHex) : null);
  const what = [need.material, colour].filter(Boolean).join(' ') || 'filament';
  const grams = need.grams ?? null;
  return grams !== null ? `${what} with ≥ ${formatGrams(grams)}` : what;
}

/** A key that is equal for needs that fit the same printers (the dispatcher works each out once). */
export function needKey(need: MaterialNeed | null): string {
  if (need === null) return '';
  return [need.material === null ? '' : materialFamily(need.material), need.colourHex ?? '', need.colourName?.toLowerCase() ?? '', need.grams ?? '', need.mm ?? ''].join('|');
}

import type { FarmProfile, JobRequirements, JobTarget } from '../contract/jobs-types';
import { sameMaterial, type LoadedFilament } from '../materials/matching';

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether a printer with this farm profile (and this filament loaded) may take a job aimed at `target`. */
export function printerMatches(printerId: string, profile: FarmProfile | undefined, target: JobTarget, filament?: LoadedFilament): boolean {
  if (target.kind === 'printer') return target.printerId === printerId;
  return meetsRequirements(profile, target.requirements, filament);
}

/**
 * A required material is met by the spool loaded when there is one, else by the material the farm profile names
 * (how printers were described before spools). Materials compare by family ("PLA+" is PLA, see matching.ts).
 */
export function meetsRequirements(profile: FarmProfile | undefined, req: JobRequirements, filament?: LoadedFilament): boolean {
  if (req.printerModel !== undefined && !(profile?.model && same(profile.model, req.printerModel))) return false;
  if (req.nozzleDiameter !== undefined && !(profile?.nozzleDiameter != null && Math.abs(profile.nozzleDiameter - req.nozzleDiameter) < 0.005)) return false;
  const loaded = filament?.kind === 'spool' ? filament.material : profile?.material;
  if (req.material !== undefined && !(loaded && sameMaterial(loaded, req.material))) return false;
  if (req.group !== undefined && !(profile?.group && same(profile.group, req.group))) return false;
  if (req.tags?.length) {
    const have = new Set((profile?.tags ?? []).map((t) => t.trim().toLowerCase()));
    if (!req.tags.every((t) => have.has(t.trim().toLowerCase()))) return false;
  }
  return true;
}

/**
 * A canonical string for a target: jobs with the same key match the same printers, so the dispatcher works
 * out compatibility once per key instead of once per job.
 */
export function targetKey(target: JobTarget): string {
  if (target.kind === 'printer') return `p:${target.printerId}`;
  const r = target.requirements;
  const norm = (s: string | undefined) => (s === undefined ? '' : s.trim().toLowerCase());
  const tags = (r.tags ?? [])
    .map((t) => t.trim().toLowerCase())
    .sort()
    .join(',');
  return `r:${norm(r.printerModel)}|${r.nozzleDiameter ?? ''}|${norm(r.material)}|${norm(r.group)}|${tags}`;
}

/** Plain words for the queue: "any printer", "MK4 · 0.4 mm · PETG", "Printer Prusa-2". */
export function describeTarget(target: JobTarget, printerName: (id: string) => string): string {
  if (target.kind === 'printer') return printerName(target.printerId);
  const r = target.requirements;
  const parts = [
    r.printerModel,
    r.nozzleDiameter !== undefined ? `${r.nozzleDiameter} mm nozzle` : undefined,
    r.material,
    r.group && `group ${r.group}`,
    ...(r.tags ?? []).map((t) => `#${t}`),
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'any printer';
}

// Which printer kinds take which file format: shared with the renderer's queue dialog, so it lives in the contract.
export { fileFormatOf, formatRefusal, printerTakesFormat } from '../contract/file-formats';

import type { FarmProfile, JobRequirements, JobTarget, PrintFileFormat } from '../contract/jobs-types';
import type { PrinterKind } from '../printers/model';

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether a printer with this farm profile may take a job aimed at `target`. */
export function printerMatches(printerId: string, profile: FarmProfile | undefined, target: JobTarget): boolean {
  if (target.kind === 'printer') return target.printerId === printerId;
  return meetsRequirements(profile, target.requirements);
}

export function meetsRequirements(profile: FarmProfile | undefined, req: JobRequirements): boolean {
  if (req.printerModel !== undefined && !(profile?.model && same(profile.model, req.printerModel))) return false;
  if (req.nozzleDiameter !== undefined && !(profile?.nozzleDiameter != null && Math.abs(profile.nozzleDiameter - req.nozzleDiameter) < 0.005)) return false;
  if (req.material !== undefined && !(profile?.material && same(profile.material, req.material))) return false;
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
  const tags = (r.tags ?? []).map((t) => t.trim().toLowerCase()).sort().join(',');
  return `r:${norm(r.printerModel)}|${r.nozzleDiameter ?? ''}|${norm(r.material)}|${norm(r.group)}|${tags}`;
}

/** Plain words for the queue: "any printer", "MK4 · 0.4 mm · PETG", "Printer Prusa-2". */
export function describeTarget(target: JobTarget, printerName: (id: string) => string): string {
  if (target.kind === 'printer') return printerName(target.printerId);
  const r = target.requirements;
  const parts = [r.printerModel, r.nozzleDiameter !== undefined ? `${r.nozzleDiameter} mm nozzle` : undefined, r.material, r.group && `group ${r.group}`, ...(r.tags ?? []).map((t) => `#${t}`)].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'any printer';
}

/** The library names every .gcode.3mf so (and never plain G-code), so the name alone tells the format. */
export function fileFormatOf(fileName: string): PrintFileFormat {
  return /\.3mf$/i.test(fileName) ? 'gcode.3mf' : 'gcode';
}

/**
 * Whether a printer of this kind can print a file of this format.
 * A .gcode.3mf is a ZIP: its G-code sits inside and only Bambu firmware unpacks it (the Bambu driver uploads the
 * whole archive and starts its plate with `project_file`). Sent to Marlin, OctoPrint, Moonraker or PrusaLink it
 * would be streamed or stored as if it were G-code text, so those printers never get one. Plain G-code goes to
 * every kind, Bambu included: its driver uploads it and starts it with `gcode_file`, as it always has.
 * An unknown kind (a caller that does not say) only takes plain G-code, the one format every printer reads.
 */
export function printerTakesFormat(kind: PrinterKind | undefined, format: PrintFileFormat): boolean {
  return format === 'gcode' || kind === 'bambu';
}

/** Why a printer of this kind cannot take the file, in the user's words; null when it can. */
export function formatRefusal(kind: PrinterKind | undefined, format: PrintFileFormat, printerName: string): string | null {
  if (printerTakesFormat(kind, format)) return null;
  return `${printerName} cannot print a .gcode.3mf: its G-code is packed in a Bambu project file that only Bambu Lab printers unpack. Queue it for a Bambu printer, or export plain G-code from the slicer for this one.`;
}

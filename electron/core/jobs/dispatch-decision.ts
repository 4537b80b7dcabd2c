import type { FarmProfile, JobTarget, PrintFileFormat } from '../contract/jobs-types';
import type { MaterialMatching, MaterialNeed } from '../contract/materials-types';
import { misfit, UNKNOWN_FILAMENT, type LoadedFilament } from '../materials/matching';
import type { PrinterKind } from '../printers/model';
import { printerMatches, printerTakesFormat } from './requirements';

/** A queued job as the dispatcher sees it; the queue hands them over in dispatch order. */
export interface QueuedRef {
  id: string;
  target: JobTarget;
  /** `targetKey(target)`, computed once when the job is queued. */
  key: string;
  /** The file's format (`fileFormatOf(fileName)`); absent means plain G-code. */
  format?: PrintFileFormat;
  /** What the job needs on the printer's spool; absent or null matches any filament. */
  need?: MaterialNeed | null;
  /** `needKey(need)`, computed once when the job is queued. */
  needKey?: string;
}

/** A printer that could start a job right now: connected, idle, bed confirmed clear, nothing assigned. */
export interface ReadyPrinter {
  id: string;
  profile: FarmProfile | undefined;
  /** The printer's protocol; decides which file formats it can take (a .gcode.3mf only goes to Bambu). */
  kind?: PrinterKind;
  /** What is loaded in slot 0 (the one spool, or a Bambu's external holder), as far as the farm knows; absent means unknown. */
  filament?: LoadedFilament;
  /** The spools a user confirmed in an AMS's trays, by slot (`traySlot`). */
  trays?: readonly TrayFilament[];
}

export interface TrayFilament {
  slot: number;
  filament: LoadedFilament;
  /** Why the spool confirmed in this tray is not trusted now (the printer reports something else there). */
  distrust?: string;
}

export interface Assignment {
  jobId: string;
  printerId: string;
}

/**
 * The dispatch decision, a pure function: walk the queue in order and give each job the first ready printer
 * it is compatible with, until the start slots (staggered starts) or the ready printers run out.
 * Compatibility is worked out once per distinct target, so 10 000 jobs cost little more than their count.
 */
export function decideDispatch(queue: Iterable<QueuedRef>, ready: readonly ReadyPrinter[], slots: number, matching: MaterialMatching = 'when-known'): Assignment[] {
  const out: Assignment[] = [];
  if (slots <= 0 || ready.length === 0) return out;
  const free = new Set(ready.map((p) => p.id));
  const byKey = new Map<string, ReadyPrinter[]>();
  for (const job of queue) {
    const format = job.format ?? 'gcode';
    const key = `${format === 'gcode' ? job.key : `${job.key}#${format}`}~${job.needKey ?? ''}`;
    let candidates = byKey.get(key);
    if (!candidates) {
      // The file format is part of compatibility: a .gcode.3mf never reaches a printer that cannot unpack it.
      // So is the filament loaded: the material, colour and grams the job needs (materials/matching.ts).
      candidates = ready.filter((p) => printerTakesFormat(p.kind, format) && fits(p, job, matching));
      byKey.set(key, candidates);
    }
    for (let i = 0; i < candidates.length; i++) {
      const printer = candidates[i]!;
      if (!free.has(printer.id)) continue;
      free.delete(printer.id);
      out.push({ jobId: job.id, printerId: printer.id });
      // Taken printers are dropped from the candidate list so later jobs with this target skip them at once.
      candidates.splice(0, i + 1);
      break;
    }
    if (out.length >= slots || free.size === 0) break;
  }
  return out;
}

/** Whether a ready printer may take a job: its target and requirements, then the filament loaded. */
export function fits(p: ReadyPrinter, job: Pick<QueuedRef, 'target' | 'need' | 'format'>, matching: MaterialMatching): boolean {
  return slotFor(p, job, matching) !== null;
}

/**
 * The slot a job would print from on this printer: slot 0 (its one spool, or a Bambu's external holder) or an AMS
 * tray whose confirmed spool fits; null when none does. AMS trays count only for a .gcode.3mf, the one format a
 * Bambu printer can be told which tray to feed from. A printer whose filament is known somewhere (any slot) is
 * judged by what is known: an empty external holder does not make an AMS printer take any job.
 */
export function slotFor(p: ReadyPrinter, job: Pick<QueuedRef, 'target' | 'need' | 'format'>, matching: MaterialMatching): number | null {
  const known = loadedSlots(p, job.format ?? 'gcode');
  if (known.length === 0) return printerMatches(p.id, p.profile, job.target, UNKNOWN_FILAMENT) && misfit(job.need ?? null, UNKNOWN_FILAMENT, matching) === null ? 0 : null;
  for (const { slot, filament, distrust } of known) {
    if (distrust) continue;
    if (printerMatches(p.id, p.profile, job.target, filament) && misfit(job.need ?? null, filament, matching) === null) return slot;
  }
  return null;
}

/** The slots with a known spool, slot 0 first; the first is the one a waiting job's reason names. */
export function loadedSlots(p: ReadyPrinter, format: PrintFileFormat): TrayFilament[] {
  const slots: TrayFilament[] = p.filament && p.filament.kind !== 'unknown' ? [{ slot: 0, filament: p.filament }] : [];
  if (format === 'gcode.3mf') for (const t of p.trays ?? []) if (t.filament.kind !== 'unknown') slots.push(t);
  return slots;
}

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
  /** What is loaded, as far as the farm knows; absent means unknown. */
  filament?: LoadedFilament;
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
export function fits(p: ReadyPrinter, job: Pick<QueuedRef, 'target' | 'need'>, matching: MaterialMatching): boolean {
  const filament = p.filament ?? UNKNOWN_FILAMENT;
  return printerMatches(p.id, p.profile, job.target, filament) && misfit(job.need ?? null, filament, matching) === null;
}

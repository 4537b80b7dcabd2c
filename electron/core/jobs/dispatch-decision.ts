import type { FarmProfile, JobTarget, PrintFileFormat } from '../contract/jobs-types';
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
}

/** A printer that could start a job right now: connected, idle, bed confirmed clear, nothing assigned. */
export interface ReadyPrinter {
  id: string;
  profile: FarmProfile | undefined;
  /** The printer's protocol; decides which file formats it can take (a .gcode.3mf only goes to Bambu). */
  kind?: PrinterKind;
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
export function decideDispatch(queue: Iterable<QueuedRef>, ready: readonly ReadyPrinter[], slots: number): Assignment[] {
  const out: Assignment[] = [];
  if (slots <= 0 || ready.length === 0) return out;
  const free = new Set(ready.map((p) => p.id));
  const byKey = new Map<string, ReadyPrinter[]>();
  for (const job of queue) {
    const format = job.format ?? 'gcode';
    const key = format === 'gcode' ? job.key : `${job.key}#${format}`;
    let candidates = byKey.get(key);
    if (!candidates) {
      // The file format is part of compatibility: a .gcode.3mf never reaches a printer that cannot unpack it.
      candidates = ready.filter((p) => printerTakesFormat(p.kind, format) && printerMatches(p.id, p.profile, job.target));
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

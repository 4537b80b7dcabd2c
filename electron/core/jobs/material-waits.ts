import type { MaterialMatching } from '../contract/materials-types';
import { describeNeed, misfit, UNKNOWN_FILAMENT } from '../materials/matching';
import { type QueuedRef, type ReadyPrinter } from './dispatch-decision';
import type { JobRecord } from './job-store';
import type { LiveJobs } from './live-jobs';
import type { PrinterRoster } from './printer-roster';
import { printerMatches, printerTakesFormat } from './requirements';

/** How many printers a waiting reason names before "…". */
const NAMED = 3;

/**
 * Why queued jobs wait for filament: a job whose target some printer could print, but none of those has the
 * material, colour or grams it needs loaded, says so ("No printer has PETG black with ≥ 35 g loaded: Printer 1 has
 * PLA loaded."). Worked out once per distinct target and need, so a queue of thousands of copies costs one check.
 * Held in memory only (it follows the spools and printers, not the job), and announced when it changes.
 */
export class MaterialWaits {
  /** What the last update looked at; an idle printer's every status report asks again, and mostly nothing changed. */
  private lastLook = '';

  constructor(
    private readonly jobs: LiveJobs,
    private readonly roster: PrinterRoster,
  ) {}

  update(printers: readonly ReadyPrinter[], matching: MaterialMatching): void {
    const look = `${this.jobs.changeCount}|${matching}|${JSON.stringify(printers.map((p) => [p.id, p.kind, p.profile, p.filament]))}`;
    if (look === this.lastLook) return;
    const byKey = new Map<string, string | null>();
    const changed: JobRecord[] = [];
    for (const entry of this.jobs.queue.values()) {
      const job = this.jobs.byId.get(entry.id);
      if (!job) continue;
      const key = `${entry.key}#${entry.format ?? 'gcode'}~${entry.needKey ?? ''}`;
      let why = byKey.get(key);
      if (why === undefined) {
        why = this.reason(entry, printers, matching);
        byKey.set(key, why);
      }
      if (job.waiting !== why) {
        job.waiting = why;
        changed.push(job);
      }
    }
    if (changed.length) this.jobs.announce(changed);
    // Announcing bumped the change count: remember the look as it now stands, so the next turn does not redo it.
    this.lastLook = `${this.jobs.changeCount}|${look.slice(look.indexOf('|') + 1)}`;
  }

  private reason(job: QueuedRef, printers: readonly ReadyPrinter[], matching: MaterialMatching): string | null {
    if (!job.need || matching === 'off') return null;
    const format = job.format ?? 'gcode';
    const misfits: string[] = [];
    for (const p of printers) {
      const filament = p.filament ?? UNKNOWN_FILAMENT;
      if (!printerTakesFormat(p.kind, format) || !printerMatches(p.id, p.profile, job.target, filament)) continue;
      const why = misfit(job.need, filament, matching);
      if (why === null) return null;
      misfits.push(`${this.roster.nameOf(p.id)} ${why}`);
    }
    if (misfits.length === 0) return null;
    const named = misfits.slice(0, NAMED).join('; ') + (misfits.length > NAMED ? '; …' : '');
    return `No printer has ${describeNeed(job.need)} loaded: ${named}. Load a matching spool, or edit the job's material.`;
  }
}

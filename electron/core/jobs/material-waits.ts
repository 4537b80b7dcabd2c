import type { MaterialMatching } from '../contract/materials-types';
import { describeNeed, misfit, UNKNOWN_FILAMENT } from '../materials/matching';
import { loadedSlots, slotFor, type QueuedRef, type ReadyPrinter } from './dispatch-decision';
import type { JobRecord } from './job-store';
import type { LiveJobs } from './live-jobs';
import type { PrinterRoster } from './printer-roster';
import { printerMatches, printerTakesFormat } from './requirements';

/** How many printers a waiting reason names before "…". */
const NAMED = 3;

/**
 * Why queued jobs wait for filament or for maintenance: a job whose target some printer could print, but none of those has the
 * material, colour or grams it needs loaded, says so ("No printer has PETG black with ≥ 35 g loaded: Printer 1 has
 * PLA loaded."), and a job whose only printers with the right filament are held for maintenance says that ("Prusa MK4
 * #2 is held: nozzle change due (212 h of 200 h). …"). Worked out once per distinct target and need, so a queue of thousands of copies costs one check.
 * Held in memory only (it follows the spools and printers, not the job), and announced when it changes.
 */
export class MaterialWaits {
  /** What the last update looked at; an idle printer's every status report asks again, and mostly nothing changed. */
  private lastLook = '';

  constructor(
    private readonly jobs: LiveJobs,
    private readonly roster: PrinterRoster,
    /** Why a printer is held for maintenance, or null (see maintenance/maintenance-service.ts). */
    private readonly heldFor: (printerId: string) => string | null = () => null,
  ) {}

  update(printers: readonly ReadyPrinter[], matching: MaterialMatching): void {
    const look = `${this.jobs.changeCount}|${matching}|${JSON.stringify(printers.map((p) => [p.id, p.kind, p.profile, p.filament, this.heldFor(p.id)]))}`;
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

  /**
   * A job waits with a reason only when no printer could take it at all: each one that could print it by target and
   * format either lacks the filament or is held for maintenance. One free of both means it is merely busy.
   */
  private reason(job: QueuedRef, printers: readonly ReadyPrinter[], matching: MaterialMatching): string | null {
    const format = job.format ?? 'gcode';
    const misfits: string[] = [];
    const held: string[] = [];
    for (const p of printers) {
      const first = loadedSlots(p, format)[0];
      const filament = first?.filament ?? UNKNOWN_FILAMENT;
      if (!printerTakesFormat(p.kind, format) || !printerMatches(p.id, p.profile, job.target, filament)) continue;
      const why = slotFor(p, job, matching) === null ? (first?.distrust ?? misfit(job.need ?? null, filament, matching)) : null;
      if (why !== null) {
        misfits.push(`${this.roster.nameOf(p.id)} ${why}`);
        continue;
      }
      const hold = this.heldFor(p.id);
      if (hold === null) return null;
      held.push(`${this.roster.nameOf(p.id)} is held: ${hold}`);
    }
    // A printer with the right filament but held says more than the ones without it: marking a task done starts the job.
    if (held.length) return `${named(held)}. Mark the task done on the printer's page to release ${held.length === 1 ? 'it' : 'them'}.`;
    if (misfits.length === 0 || !job.need) return null;
    return `No printer has ${describeNeed(job.need)} loaded: ${named(misfits)}. Load a matching spool, or edit the job's material.`;
  }
}

function named(reasons: readonly string[]): string {
  return reasons.slice(0, NAMED).join('; ') + (reasons.length > NAMED ? '; …' : '');
}

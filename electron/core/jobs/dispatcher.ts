import type { PrinterView } from '../contract';
import type { Clock } from '../ports/clock';
import type { PrintSource } from '../printers/driver';
import { classifyFailure } from '../printers/failure-class';
import type { SpoolInventory } from '../materials/spool-inventory';
import { decideDispatch, slotFor, type ReadyPrinter } from './dispatch-decision';
import { amsTrayOfSlot } from '../contract/materials-types';
import { fileFormatOf } from './requirements';
import type { FarmFleet, FarmLibrary } from './farm-ports';
import type { JobEndings } from './job-endings';
import type { JobRecord } from './job-store';
import { orderEntry, type LiveJobs } from './live-jobs';
import type { ManualPrints } from './manual-prints';
import type { PrinterProfiles } from './printer-profiles';
import type { PrinterRoster } from './printer-roster';
import { MaterialWaits } from './material-waits';

/** A printer whose start just failed sits out this long, so one bad printer cannot eat the queue. */
const FAILED_START_COOLDOWN_MS = 15_000;
/** The longest pause between starts on a printer that keeps failing for reasons that may pass. */
const MAX_START_RETRY_MS = 5 * 60_000;

export interface DispatcherDeps {
  jobs: LiveJobs;
  endings: JobEndings;
  profiles: PrinterProfiles;
  roster: PrinterRoster;
  manual: ManualPrints;
  fleet: FarmFleet;
  library: FarmLibrary;
  clock: Clock;
  spools: SpoolInventory;
  /** A printer left hot by a crash and not made safe yet. */
  coolingAfterRestart: (printerId: string) => boolean;
  /** Why a printer is held for maintenance ("nozzle change due (212 h of 200 h)"), or null when it is not. */
  heldFor: (printerId: string) => string | null;
  isClosed: () => boolean;
}

/**
 * Starts queued jobs on ready printers. Any number of changes in one turn cost one decision, taken on the next
 * turn by the pure `decideDispatch`; the starts it picks are committed before the printer is asked, and a start
 * the printer refuses is failed, held or retried later by what the refusal means.
 */
export class Dispatcher {
  private pending = false;
  private readonly inFlight = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];
  private readonly cooldownUntil = new Map<string, number>();
  /** Failed starts in a row per printer, for the growing pause between retries. */
  private readonly failedStarts = new Map<string, number>();
  private readonly waits: MaterialWaits;

  constructor(private readonly d: DispatcherDeps) {
    this.waits = new MaterialWaits(d.jobs, d.roster, d.heldFor);
  }

  schedule(): void {
    if (this.pending || this.d.isClosed()) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      if (!this.d.isClosed()) this.dispatchOnce();
      this.maybeIdle();
    });
  }

  /** Resolves when no dispatch is pending and every start in flight has settled (tests and benchmarks). */
  settled(): Promise<void> {
    if (!this.pending && this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Waits for the work in flight, which a closing farm lets finish rather than cut off. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Counts `p` as work in flight until it settles, for `settled` and `drain`. */
  track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      this.maybeIdle();
    });
  }

  /** The printers that could start a job right now (for the decision and for the explain view). */
  readyPrinters(printers: readonly PrinterView[]): ReadyPrinter[] {
    const now = this.d.clock.now();
    const out: ReadyPrinter[] = [];
    for (const p of printers) {
      if (p.status.state.kind !== 'idle' || !p.capabilities.print) continue;
      if (this.d.jobs.activeByPrinter.has(p.id) || this.d.manual.busy(p.id)) continue;
      // Left hot by a crash and not made safe yet: a new print must not race the cool-down.
      if (this.d.coolingAfterRestart(p.id)) continue;
      // Held until a due maintenance task is marked done (the operator chose to hold on it).
      if (this.d.heldFor(p.id) !== null) continue;
      const profile = this.d.profiles.saved(p.id);
      if (profile && profile.bed !== 'clear') continue;
      const until = this.cooldownUntil.get(p.id);
      if (until !== undefined && until > now) continue;
      out.push({ id: p.id, profile, kind: p.kind, filament: this.d.spools.filamentOn(p.id), trays: this.d.spools.trayFilaments(p.id) });
    }
    return out;
  }

  private dispatchOnce(): void {
    const { jobs } = this.d;
    if (jobs.queue.size === 0) return;
    const matching = this.d.profiles.settings().materialMatching;
    const printers = this.d.fleet.list();
    const slots = this.d.profiles.maxConcurrentStarts() - jobs.startingCount();
    const assignments = decideDispatch(jobs.queue.values(), this.readyPrinters(printers), slots, matching);
    for (const a of assignments) {
      const job = jobs.byId.get(a.jobId);
      if (job) this.track(this.startJob(job, a.printerId));
    }
    // Every printer that could print the job, idle or not: a job waits for filament only when none of them has it,
    // and for maintenance only when every one that has it is held.
    this.waits.update(
      printers.filter((p) => p.capabilities.print).map((p) => this.printerAsCandidate(p)),
      matching,
    );
  }

  private printerAsCandidate(p: PrinterView): ReadyPrinter {
    const profile = this.d.profiles.saved(p.id);
    return { id: p.id, profile, kind: p.kind, filament: this.d.spools.filamentOn(p.id), trays: this.d.spools.trayFilaments(p.id) };
  }

  private async startJob(job: JobRecord, printerId: string): Promise<void> {
    let source: PrintSource;
    try {
      source = this.d.library.source(job.fileSha256, job.fileName, this.d.roster.find(printerId)?.kind);
    } catch (err) {
      this.failStartBeforeBegin(job, err);
      return;
    }
    // Committed before the printer is asked: after a crash the job shows as interrupted, never as queued, so it cannot run twice.
    this.d.jobs.queue.remove(job.id);
    this.d.jobs.activeByPrinter.set(printerId, job.id);
    this.d.endings.forgetProgress(job.id);
    const now = this.d.clock.now();
    // The slot it prints from: slot 0, or the AMS tray whose confirmed spool fits (the printer is told to feed from it).
    const printer = this.d.fleet.list().find((p) => p.id === printerId);
    const slot = printer
      ? (slotFor(this.printerAsCandidate(printer), { target: job.target, need: job.need, format: fileFormatOf(job.fileName) }, this.d.profiles.settings().materialMatching) ?? 0)
      : 0;
    const tray = amsTrayOfSlot(slot);
    if (tray !== null) source = { ...source, amsTray: tray };
    // The spool in that slot now is the one this print uses, whatever is loaded by the time it ends.
    this.d.spools.claimInTx(job.id, printerId, now, slot);
    this.d.jobs.commit(job, { state: 'starting', printerId, startedAt: now, reason: null, waiting: null, startCount: job.startCount + 1 });
    try {
      await this.d.fleet.startPrint(printerId, source);
      this.failedStarts.delete(printerId);
    } catch (err) {
      this.onStartFailed(job, printerId, err);
    }
  }

  /**
   * A start the printer refused, by what the refusal means (printers/failure-class.ts): a refusal that will
   * not change fails the job with the printer's reason instead of uploading it again forever; a refused key
   * holds the job until the key is entered (the printer is offline meanwhile, so nothing is sent to it); anything
   * else is retried on that printer with a growing pause, and the job says when.
   */
  private onStartFailed(job: JobRecord, printerId: string, err: unknown): void {
    const { jobs, clock } = this.d;
    const name = this.d.roster.nameOf(printerId);
    const failure = classifyFailure(err);
    const reason = failure.reason;
    let delay = 0;
    if (failure.kind === 'transient') {
      const tries = (this.failedStarts.get(printerId) ?? 0) + 1;
      this.failedStarts.set(printerId, tries);
      delay = Math.min(FAILED_START_COOLDOWN_MS * 2 ** (tries - 1), MAX_START_RETRY_MS);
      this.cooldownUntil.set(printerId, clock.now() + delay);
      clock.setTimeout(() => this.schedule(), delay);
    }
    if (jobs.byId.get(job.id)?.state !== 'starting' || jobs.activeByPrinter.get(printerId) !== job.id) return;
    jobs.activeByPrinter.delete(printerId);
    if (failure.kind === 'permanent') {
      // Nothing was printed: no history entry and no bed to clear, only the job's own reason.
      job.startedAt = null;
      this.d.endings.finish(job, 'failed', `${name} refused it: ${reason} Asking again would get the same answer; fix the cause, then retry the job.`, clock.now());
      return;
    }
    const why =
      failure.kind === 'needs-key' ? `Waiting for ${name}'s key: ${reason}` : `Could not start on ${name}: ${reason} Trying that printer again in ${Math.round(delay / 1000)} s.`;
    jobs.commit(job, { state: 'queued', printerId: null, startedAt: null, reason: why });
    jobs.queue.insert(orderEntry(job));
    this.schedule();
  }

  private failStartBeforeBegin(job: JobRecord, err: unknown): void {
    const why = err instanceof Error ? err.message : String(err);
    this.d.jobs.queue.remove(job.id);
    this.d.jobs.commit(job, { state: 'failed', endedAt: this.d.clock.now(), reason: `The file cannot be read: ${why}` });
  }

  private maybeIdle(): void {
    if (this.pending || this.inFlight.size) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

import { randomUUID } from 'node:crypto';
import type { FarmProfile, FinishedJobState, HistoryEntry } from '../contract/jobs-types';
import type { Clock } from '../ports/clock';
import type { JobEnd } from '../printers/model';
import type { SpoolInventory } from '../materials/spool-inventory';
import type { CostRates } from '../costs/cost-rates';
import { printCost, spoolDrawsOf, type SpoolDraw } from '../costs/print-cost';
import type { PrintCost } from '../contract/cost-types';
import type { Db } from '../store/database';
import type { FarmEvents, FarmFleet, FarmLibrary } from './farm-ports';
import type { HistoryStore } from './history-store';
import type { JobRecord } from './job-store';
import type { LiveJobs } from './live-jobs';
import type { ManualPrintEnd, ManualPrints } from './manual-prints';
import type { PrinterProfiles } from './printer-profiles';
import type { PrinterRoster } from './printer-roster';
import { checkpointSentence, type ProgressCheckpoints } from './progress-checkpoints';
import type { CoolDownOutcome, PrintLeftBehind } from './restart-cool-down';

/** A job's end as committed, waiting to be taken into memory and announced. */
export interface FinishedJob {
  job: JobRecord;
  entry: HistoryEntry | null;
  profile: FarmProfile | null;
  /** Spools the print's filament was taken from. */
  spoolIds: string[];
}

export interface JobEndingsDeps {
  db: Db;
  jobs: LiveJobs;
  history: HistoryStore;
  profiles: PrinterProfiles;
  roster: PrinterRoster;
  manual: ManualPrints;
  fleet: FarmFleet;
  library: FarmLibrary;
  clock: Clock;
  checkpoints: ProgressCheckpoints;
  spools: SpoolInventory;
  /** The prices a print's cost is reckoned at when it ends. */
  costs: CostRates;
  events: Pick<FarmEvents, 'history' | 'profile'>;
  isClosed: () => boolean;
  /** An end frees a printer or changes a bed: the dispatcher looks again. */
  afterEnd: () => void;
}

/**
 * How prints end and what is recorded: the job's state, a history row with the filament it used so far, and the
 * bed left to clear, in one transaction, then the events. Prints started by hand and printers left hot by a crash
 * are recorded here too, so every history row is written the same way.
 */
export class JobEndings {
  /** How far each running job has got, for its history row and for saying where it was cancelled. */
  private readonly progress = new Map<string, number>();
  /** Running jobs the user asked to cancel, so their end says who stopped them. */
  private readonly cancelRequested = new Set<string>();

  constructor(private readonly d: JobEndingsDeps) {}

  /** How far a running job has got; written to the database every few seconds, so a crash does not lose it. */
  noteProgress(jobId: string, fraction: number, line: number | null = null): void {
    this.progress.set(jobId, fraction);
    this.d.checkpoints.note(jobId, fraction, line);
  }

  /** " It had reached line N of the file (x %) …" from the last checkpoint before a crash, or "". */
  whereItStopped(jobId: string): string {
    return checkpointSentence(this.d.checkpoints.last(jobId));
  }

  forgetProgress(jobId: string): void {
    this.progress.delete(jobId);
  }

  noteCancelRequested(jobId: string): void {
    this.cancelRequested.add(jobId);
  }

  /** A queue job's end as the printer reported it. */
  recordEnd(job: JobRecord, end: JobEnd): void {
    const o = end.outcome;
    const reason = o.kind === 'failed' ? o.reason : o.kind === 'interrupted' ? withStopLine(o.reason, o.atLine) : o.kind === 'cancelled' ? this.cancelledReason(job) : null;
    this.finish(job, o.kind, reason, end.at);
  }

  /** What a print cost at today's rates: the history keeps it as it was. */
  private costOf(printerId: string, startedAt: number, endedAt: number, draws: SpoolDraw[], fileGrams: number | null): PrintCost | null {
    return printCost({
      hours: (endedAt - startedAt) / 3_600_000,
      draws,
      fileGrams,
      settings: this.d.costs.settings(),
      printer: this.d.costs.printer(printerId),
    });
  }

  /** A print that ends cancelled says who stopped it and how far it had got. */
  private cancelledReason(job: JobRecord): string {
    const byUs = this.cancelRequested.delete(job.id);
    const fraction = this.progress.get(job.id);
    const at = fraction === undefined ? '' : ` at ${Math.round(fraction * 100)} %`;
    return byUs ? `Cancelled in AutoPrintFarm while printing${at}.` : `Cancelled on the printer while printing${at}.`;
  }

  finish(job: JobRecord, outcome: FinishedJobState, reason: string | null, at: number): void {
    const names = this.d.roster.names();
    const result = this.d.db.transaction(() => this.finishInTx(job, outcome, reason, at, names, false))();
    this.announceFinish(result);
    this.d.afterEnd();
  }

  /** The end of a job in one transaction: the job's state, its history row, and the bed to clear. */
  finishInTx(job: JobRecord, outcome: FinishedJobState, reason: string | null, at: number, names: ReadonlyMap<string, string>, fromRecovery: boolean): FinishedJob {
    const printerId = job.printerId;
    // After a crash the fraction comes from the last checkpoint, so the history still counts the filament used.
    const fraction = outcome === 'completed' ? 1 : (this.progress.get(job.id) ?? this.d.checkpoints.last(job.id)?.fraction ?? null);
    Object.assign(job, { state: outcome, endedAt: at, reason });
    this.d.jobs.store.update(job);
    this.d.checkpoints.forget(job.id);
    let entry: HistoryEntry | null = null;
    let profile: FarmProfile | null = null;
    let spoolIds: string[] = [];
    if (printerId && job.startedAt !== null) {
      // The filament it used comes off the spool it started with, once (a second report of this end takes nothing).
      spoolIds = this.d.spools.deductInTx(job.id, job.need, fraction, at);
      const file = this.d.library.fileForJob(job.fileSha256);
      const p = this.d.profiles.of(printerId);
      const scale = (v: number | null | undefined) => (v == null || fraction === null ? null : Math.round(v * fraction * 100) / 100);
      const filamentG = scale(file?.filamentG);
      entry = this.d.history.insert({
        jobId: job.id,
        source: 'queue',
        printerId,
        printerName: names.get(printerId) ?? printerId,
        fileName: job.fileName,
        fileSha256: job.fileSha256,
        outcome,
        reason,
        startedAt: job.startedAt,
        endedAt: at,
        filamentMm: scale(file?.filamentMm),
        filamentG,
        // The spool it printed from says best what it was printed in; else the profile's word, else the file's.
        material: (spoolIds[0] !== undefined ? this.d.spools.find(spoolIds[0])?.material : undefined) ?? p.material ?? file?.material ?? null,
        cost: this.costOf(printerId, job.startedAt, at, spoolDrawsOf(this.d.db, job.id), filamentG),
      });
      // Only a completed print on a self-clearing printer leaves the bed free; anything else leaves a part or a mess.
      if (!(p.autoEject && outcome === 'completed' && !fromRecovery)) {
        profile = { ...p, bed: 'needs_clear', bedJobId: job.id };
        this.d.profiles.write(profile);
      }
    }
    return { job, entry, profile, spoolIds };
  }

  /** After the commit: the job leaves memory, its printer is free, and the UI hears of it. */
  announceFinish(r: FinishedJob): void {
    const { job } = r;
    const { jobs } = this.d;
    jobs.byId.delete(job.id);
    jobs.queue.remove(job.id);
    this.progress.delete(job.id);
    this.cancelRequested.delete(job.id);
    if (job.printerId && jobs.activeByPrinter.get(job.printerId) === job.id) {
      jobs.activeByPrinter.delete(job.printerId);
      this.d.manual.queueJobEnded(job.printerId, this.d.roster.stateOf(job.printerId));
    }
    if (r.profile) this.d.profiles.remember(r.profile);
    if (r.spoolIds.length) this.d.spools.committed(r.spoolIds);
    jobs.announce([job]);
    if (r.entry) this.d.events.history(r.entry);
    if (r.profile) this.d.events.profile(r.profile);
  }

  /**
   * A print started by hand goes into the history like a queue job's, marked `manual`, and leaves the bed to
   * clear like any other print: the part is still on it, and the queue must not start a job on top of it.
   */
  recordManual(m: ManualPrintEnd): void {
    const names = this.d.roster.names();
    const file = this.d.library.fileNamed?.(m.fileName) ?? null;
    const p = this.d.profiles.of(m.printerId);
    const present = this.d.fleet.list().some((x) => x.id === m.printerId);
    const scale = (v: number | null | undefined) => (v == null || m.fraction === null ? null : Math.round(v * m.fraction * 100) / 100);
    const filamentG = scale(file?.filamentG);
    const { entry, profile } = this.d.db.transaction(() => {
      const entry = this.d.history.insert({
        jobId: randomUUID(),
        source: 'manual',
        printerId: m.printerId,
        printerName: names.get(m.printerId) ?? m.printerId,
        fileName: m.fileName,
        fileSha256: file?.sha256 ?? null,
        outcome: m.outcome,
        reason: m.reason,
        startedAt: m.startedAt,
        endedAt: m.endedAt,
        filamentMm: scale(file?.filamentMm),
        filamentG,
        material: p.material ?? file?.material ?? null,
        cost: this.costOf(m.printerId, m.startedAt, m.endedAt, [], filamentG),
      });
      let profile: FarmProfile | null = null;
      if (present && !(p.autoEject && m.outcome === 'completed')) {
        profile = { ...p, bed: 'needs_clear', bedJobId: null };
        this.d.profiles.write(profile);
      }
      return { entry, profile };
    })();
    if (profile) this.d.profiles.remember(profile);
    this.d.events.history(entry);
    if (profile) this.d.events.profile(profile);
    this.d.afterEnd();
  }

  /** What became of a printer left hot by the crash goes with its interrupted job, in the queue and in history. */
  recordCoolDown(left: PrintLeftBehind, outcome: CoolDownOutcome): void {
    if (this.d.isClosed()) return;
    const job = this.d.jobs.store.get(left.jobId);
    if (!job) return;
    const reason = job.reason ? `${job.reason} ${outcome.message}` : outcome.message;
    const entry = this.d.db.transaction(() => {
      this.d.jobs.store.update({ ...job, reason });
      return this.d.history.appendReason(job.id, outcome.message);
    })();
    job.reason = reason;
    this.d.jobs.announce([job]);
    if (entry) this.d.events.history(entry);
    this.d.afterEnd();
  }
}

/** Where an interrupted print stopped, when the printer knows: the line a restart would pick up from. */
function withStopLine(reason: string, atLine: number | null): string {
  if (atLine === null) return reason;
  const sentence = /[.!?]$/.test(reason.trim()) ? reason.trim() : `${reason.trim()}.`;
  return `${sentence} Stopped at line ${atLine.toLocaleString('en-US')} of the file.`;
}

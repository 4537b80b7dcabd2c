import type { Clock } from '../ports/clock';
import type { JobEnd, PrinterState, PrinterStatus } from '../printers/model';
import type { Db } from '../store/database';
import type { Dispatcher } from './dispatcher';
import type { FarmFleet, FarmLibrary } from './farm-ports';
import type { JobEndings } from './job-endings';
import type { JobRecord } from './job-store';
import type { LiveJobs } from './live-jobs';
import type { ManualPrints } from './manual-prints';
import type { PrinterRoster } from './printer-roster';

export interface PrinterReportsDeps {
  db: Db;
  jobs: LiveJobs;
  endings: JobEndings;
  dispatcher: Dispatcher;
  roster: PrinterRoster;
  manual: ManualPrints;
  fleet: FarmFleet;
  library: FarmLibrary;
  clock: Clock;
  isClosed: () => boolean;
}

/**
 * What the fleet reports, turned into job changes: a running job's state and progress from printer status, its
 * end from the driver, prints started by hand followed from status, and printers that leave the fleet.
 */
export class PrinterReports {
  constructor(private readonly d: PrinterReportsDeps) {}

  /** Follows prints already running that the queue did not start (the app was started mid-print), then listens. */
  follow(): (() => void)[] {
    const { fleet, jobs } = this.d;
    for (const p of fleet.list()) if (!jobs.activeByPrinter.has(p.id)) this.observeManual(p.id, p.status.state);
    return [
      fleet.onPrinterStatus((id, status) => this.onStatus(id, status)),
      fleet.onJobEnd((id, end) => this.onJobEnd(id, end)),
      fleet.onPrintersChanged(() => this.onPrintersChanged()),
    ];
  }

  private onStatus(printerId: string, status: PrinterStatus): void {
    const { jobs, dispatcher } = this.d;
    const jobId = jobs.activeByPrinter.get(printerId);
    const state = status.state;
    if (!jobId) {
      this.observeManual(printerId, state);
      if (state.kind === 'idle') dispatcher.schedule();
      return;
    }
    const job = jobs.byId.get(jobId);
    if (!job) return;
    if (state.kind === 'printing' || state.kind === 'paused') this.d.endings.noteProgress(jobId, state.job.fraction, state.job.linesSent);
    if (job.state === 'starting' && state.kind === 'printing' && (this.d.library.fileForJob(job.fileSha256)?.heats === false || hasWarmedUp(status, state.job.fraction))) {
      jobs.commit(job, { state: 'printing' });
      // A start slot is free again for the next printer in the stagger.
      dispatcher.schedule();
    } else if (job.state !== 'paused' && state.kind === 'paused') jobs.commit(job, { state: 'paused' });
    else if (job.state === 'paused' && state.kind === 'printing') jobs.commit(job, { state: 'printing' });
  }

  private onJobEnd(printerId: string, end: JobEnd): void {
    const jobId = this.d.jobs.activeByPrinter.get(printerId);
    const job = jobId ? this.d.jobs.byId.get(jobId) : undefined;
    if (!job) {
      // A print started by hand: recorded in the history, with no queue job.
      const ended = this.d.manual.reported(printerId, end);
      if (ended) this.d.endings.recordManual(ended);
      return;
    }
    this.d.endings.recordEnd(job, end);
  }

  private onPrintersChanged(): void {
    const { jobs, roster, clock } = this.d;
    const printers = this.d.fleet.list();
    const present = new Set(printers.map((p) => p.id));
    for (const [printerId, jobId] of [...jobs.activeByPrinter]) {
      if (present.has(printerId)) continue;
      const job = jobs.byId.get(jobId);
      if (job) this.d.endings.finish(job, 'interrupted', 'The printer was removed while this job was on it.', clock.now());
    }
    const removed = roster.missingFrom(present);
    for (const printerId of removed) {
      const ended = this.d.manual.removed(printerId, clock.now());
      if (ended) this.d.endings.recordManual(ended);
    }
    this.failJobsForRemovedPrinters(new Set(removed));
    roster.remember(printers);
    this.d.dispatcher.schedule();
  }

  /**
   * Queued jobs fixed to a printer that has been removed fail, with the printer named. They are not handed to
   * "any compatible printer": an operator fixes a job to one printer for reasons the farm cannot see (the
   * filament loaded in it, its nozzle, a bed prepared for this part, a customer's colour), so printing it
   * elsewhere could waste a print or make the wrong one. A failed job is visible in the queue, and the operator
   * can queue the file again for the printer they choose. Left queued, it would wait forever.
   * Only a removal seen while running counts: a printer missing at start may come back (a settings file that
   * was corrupt and moved aside, then restored), and failing its jobs then would lose the operator's queue.
   */
  private failJobsForRemovedPrinters(removed: ReadonlySet<string>): void {
    if (!removed.size) return;
    const { jobs } = this.d;
    const orphans: { job: JobRecord; patch: Partial<JobRecord> }[] = [];
    const at = this.d.clock.now();
    for (const job of jobs.byId.values()) {
      if (job.state !== 'queued' || job.target.kind !== 'printer' || !removed.has(job.target.printerId)) continue;
      const name = this.d.roster.listedName(job.target.printerId);
      const reason = `${name ? `The printer ${name}` : 'The printer this job was for'} was removed from the farm, and this job was for that printer only. Queue the file again for another printer.`;
      orphans.push({ job, patch: { state: 'failed', endedAt: at, reason } });
    }
    if (!orphans.length) return;
    this.d.db.transaction(() => {
      for (const { job, patch } of orphans) jobs.store.update({ ...job, ...patch });
    })();
    for (const { job, patch } of orphans) {
      Object.assign(job, patch);
      jobs.byId.delete(job.id);
      jobs.queue.remove(job.id);
    }
    jobs.announce(orphans.map(({ job }) => job));
  }

  private observeManual(printerId: string, state: PrinterState): void {
    if (!this.d.manual.observe(printerId, state, this.d.clock.now())) return;
    // The end was read from the state; a driver that reports ends itself does so in the same turn, and its word wins.
    this.d.dispatcher.track(
      new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        const ended = this.d.manual.takeEnded(printerId);
        if (ended && !this.d.isClosed()) this.d.endings.recordManual(ended);
      }),
    );
  }
}

/**
 * When a starting job counts as printing (and frees its start slot): the heaters have reached their targets.
 * A printer that reports no temperatures, or a file past half way, counts as warmed up.
 */
export function hasWarmedUp(status: PrinterStatus, fraction: number): boolean {
  if (fraction >= 0.5) return true;
  const { hotend, bed } = status.temperatures;
  if (!hotend) return true;
  if (hotend.target <= 0 || hotend.actual < hotend.target - 3) return false;
  return !bed || bed.target <= 0 || bed.actual >= bed.target - 2;
}

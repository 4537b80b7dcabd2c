import { CostRates } from '../costs/cost-rates';
import { randomUUID } from 'node:crypto';
import type { PrinterView } from '../contract';
import type { CloudJobRef, FarmProfile, FarmSettings, JobTarget, JobView, Priority } from '../contract/jobs-types';
import { AppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { HexColour, MaterialNeed } from '../contract/materials-types';
import { editedNeed, needFromFile } from '../materials/need';
import { SpoolInventory } from '../materials/spool-inventory';
import { MaintenanceService } from '../maintenance/maintenance-service';
import type { Db } from '../store/database';
import type { ReadyPrinter } from './dispatch-decision';
import { Dispatcher } from './dispatcher';
import { EnqueueRequests } from './enqueue-requests';
import type { FarmEvents, FarmFleet, FarmLibrary } from './farm-ports';
import { HistoryStore } from './history-store';
import { JobEndings, type FinishedJob } from './job-endings';
import { JobStore, toJobView, type JobRecord } from './job-store';
import { isActive, isFinished, LiveJobs, orderEntry } from './live-jobs';
import { ManualPrints } from './manual-prints';
import { patchedProfile, PrinterProfiles, type ProfilePatch } from './printer-profiles';
import { PrinterReports } from './printer-reports';
import { PrinterRoster } from './printer-roster';
import { printsOnItsOwn, PrintsCarriedOn, type CarriedOnOutcome, type CarriedOnPrint } from './prints-carried-on';
import { ProgressCheckpoints } from './progress-checkpoints';
import { RestartCoolDown } from './restart-cool-down';
import { fileFormatOf, formatRefusal } from './requirements';

export type { FarmEvents, FarmFleet, FarmLibrary } from './farm-ports';
export type { ProfilePatch } from './printer-profiles';
export { hasWarmedUp } from './printer-reports';

export interface EnqueueRequest {
  fileSha256: string;
  copies: number;
  priority: Priority;
  target: JobTarget;
  /** The client's id for this request: a repeat (its reply was lost) answers with the jobs already made. */
  requestId?: string;
  /**
   * The cloud's job this is (a print_command): one copy, and a repeat of the same cloud job answers with the
   * job it already became, never a second one.
   */
  cloud?: CloudJobRef;
  /** A retry keeps the need of the job it retries (the user may have edited it); otherwise it comes from the file. */
  need?: MaterialNeed | null;
}

const INTERRUPTED_BY_RESTART = 'AutoPrintFarm stopped while this print was running, so it did not finish. Check the part and clear the bed.';

/**
 * The farm: the queue, the dispatcher and the history over one SQLite database. Every change is committed in a
 * transaction before its event is sent, so a crash never shows the UI something the database does not hold.
 * Dispatch decisions are a pure function over in-memory indexes (queue order, ready printers); only the
 * resulting starts touch the database and the printers.
 *
 * This class is the public face and the wiring; each concern lives in its own module: `LiveJobs` (the
 * in-memory indexes and how a change is committed), `Dispatcher` (starting jobs), `JobEndings` (ends and
 * history), `PrinterReports` (what the fleet reports), `PrinterProfiles` and `PrinterRoster`.
 */
export class Farm {
  readonly history: HistoryStore;
  /** The spools and what each printer has loaded (the dispatcher matches on them, a print's end deducts from them). */
  readonly spools: SpoolInventory;
  /** Each printer's maintenance tasks (a due task set to hold keeps the dispatcher off its printer). */
  readonly maintenance: MaintenanceService;
  /** The prices each print's cost is reckoned at when it ends. */
  readonly costs: CostRates;
  private readonly jobs: LiveJobs;
  private readonly enqueueRequests: EnqueueRequests;
  private readonly profiles: PrinterProfiles;
  private readonly roster: PrinterRoster;
  private readonly endings: JobEndings;
  private readonly dispatcher: Dispatcher;
  private readonly reports: PrinterReports;
  private readonly restartCoolDown: RestartCoolDown;
  private readonly carriedOn: PrintsCarriedOn;
  private readonly unsubscribe: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly fleet: FarmFleet,
    private readonly library: FarmLibrary,
    private readonly clock: Clock,
    events: FarmEvents,
    spools?: SpoolInventory,
    maintenance?: MaintenanceService,
  ) {
    const isClosed = () => this.closed;
    const manual = new ManualPrints();
    this.jobs = new LiveJobs(new JobStore(db), (views) => events.jobs(views));
    this.enqueueRequests = new EnqueueRequests(db);
    this.profiles = new PrinterProfiles(db, events);
    this.history = new HistoryStore(db);
    this.costs = new CostRates(db);
    this.roster = new PrinterRoster(fleet);
    this.spools =
      spools ??
      new SpoolInventory({
        db,
        clock,
        printerName: (id) => this.roster.find(id)?.name ?? null,
        traysOf: (id) => this.fleet.list().find((p) => p.id === id)?.status.trays ?? null,
      });
    // A spool loaded, unloaded, edited or used changes which printer may take which job.
    this.unsubscribe.push(this.spools.onChange(() => this.scheduleDispatch()));
    this.maintenance = maintenance ?? new MaintenanceService({ db, clock, printerName: (id) => this.roster.find(id)?.name ?? null });
    // A task falling due holds its printer; marking it done (or editing it) releases the printer at once.
    this.unsubscribe.push(this.maintenance.onChange(() => this.scheduleDispatch()));
    // A print's history row moves its printer's maintenance counters before anyone hears of the print.
    const recorded: FarmEvents = {
      ...events,
      history: (entry) => {
        this.maintenance.printRecorded(entry.printerId);
        events.history(entry);
      },
    };
    const common = { jobs: this.jobs, roster: this.roster, manual, fleet, library, clock, isClosed, spools: this.spools };
    this.endings = new JobEndings({
      ...common,
      db,
      history: this.history,
      profiles: this.profiles,
      checkpoints: new ProgressCheckpoints(db, clock),
      costs: this.costs,
      events: recorded,
      afterEnd: () => this.dispatcher.schedule(),
    });
    this.carriedOn = new PrintsCarriedOn(
      { statusOf: (id) => this.fleet.list().find((p) => p.id === id)?.status ?? null, onPrinterStatus: (l) => this.fleet.onPrinterStatus(l) },
      (print, outcome) => this.carriedOnSettled(print, outcome),
      this.clock,
    );
    this.restartCoolDown = new RestartCoolDown(
      {
        statusOf: (id) => this.fleet.list().find((p) => p.id === id)?.status ?? null,
        onPrinterStatus: (l) => this.fleet.onPrinterStatus(l),
        coolDown: (id) => this.fleet.coolDown(id),
        setNotice: (id, notice) => this.fleet.setNotice(id, notice),
      },
      (left, outcome) => this.endings.recordCoolDown(left, outcome),
      this.clock,
    );
    this.dispatcher = new Dispatcher({
      ...common,
      endings: this.endings,
      profiles: this.profiles,
      coolingAfterRestart: (id) => this.restartCoolDown.isWaiting(id),
      heldFor: (id) => this.maintenance.heldReason(id),
    });
    this.reports = new PrinterReports({ ...common, db, endings: this.endings, dispatcher: this.dispatcher });
  }

  /**
   * Settles the prints that were running when the app last stopped, then starts dispatching. A print on a printer
   * that streams from here (USB, virtual) died with the app: it is interrupted, with the line it had reached. A
   * print on a network printer may still be running there: it stays that printer's job until the printer answers
   * (PrintsCarriedOn), and is followed to its real end when it still runs.
   */
  start(): void {
    const names = this.roster.names();
    const kinds = new Map(this.fleet.list().map((p) => [p.id, p.kind]));
    const carriedOn: CarriedOnPrint[] = [];
    const recovered = this.db.transaction(() => {
      const out: FinishedJob[] = [];
      for (const job of this.jobs.store.unfinished()) {
        if (!isActive(job)) this.jobs.byId.set(job.id, job);
        else if (job.printerId && printsOnItsOwn(kinds.get(job.printerId))) {
          this.jobs.byId.set(job.id, job);
          carriedOn.push({ printerId: job.printerId, jobId: job.id, fileName: job.fileName });
        } else out.push(this.endings.finishInTx(job, 'interrupted', INTERRUPTED_BY_RESTART + this.endings.whereItStopped(job.id), this.clock.now(), names, true));
      }
      return out;
    })();
    this.roster.remember(this.fleet.list());
    for (const job of this.jobs.byId.values()) if (job.state === 'queued') this.jobs.queue.insert(orderEntry(job));
    for (const p of carriedOn) this.jobs.activeByPrinter.set(p.printerId, p.jobId);
    for (const r of recovered) this.endings.announceFinish(r);
    this.unsubscribe.push(...this.reports.follow());
    this.scheduleDispatch();
    this.carriedOn.watch(carriedOn);
    // Last: a printer the crash left hot is made safe as soon as it is back (after this module is listening).
    this.restartCoolDown.watch(recovered.flatMap(({ job }) => (job.printerId ? [{ printerId: job.printerId, jobId: job.id, fileName: job.fileName }] : [])));
  }

  /** A network printer's print from before the restart: followed to its end, or interrupted with what was seen. */
  private carriedOnSettled(print: CarriedOnPrint, outcome: CarriedOnOutcome): void {
    const job = this.jobs.byId.get(print.jobId);
    if (this.closed || !job) return;
    if (outcome.kind === 'followed') {
      this.jobs.commit(job, { reason: 'AutoPrintFarm restarted while this printed; the printer carried on, and the print was followed to its end.' });
      return;
    }
    this.endings.finish(job, 'interrupted', outcome.reason, this.clock.now());
    // Back and idle (or back later): a printer left hot is made safe like a USB one.
    this.restartCoolDown.watch([print]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.restartCoolDown.close();
    this.carriedOn.close();
    for (const off of this.unsubscribe.splice(0)) off();
    await this.dispatcher.drain();
  }

  /** Resolves when no dispatch is pending and every start in flight has settled (tests and benchmarks). */
  settled(): Promise<void> {
    return this.dispatcher.settled();
  }

  // ------------------------------------------------------------------ queue

  enqueue(req: EnqueueRequest, retryOf: string | null = null): JobView[] {
    if (req.cloud) {
      if (req.copies !== 1) throw new AppError('invalid_input', 'A job from the cloud is one copy.');
      const accepted = this.jobs.store.byCloudJob(req.cloud.jobId);
      if (accepted) return [toJobView(this.jobs.byId.get(accepted.id) ?? accepted)];
    }
    const fingerprint = JSON.stringify([req.fileSha256, req.copies, req.priority, req.target]);
    const earlier = req.requestId === undefined ? null : this.enqueueRequests.batchOf(req.requestId, fingerprint);
    if (earlier !== null) return this.jobs.store.inBatch(earlier).map((j) => toJobView(this.jobs.byId.get(j.id) ?? j));
    const file = this.library.fileForJob(req.fileSha256);
    if (!file) throw new AppError('not_found', 'That file is not in the library. Add it again and retry.');
    if (!file.ready) throw new AppError('conflict', `${file.name} is still being analysed. Queue it when the analysis has finished.`);
    if (req.target.kind === 'printer') {
      const printerId = req.target.printerId;
      const printer = this.fleet.list().find((p) => p.id === printerId);
      if (!printer) throw new AppError('not_found', 'The chosen printer no longer exists. Pick another printer or "any compatible printer".');
      const refused = formatRefusal(printer.kind, fileFormatOf(file.name), printer.name);
      if (refused) throw new AppError('invalid_input', refused);
    }
    const batchId = randomUUID();
    const now = this.clock.now();
    const created: JobRecord[] = [];
    this.db.transaction(() => {
      for (let copy = 1; copy <= req.copies; copy++) {
        const seq = this.jobs.nextSeq();
        const job: JobRecord = {
          id: randomUUID(),
          seq,
          position: seq,
          startCount: 0,
          batchId,
          copyNumber: copy,
          copies: req.copies,
          fileSha256: req.fileSha256,
          fileName: file.name,
          priority: req.priority,
          target: req.target,
          state: 'queued',
          printerId: null,
          reason: null,
          retryOf,
          createdAt: now,
          startedAt: null,
          endedAt: null,
          version: 0,
          cloud: req.cloud ?? null,
          need: req.need ?? needFromFile(file, req.target),
          waiting: null,
        };
        this.jobs.store.insert(job);
        created.push(job);
      }
      if (req.requestId !== undefined) this.enqueueRequests.record(req.requestId, batchId, fingerprint, now);
    })();
    for (const job of created) this.jobs.admit(job);
    const views = this.jobs.announce(created);
    this.scheduleDispatch();
    return views;
  }

  /** Cancels a queued job at once; asks the printer to stop a running one (its end is then recorded as cancelled). */
  async cancel(jobId: string): Promise<JobView> {
    const job = this.jobs.require(jobId);
    if (isFinished(job)) throw new AppError('conflict', `This job has already ${job.state === 'cancelled' ? 'been cancelled' : 'finished'}.`);
    if (job.state === 'queued') {
      this.jobs.commit(job, { state: 'cancelled', endedAt: this.clock.now(), reason: 'Cancelled before it started.' });
      return toJobView(job);
    }
    const printerId = job.printerId!;
    this.endings.noteCancelRequested(jobId);
    try {
      await this.fleet.cancelPrint(printerId);
    } catch (err) {
      // The printer cannot be reached to stop it: record the end so the job does not hang as running forever.
      const still = this.jobs.byId.get(jobId);
      if (still && isActive(still)) {
        const why = err instanceof Error ? err.message : String(err);
        this.endings.finish(still, 'cancelled', `Cancelled while the printer could not be reached (${why}). Check the printer.`, this.clock.now());
      }
    }
    return toJobView(this.jobs.find(jobId) ?? job);
  }

  /** Queues a finished job again as a new job (the old one stays in the history as it ended). */
  retry(jobId: string): JobView {
    const job = this.jobs.require(jobId);
    if (!isFinished(job)) throw new AppError('conflict', 'Only a job that has ended can be retried.');
    const [copy] = this.enqueue({ fileSha256: job.fileSha256, copies: 1, priority: job.priority, target: job.target, need: job.need }, job.id);
    return copy!;
  }

  /** Drag and drop: puts `jobId` just before `beforeJobId` (or last in its priority when null). */
  reorder(jobId: string, beforeJobId: string | null): JobView {
    const job = this.jobs.requireQueued(jobId);
    const entries = this.jobs.queue.values().filter((e) => e.id !== jobId);
    let position: number;
    let priority = job.priority;
    if (beforeJobId === null) {
      position = this.jobs.nextSeq();
    } else {
      const at = entries.findIndex((e) => e.id === beforeJobId);
      if (at < 0) throw new AppError('not_found', 'The job to place it before is no longer queued.');
      const before = entries[at]!;
      const prev = entries[at - 1];
      // Dropped among jobs of another priority, it takes theirs: the queue shows what will run first.
      priority = this.jobs.byId.get(before.id)!.priority;
      position = prev && prev.priority === before.priority ? (prev.position + before.position) / 2 : before.position - 1;
    }
    this.commitQueued(job, { position, priority });
    return toJobView(job);
  }

  /** The keyboard alternative to dragging: one place up or down within the queue. */
  move(jobId: string, direction: 'up' | 'down'): JobView {
    this.jobs.requireQueued(jobId);
    const order = this.jobs.queue.values();
    const at = order.findIndex((e) => e.id === jobId);
    if (direction === 'up') {
      const target = order[at - 1];
      return target ? this.reorder(jobId, target.id) : toJobView(this.jobs.byId.get(jobId)!);
    }
    const next = order[at + 1];
    if (!next) return toJobView(this.jobs.byId.get(jobId)!);
    const after = order[at + 2];
    if (after && after.priority === next.priority) return this.reorder(jobId, after.id);
    // `next` is the last of its tier: place the job at the end of that tier.
    const job = this.jobs.byId.get(jobId)!;
    this.commitQueued(job, { priority: this.jobs.byId.get(next.id)!.priority, position: next.position + 1 });
    return toJobView(job);
  }

  /** A queued job's material and colour, as the user says they must be (the file's filament figures stay). */
  setNeed(jobId: string, edit: { material: string | null; colourHex: HexColour | null; colourName: string | null }): JobView {
    const job = this.jobs.require(jobId);
    if (job.state !== 'queued') throw new AppError('conflict', "Only a queued job's material can be changed: this one has already started.");
    const need = editedNeed(job.need, edit);
    this.jobs.store.setNeed(jobId, need);
    this.jobs.queue.remove(jobId);
    job.need = need;
    this.jobs.queue.insert(orderEntry(job));
    this.jobs.announce([job]);
    this.scheduleDispatch();
    return toJobView(job);
  }

  setPriority(jobId: string, priority: Priority): JobView {
    const job = this.jobs.requireQueued(jobId);
    this.commitQueued(job, { priority, position: this.jobs.nextSeq() });
    return toJobView(job);
  }

  /** Unfinished jobs in the order they will run (running first), then the most recent finished ones. */
  list(finishedLimit = 100): JobView[] {
    const active = [...this.jobs.byId.values()].filter(isActive).sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
    const queued = this.jobs.queue.values().map((e) => this.jobs.byId.get(e.id)!);
    return [...active, ...queued, ...this.jobs.store.recentFinished(finishedLimit)].map(toJobView);
  }

  get(jobId: string): JobView {
    return toJobView(this.jobs.require(jobId));
  }

  /** How many unfinished jobs still need a file (the library refuses to delete it). */
  jobsUsingFile(sha256: string): number {
    let n = 0;
    for (const j of this.jobs.byId.values()) if (j.fileSha256 === sha256) n++;
    return n;
  }

  // ------------------------------------------------------------------ printers

  profilesList(): FarmProfile[] {
    return this.fleet.list().map((p) => this.profileOf(p.id));
  }

  profileOf(printerId: string): FarmProfile {
    return this.profiles.of(printerId);
  }

  updateProfile(printerId: string, patch: ProfilePatch): FarmProfile {
    this.requirePrinter(printerId);
    const next = patchedProfile(this.profileOf(printerId), patch);
    this.profiles.save(next);
    this.scheduleDispatch();
    return next;
  }

  /** The operator says the bed is empty: the printer may take the next job. */
  confirmBedClear(printerId: string): FarmProfile {
    this.requirePrinter(printerId);
    if (this.jobs.activeByPrinter.has(printerId)) throw new AppError('conflict', 'This printer is running a job; its bed is not free.');
    const next: FarmProfile = { ...this.profileOf(printerId), bed: 'clear', bedJobId: null };
    this.profiles.save(next);
    // Clearing the bed is dealing with the printer: a notice that it was made safe after a crash has been seen.
    if (this.fleet.list().find((p) => p.id === printerId)?.notice) this.fleet.setNotice(printerId, null);
    this.scheduleDispatch();
    return next;
  }

  settings(): FarmSettings {
    return this.profiles.settings();
  }

  updateSettings(patch: Partial<FarmSettings>): FarmSettings {
    const next = this.profiles.updateSettings(patch);
    this.scheduleDispatch();
    return next;
  }

  // ------------------------------------------------------------------ dispatch

  /** The printers that could start a job right now (for the decision and for the explain view). */
  readyPrinters(printers: readonly PrinterView[] = this.fleet.list()): ReadyPrinter[] {
    return this.dispatcher.readyPrinters(printers);
  }

  startingCount(): number {
    return this.jobs.startingCount();
  }

  scheduleDispatch(): void {
    this.dispatcher.schedule();
  }

  private commitQueued(job: JobRecord, patch: { position: number; priority: Priority }): void {
    this.jobs.reposition(job, patch);
    this.scheduleDispatch();
  }

  private requirePrinter(printerId: string): void {
    if (!this.fleet.list().some((p) => p.id === printerId)) throw new AppError('not_found', 'That printer no longer exists.');
  }
}

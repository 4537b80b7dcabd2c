import { randomUUID } from 'node:crypto';
import type { CoolDownReport, PrinterNotice, PrinterView } from '../contract';
import {
  type CloudJobRef,
  type FarmProfile,
  type FarmSettings,
  type FinishedJobState,
  type HistoryEntry,
  type JobTarget,
  type JobView,
  type Priority,
} from '../contract/jobs-types';
import { AppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { PrintSource } from '../printers/driver';
import type { JobEnd, PrinterKind, PrinterState, PrinterStatus } from '../printers/model';
import type { Db } from '../store/database';
import { decideDispatch, type ReadyPrinter } from './dispatch-decision';
import { HistoryStore } from './history-store';
import { EnqueueRequests } from './enqueue-requests';
import { JobStore, priorityRank, toJobView, type JobRecord } from './job-store';
import { ManualPrints, type ManualPrintEnd } from './manual-prints';
import { defaultProfile, ProfileStore } from './profile-store';
import { QueueOrder, type OrderedEntry } from './queue-order';
import { RestartCoolDown, type CoolDownOutcome, type PrintLeftBehind } from './restart-cool-down';
import { classifyFailure } from '../printers/failure-class';
import { fileFormatOf, formatRefusal, targetKey } from './requirements';

/** What the farm needs from the fleet: the printers, starting and cancelling prints, and hearing what happens. */
export interface FarmFleet {
  list(): PrinterView[];
  startPrint(printerId: string, source: PrintSource): Promise<void>;
  cancelPrint(printerId: string): Promise<void>;
  onPrinterStatus(listener: (printerId: string, status: PrinterStatus) => void): () => void;
  onJobEnd(listener: (printerId: string, end: JobEnd) => void): () => void;
  onPrintersChanged(listener: () => void): () => void;
  /** Heaters, fan and motors off (a printer left hot by a crash). */
  coolDown(printerId: string): Promise<CoolDownReport>;
  setNotice(printerId: string, notice: PrinterNotice | null): void;
}

/** What the farm needs from the library: whether a file can be printed, its figures, and its bytes. */
export interface FarmLibrary {
  fileForJob(sha256: string): { name: string; ready: boolean; filamentMm: number | null; filamentG: number | null; material: string | null; heats?: boolean | null } | null;
  /** The file as a printer of this kind reads it (a .bgcode goes to PrusaLink as it is, to others decoded). */
  source(sha256: string, name: string, printerKind?: PrinterKind): PrintSource;
  /** The library's file of that name (the newest, if several), for the figures of a print started by hand. */
  fileNamed?(name: string): { sha256: string; filamentMm: number | null; filamentG: number | null; material: string | null } | null;
}

/** Each is called after the change it reports has been committed. */
export interface FarmEvents {
  jobs(jobs: JobView[]): void;
  profile(profile: FarmProfile): void;
  settings(settings: FarmSettings): void;
  history(entry: HistoryEntry): void;
}

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
}

export interface ProfilePatch {
  model?: string | null;
  nozzleDiameter?: number | null;
  material?: string | null;
  group?: string | null;
  tags?: string[];
  autoEject?: boolean;
}

/** A printer whose start just failed sits out this long, so one bad printer cannot eat the queue. */
const FAILED_START_COOLDOWN_MS = 15_000;
/** The longest pause between starts on a printer that keeps failing for reasons that may pass. */
const MAX_START_RETRY_MS = 5 * 60_000;
const INTERRUPTED_BY_RESTART = 'AutoPrintFarm stopped while this print was running, so it did not finish. Check the part and clear the bed.';

const isActive = (j: JobRecord) => j.state === 'starting' || j.state === 'printing' || j.state === 'paused';
const isFinished = (j: JobRecord) => j.state === 'completed' || j.state === 'failed' || j.state === 'cancelled' || j.state === 'interrupted';

/**
 * The farm: the queue, the dispatcher and the history over one SQLite database. Every change is committed in a
 * transaction before its event is sent, so a crash never shows the UI something the database does not hold.
 * Dispatch decisions are a pure function over in-memory indexes (queue order, ready printers); only the
 * resulting starts touch the database and the printers.
 */
export class Farm {
  private readonly jobsDb: JobStore;
  private readonly enqueueRequests: EnqueueRequests;
  /** Running jobs the user asked to cancel, so their end says who stopped them. */
  private readonly cancelRequested = new Set<string>();
  private readonly profilesDb: ProfileStore;
  readonly history: HistoryStore;
  /** Unfinished jobs (queued and active) by id. */
  private readonly live = new Map<string, JobRecord>();
  private readonly queue = new QueueOrder();
  private readonly activeByPrinter = new Map<string, string>();
  private readonly profiles = new Map<string, FarmProfile>();
  private readonly cooldownUntil = new Map<string, number>();
  /** Failed starts in a row per printer, for the growing pause between retries. */
  private readonly failedStarts = new Map<string, number>();
  private readonly lastFraction = new Map<string, number>();
  private readonly manual = new ManualPrints();
  /** Printer names as last listed, so a removed printer is still named in what is recorded about it. */
  private knownNames = new Map<string, string>();
  private settingsValue: FarmSettings;
  private seq: number;
  /** Stamps every announced job change (JobView.version). */
  private version = 0;
  private dispatchPending = false;
  private inFlight = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  /** The printers in the fleet when it was last listed, to tell a removal from a printer that never came back. */
  private listedIds: ReadonlySet<string> = new Set();
  private closed = false;
  private readonly restartCoolDown: RestartCoolDown;

  constructor(
    private readonly db: Db,
    private readonly fleet: FarmFleet,
    private readonly library: FarmLibrary,
    private readonly clock: Clock,
    private readonly events: FarmEvents,
  ) {
    this.jobsDb = new JobStore(db);
    this.enqueueRequests = new EnqueueRequests(db);
    this.profilesDb = new ProfileStore(db);
    this.history = new HistoryStore(db);
    this.settingsValue = this.profilesDb.settings();
    this.seq = this.jobsDb.maxSeq();
    for (const p of this.profilesDb.all()) this.profiles.set(p.printerId, p);
    this.restartCoolDown = new RestartCoolDown(
      {
        statusOf: (id) => this.fleet.list().find((p) => p.id === id)?.status ?? null,
        onPrinterStatus: (l) => this.fleet.onPrinterStatus(l),
        coolDown: (id) => this.fleet.coolDown(id),
        setNotice: (id, notice) => this.fleet.setNotice(id, notice),
      },
      (left, outcome) => this.recordCoolDown(left, outcome),
      this.clock,
    );
  }

  /** Marks prints that were running when the app last stopped as interrupted, then starts dispatching. */
  start(): void {
    const names = this.printerNames();
    const recovered = this.db.transaction(() => {
      const out: { job: JobRecord; entry: HistoryEntry | null; profile: FarmProfile | null }[] = [];
      for (const job of this.jobsDb.unfinished()) {
        if (isActive(job)) out.push(this.finishInTx(job, 'interrupted', INTERRUPTED_BY_RESTART, this.clock.now(), names, true));
        else this.live.set(job.id, job);
      }
      return out;
    })();
    this.knownNames = names;
    this.listedIds = new Set(this.fleet.list().map((p) => p.id));
    for (const job of this.live.values()) this.queue.insert(this.orderEntry(job));
    for (const r of recovered) this.announceFinish(r);
    // Prints already running that the queue did not start (the app was started mid-print): followed from now on.
    for (const p of this.fleet.list()) if (!this.activeByPrinter.has(p.id)) this.observeManual(p.id, p.status.state);
    this.unsubscribe.push(
      this.fleet.onPrinterStatus((id, status) => this.onStatus(id, status)),
      this.fleet.onJobEnd((id, end) => this.onJobEnd(id, end)),
      this.fleet.onPrintersChanged(() => this.onPrintersChanged()),
    );
    this.scheduleDispatch();
    // Last: a printer the crash left hot is made safe as soon as it is back (after this module is listening).
    this.restartCoolDown.watch(recovered.flatMap(({ job }) => (job.printerId ? [{ printerId: job.printerId, jobId: job.id, fileName: job.fileName }] : [])));
  }

  /** What became of a printer left hot by the crash goes with its interrupted job, in the queue and in history. */
  private recordCoolDown(left: PrintLeftBehind, outcome: CoolDownOutcome): void {
    if (this.closed) return;
    const job = this.jobsDb.get(left.jobId);
    if (!job) return;
    const reason = job.reason ? `${job.reason} ${outcome.message}` : outcome.message;
    const entry = this.db.transaction(() => {
      this.jobsDb.update({ ...job, reason });
      return this.history.appendReason(job.id, outcome.message);
    })();
    job.reason = reason;
    this.announceJobs([job]);
    if (entry) this.events.history(entry);
    this.scheduleDispatch();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.restartCoolDown.close();
    for (const off of this.unsubscribe.splice(0)) off();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves when no dispatch is pending and every start in flight has settled (tests and benchmarks). */
  settled(): Promise<void> {
    if (!this.dispatchPending && this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // ------------------------------------------------------------------ queue

  enqueue(req: EnqueueRequest, retryOf: string | null = null): JobView[] {
    if (req.cloud) {
      if (req.copies !== 1) throw new AppError('invalid_input', 'A job from the cloud is one copy.');
      const accepted = this.jobsDb.byCloudJob(req.cloud.jobId);
      if (accepted) return [toJobView(this.live.get(accepted.id) ?? accepted)];
    }
    const fingerprint = JSON.stringify([req.fileSha256, req.copies, req.priority, req.target]);
    const earlier = req.requestId === undefined ? null : this.enqueueRequests.batchOf(req.requestId, fingerprint);
    if (earlier !== null) return this.jobsDb.inBatch(earlier).map((j) => toJobView(this.live.get(j.id) ?? j));
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
        const seq = ++this.seq;
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
        };
        this.jobsDb.insert(job);
        created.push(job);
      }
      if (req.requestId !== undefined) this.enqueueRequests.record(req.requestId, batchId, fingerprint, now);
    })();
    for (const job of created) {
      this.live.set(job.id, job);
      this.queue.insert(this.orderEntry(job));
    }
    const views = this.announceJobs(created);
    this.scheduleDispatch();
    return views;
  }

  /** Cancels a queued job at once; asks the printer to stop a running one (its end is then recorded as cancelled). */
  async cancel(jobId: string): Promise<JobView> {
    const job = this.requireJob(jobId);
    if (isFinished(job)) throw new AppError('conflict', `This job has already ${job.state === 'cancelled' ? 'been cancelled' : 'finished'}.`);
    if (job.state === 'queued') {
      this.commit(job, { state: 'cancelled', endedAt: this.clock.now(), reason: 'Cancelled before it started.' });
      return toJobView(job);
    }
    const printerId = job.printerId!;
    this.cancelRequested.add(jobId);
    try {
      await this.fleet.cancelPrint(printerId);
    } catch (err) {
      // The printer cannot be reached to stop it: record the end so the job does not hang as running forever.
      const still = this.live.get(jobId);
      if (still && isActive(still)) {
        const why = err instanceof Error ? err.message : String(err);
        this.finish(still, 'cancelled', `Cancelled while the printer could not be reached (${why}). Check the printer.`, this.clock.now());
      }
    }
    return toJobView(this.live.get(jobId) ?? this.jobsDb.get(jobId) ?? job);
  }

  /** Queues a finished job again as a new job (the old one stays in the history as it ended). */
  retry(jobId: string): JobView {
    const job = this.live.get(jobId) ?? this.jobsDb.get(jobId);
    if (!job) throw new AppError('not_found', 'That job no longer exists.');
    if (!isFinished(job)) throw new AppError('conflict', 'Only a job that has ended can be retried.');
    const [copy] = this.enqueue({ fileSha256: job.fileSha256, copies: 1, priority: job.priority, target: job.target }, job.id);
    return copy!;
  }

  /** Drag and drop: puts `jobId` just before `beforeJobId` (or last in its priority when null). */
  reorder(jobId: string, beforeJobId: string | null): JobView {
    const job = this.requireQueued(jobId);
    const entries = this.queue.values().filter((e) => e.id !== jobId);
    let position: number;
    let priority = job.priority;
    if (beforeJobId === null) {
      position = ++this.seq;
    } else {
      const at = entries.findIndex((e) => e.id === beforeJobId);
      if (at < 0) throw new AppError('not_found', 'The job to place it before is no longer queued.');
      const before = entries[at]!;
      const prev = entries[at - 1];
      // Dropped among jobs of another priority, it takes theirs: the queue shows what will run first.
      priority = this.live.get(before.id)!.priority;
      position = prev && prev.priority === before.priority ? (prev.position + before.position) / 2 : before.position - 1;
    }
    this.commitQueued(job, { position, priority });
    return toJobView(job);
  }

  /** The keyboard alternative to dragging: one place up or down within the queue. */
  move(jobId: string, direction: 'up' | 'down'): JobView {
    this.requireQueued(jobId);
    const order = this.queue.values();
    const at = order.findIndex((e) => e.id === jobId);
    if (direction === 'up') {
      const target = order[at - 1];
      return target ? this.reorder(jobId, target.id) : toJobView(this.live.get(jobId)!);
    }
    const next = order[at + 1];
    if (!next) return toJobView(this.live.get(jobId)!);
    const after = order[at + 2];
    if (after && after.priority === next.priority) return this.reorder(jobId, after.id);
    // `next` is the last of its tier: place the job at the end of that tier.
    const job = this.live.get(jobId)!;
    this.commitQueued(job, { priority: this.live.get(next.id)!.priority, position: next.position + 1 });
    return toJobView(job);
  }

  setPriority(jobId: string, priority: Priority): JobView {
    const job = this.requireQueued(jobId);
    this.commitQueued(job, { priority, position: ++this.seq });
    return toJobView(job);
  }

  /** Unfinished jobs in the order they will run (running first), then the most recent finished ones. */
  list(finishedLimit = 100): JobView[] {
    const active = [...this.live.values()].filter(isActive).sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
    const queued = this.queue.values().map((e) => this.live.get(e.id)!);
    return [...active, ...queued, ...this.jobsDb.recentFinished(finishedLimit)].map(toJobView);
  }

  get(jobId: string): JobView {
    const job = this.live.get(jobId) ?? this.jobsDb.get(jobId);
    if (!job) throw new AppError('not_found', 'That job no longer exists.');
    return toJobView(job);
  }

  /** How many unfinished jobs still need a file (the library refuses to delete it). */
  jobsUsingFile(sha256: string): number {
    let n = 0;
    for (const j of this.live.values()) if (j.fileSha256 === sha256) n++;
    return n;
  }

  // ------------------------------------------------------------------ printers

  profilesList(): FarmProfile[] {
    return this.fleet.list().map((p) => this.profileOf(p.id));
  }

  profileOf(printerId: string): FarmProfile {
    return this.profiles.get(printerId) ?? defaultProfile(printerId);
  }

  updateProfile(printerId: string, patch: ProfilePatch): FarmProfile {
    this.requirePrinter(printerId);
    const next: FarmProfile = { ...this.profileOf(printerId) };
    if (patch.model !== undefined) next.model = patch.model?.trim() || null;
    if (patch.nozzleDiameter !== undefined) next.nozzleDiameter = patch.nozzleDiameter;
    if (patch.material !== undefined) next.material = patch.material?.trim() || null;
    if (patch.group !== undefined) next.group = patch.group?.trim() || null;
    if (patch.tags !== undefined) next.tags = [...new Set(patch.tags.map((t) => t.trim()).filter(Boolean))];
    if (patch.autoEject !== undefined) next.autoEject = patch.autoEject;
    this.profilesDb.save(next);
    this.profiles.set(printerId, next);
    this.events.profile(next);
    this.scheduleDispatch();
    return next;
  }

  /** The operator says the bed is empty: the printer may take the next job. */
  confirmBedClear(printerId: string): FarmProfile {
    this.requirePrinter(printerId);
    if (this.activeByPrinter.has(printerId)) throw new AppError('conflict', 'This printer is running a job; its bed is not free.');
    const next: FarmProfile = { ...this.profileOf(printerId), bed: 'clear', bedJobId: null };
    this.profilesDb.save(next);
    this.profiles.set(printerId, next);
    this.events.profile(next);
    // Clearing the bed is dealing with the printer: a notice that it was made safe after a crash has been seen.
    if (this.fleet.list().find((p) => p.id === printerId)?.notice) this.fleet.setNotice(printerId, null);
    this.scheduleDispatch();
    return next;
  }

  settings(): FarmSettings {
    return { ...this.settingsValue };
  }

  updateSettings(patch: Partial<FarmSettings>): FarmSettings {
    const next = { ...this.settingsValue, ...patch };
    this.profilesDb.saveSettings(next);
    this.settingsValue = next;
    this.events.settings({ ...next });
    this.scheduleDispatch();
    return { ...next };
  }

  // ------------------------------------------------------------------ dispatch

  /** The printers that could start a job right now (for the decision and for the explain view). */
  readyPrinters(printers: readonly PrinterView[] = this.fleet.list()): ReadyPrinter[] {
    const now = this.clock.now();
    const out: ReadyPrinter[] = [];
    for (const p of printers) {
      if (p.status.state.kind !== 'idle' || !p.capabilities.print) continue;
      if (this.activeByPrinter.has(p.id) || this.manual.busy(p.id)) continue;
      // Left hot by a crash and not made safe yet: a new print must not race the cool-down.
      if (this.restartCoolDown.isWaiting(p.id)) continue;
      const profile = this.profiles.get(p.id);
      if (profile && profile.bed !== 'clear') continue;
      const until = this.cooldownUntil.get(p.id);
      if (until !== undefined && until > now) continue;
      out.push({ id: p.id, profile, kind: p.kind });
    }
    return out;
  }

  startingCount(): number {
    let n = 0;
    for (const id of this.activeByPrinter.values()) if (this.live.get(id)?.state === 'starting') n++;
    return n;
  }

  scheduleDispatch(): void {
    if (this.dispatchPending || this.closed) return;
    this.dispatchPending = true;
    setImmediate(() => {
      this.dispatchPending = false;
      if (!this.closed) this.dispatchOnce();
      this.maybeIdle();
    });
  }

  private dispatchOnce(): void {
    if (this.queue.size === 0) return;
    const slots = this.settingsValue.maxConcurrentStarts - this.startingCount();
    const assignments = decideDispatch(this.queue.values(), this.readyPrinters(), slots);
    for (const a of assignments) {
      const job = this.live.get(a.jobId);
      if (job) this.track(this.startJob(job, a.printerId));
    }
  }

  private async startJob(job: JobRecord, printerId: string): Promise<void> {
    let source: PrintSource;
    try {
      source = this.library.source(job.fileSha256, job.fileName, this.fleet.list().find((p) => p.id === printerId)?.kind);
    } catch (err) {
      this.failStartBeforeBegin(job, err);
      return;
    }
    // Committed before the printer is asked: after a crash the job shows as interrupted, never as queued, so it cannot run twice.
    this.queue.remove(job.id);
    this.activeByPrinter.set(printerId, job.id);
    this.lastFraction.delete(job.id);
    this.commit(job, { state: 'starting', printerId, startedAt: this.clock.now(), reason: null, startCount: job.startCount + 1 });
    try {
      await this.fleet.startPrint(printerId, source);
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
    const name = this.printerNames().get(printerId) ?? printerId;
    const failure = classifyFailure(err);
    const reason = failure.reason;
    let delay = 0;
    if (failure.kind === 'transient') {
      const tries = (this.failedStarts.get(printerId) ?? 0) + 1;
      this.failedStarts.set(printerId, tries);
      delay = Math.min(FAILED_START_COOLDOWN_MS * 2 ** (tries - 1), MAX_START_RETRY_MS);
      this.cooldownUntil.set(printerId, this.clock.now() + delay);
      this.clock.setTimeout(() => this.scheduleDispatch(), delay);
    }
    if (this.live.get(job.id)?.state !== 'starting' || this.activeByPrinter.get(printerId) !== job.id) return;
    this.activeByPrinter.delete(printerId);
    if (failure.kind === 'permanent') {
      // Nothing was printed: no history entry and no bed to clear, only the job's own reason.
      job.startedAt = null;
      this.finish(job, 'failed', `${name} refused it: ${reason} Asking again would get the same answer; fix the cause, then retry the job.`, this.clock.now());
      return;
    }
    const why =
      failure.kind === 'needs-key' ? `Waiting for ${name}'s key: ${reason}` : `Could not start on ${name}: ${reason} Trying that printer again in ${Math.round(delay / 1000)} s.`;
    this.commit(job, { state: 'queued', printerId: null, startedAt: null, reason: why });
    this.queue.insert(this.orderEntry(job));
    this.scheduleDispatch();
  }

  private failStartBeforeBegin(job: JobRecord, err: unknown): void {
    const why = err instanceof Error ? err.message : String(err);
    this.queue.remove(job.id);
    this.commit(job, { state: 'failed', endedAt: this.clock.now(), reason: `The file cannot be read: ${why}` });
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      this.maybeIdle();
    });
  }

  private maybeIdle(): void {
    if (this.dispatchPending || this.inFlight.size) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  // ------------------------------------------------------------------ what printers report

  private onStatus(printerId: string, status: PrinterStatus): void {
    const jobId = this.activeByPrinter.get(printerId);
    const state = status.state;
    if (!jobId) {
      this.observeManual(printerId, state);
      if (state.kind === 'idle') this.scheduleDispatch();
      return;
    }
    const job = this.live.get(jobId);
    if (!job) return;
    if (state.kind === 'printing' || state.kind === 'paused') this.lastFraction.set(jobId, state.job.fraction);
    if (job.state === 'starting' && state.kind === 'printing' && (this.library.fileForJob(job.fileSha256)?.heats === false || hasWarmedUp(status, state.job.fraction))) {
      this.commit(job, { state: 'printing' });
      // A start slot is free again for the next printer in the stagger.
      this.scheduleDispatch();
    } else if (job.state !== 'paused' && state.kind === 'paused') this.commit(job, { state: 'paused' });
    else if (job.state === 'paused' && state.kind === 'printing') this.commit(job, { state: 'printing' });
  }

  private onJobEnd(printerId: string, end: JobEnd): void {
    const jobId = this.activeByPrinter.get(printerId);
    const job = jobId ? this.live.get(jobId) : undefined;
    if (!job) {
      // A print started by hand: recorded in the history, with no queue job.
      const ended = this.manual.reported(printerId, end);
      if (ended) this.recordManual(ended);
      return;
    }
    const o = end.outcome;
    const reason = o.kind === 'failed' ? o.reason : o.kind === 'interrupted' ? withStopLine(o.reason, o.atLine) : o.kind === 'cancelled' ? this.cancelledReason(job) : null;
    this.finish(job, o.kind, reason, end.at);
  }

  /** A print that ends cancelled says who stopped it and how far it had got. */
  private cancelledReason(job: JobRecord): string {
    const byUs = this.cancelRequested.delete(job.id);
    const fraction = this.lastFraction.get(job.id);
    const at = fraction === undefined ? '' : ` at ${Math.round(fraction * 100)} %`;
    return byUs ? `Cancelled in AutoPrintFarm while printing${at}.` : `Cancelled on the printer while printing${at}.`;
  }

  private onPrintersChanged(): void {
    const printers = this.fleet.list();
    const present = new Set(printers.map((p) => p.id));
    for (const [printerId, jobId] of [...this.activeByPrinter]) {
      if (present.has(printerId)) continue;
      const job = this.live.get(jobId);
      if (job) this.finish(job, 'interrupted', 'The printer was removed while this job was on it.', this.clock.now());
    }
    for (const printerId of this.knownNames.keys()) {
      if (present.has(printerId)) continue;
      const ended = this.manual.removed(printerId, this.clock.now());
      if (ended) this.recordManual(ended);
    }
    this.failJobsForRemovedPrinters(new Set([...this.listedIds].filter((id) => !present.has(id))));
    this.listedIds = present;
    this.knownNames = new Map(printers.map((p) => [p.id, p.name]));
    this.scheduleDispatch();
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
    const orphans: { job: JobRecord; patch: Partial<JobRecord> }[] = [];
    const at = this.clock.now();
    for (const job of this.live.values()) {
      if (job.state !== 'queued' || job.target.kind !== 'printer' || !removed.has(job.target.printerId)) continue;
      const name = this.knownNames.get(job.target.printerId);
      const reason = `${name ? `The printer ${name}` : 'The printer this job was for'} was removed from the farm, and this job was for that printer only. Queue the file again for another printer.`;
      orphans.push({ job, patch: { state: 'failed', endedAt: at, reason } });
    }
    if (!orphans.length) return;
    this.db.transaction(() => {
      for (const { job, patch } of orphans) this.jobsDb.update({ ...job, ...patch });
    })();
    for (const { job, patch } of orphans) {
      Object.assign(job, patch);
      this.live.delete(job.id);
      this.queue.remove(job.id);
    }
    this.announceJobs(orphans.map(({ job }) => job));
  }

  // ------------------------------------------------------------------ prints started by hand

  private observeManual(printerId: string, state: PrinterState): void {
    if (!this.manual.observe(printerId, state, this.clock.now())) return;
    // The end was read from the state; a driver that reports ends itself does so in the same turn, and its word wins.
    this.track(
      new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        const ended = this.manual.takeEnded(printerId);
        if (ended && !this.closed) this.recordManual(ended);
      }),
    );
  }

  /**
   * A print started by hand goes into the history like a queue job's, marked `manual`, and leaves the bed to
   * clear like any other print: the part is still on it, and the queue must not start a job on top of it.
   */
  private recordManual(m: ManualPrintEnd): void {
    const names = this.printerNames();
    const file = this.library.fileNamed?.(m.fileName) ?? null;
    const p = this.profileOf(m.printerId);
    const present = this.fleet.list().some((x) => x.id === m.printerId);
    const scale = (v: number | null | undefined) => (v == null || m.fraction === null ? null : Math.round(v * m.fraction * 100) / 100);
    const { entry, profile } = this.db.transaction(() => {
      const entry = this.history.insert({
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
        filamentG: scale(file?.filamentG),
        material: p.material ?? file?.material ?? null,
      });
      let profile: FarmProfile | null = null;
      if (present && !(p.autoEject && m.outcome === 'completed')) {
        profile = { ...p, bed: 'needs_clear', bedJobId: null };
        this.profilesDb.save(profile);
      }
      return { entry, profile };
    })();
    if (profile) this.profiles.set(profile.printerId, profile);
    this.events.history(entry);
    if (profile) this.events.profile(profile);
    this.scheduleDispatch();
  }

  // ------------------------------------------------------------------ commits

  private finish(job: JobRecord, outcome: FinishedJobState, reason: string | null, at: number): void {
    const names = this.printerNames();
    const result = this.db.transaction(() => this.finishInTx(job, outcome, reason, at, names, false))();
    this.announceFinish(result);
    this.scheduleDispatch();
  }

  /** The end of a job in one transaction: the job's state, its history row, and the bed to clear. */
  private finishInTx(
    job: JobRecord,
    outcome: FinishedJobState,
    reason: string | null,
    at: number,
    names: ReadonlyMap<string, string>,
    fromRecovery: boolean,
  ): { job: JobRecord; entry: HistoryEntry | null; profile: FarmProfile | null } {
    const printerId = job.printerId;
    const fraction = outcome === 'completed' ? 1 : (this.lastFraction.get(job.id) ?? null);
    Object.assign(job, { state: outcome, endedAt: at, reason });
    this.jobsDb.update(job);
    let entry: HistoryEntry | null = null;
    let profile: FarmProfile | null = null;
    if (printerId && job.startedAt !== null) {
      const file = this.library.fileForJob(job.fileSha256);
      const p = this.profileOf(printerId);
      const scale = (v: number | null | undefined) => (v == null || fraction === null ? null : Math.round(v * fraction * 100) / 100);
      entry = this.history.insert({
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
        filamentG: scale(file?.filamentG),
        material: p.material ?? file?.material ?? null,
      });
      // Only a completed print on a self-clearing printer leaves the bed free; anything else leaves a part or a mess.
      if (!(p.autoEject && outcome === 'completed' && !fromRecovery)) {
        profile = { ...p, bed: 'needs_clear', bedJobId: job.id };
        this.profilesDb.save(profile);
      }
    }
    return { job, entry, profile };
  }

  private announceFinish(r: { job: JobRecord; entry: HistoryEntry | null; profile: FarmProfile | null }): void {
    const { job } = r;
    this.live.delete(job.id);
    this.queue.remove(job.id);
    this.lastFraction.delete(job.id);
    this.cancelRequested.delete(job.id);
    if (job.printerId && this.activeByPrinter.get(job.printerId) === job.id) {
      this.activeByPrinter.delete(job.printerId);
      this.manual.queueJobEnded(job.printerId, this.stateOf(job.printerId));
    }
    if (r.profile) this.profiles.set(r.profile.printerId, r.profile);
    this.announceJobs([job]);
    if (r.entry) this.events.history(r.entry);
    if (r.profile) this.events.profile(r.profile);
  }

  /** Tells the UI about jobs whose change has been committed, each stamped with a newer version. */
  private announceJobs(jobs: JobRecord[]): JobView[] {
    for (const job of jobs) job.version = ++this.version;
    const views = jobs.map(toJobView);
    this.events.jobs(views);
    return views;
  }

  /** Writes one job change, then tells the UI. */
  private commit(job: JobRecord, patch: Partial<JobRecord>): void {
    const next = { ...job, ...patch };
    this.jobsDb.update(next);
    Object.assign(job, patch);
    if (isFinished(job)) {
      this.live.delete(job.id);
      this.queue.remove(job.id);
    }
    this.announceJobs([job]);
  }

  private commitQueued(job: JobRecord, patch: { position: number; priority: Priority }): void {
    this.queue.remove(job.id);
    this.commit(job, patch);
    this.queue.insert(this.orderEntry(job));
    this.scheduleDispatch();
  }

  private orderEntry(job: JobRecord): OrderedEntry {
    return {
      id: job.id,
      target: job.target,
      key: targetKey(job.target),
      format: fileFormatOf(job.fileName),
      priority: priorityRank(job.priority),
      position: job.position,
      seq: job.seq,
    };
  }

  private requireJob(jobId: string): JobRecord {
    const job = this.live.get(jobId) ?? this.jobsDb.get(jobId);
    if (!job) throw new AppError('not_found', 'That job no longer exists.');
    return job;
  }

  private requireQueued(jobId: string): JobRecord {
    const job = this.requireJob(jobId);
    if (job.state !== 'queued') throw new AppError('conflict', 'Only a queued job can be moved or re-prioritised.');
    return this.live.get(jobId)!;
  }

  private requirePrinter(printerId: string): void {
    if (!this.fleet.list().some((p) => p.id === printerId)) throw new AppError('not_found', 'That printer no longer exists.');
  }

  /** Every printer's name, removed ones included as they were last listed. */
  private printerNames(): Map<string, string> {
    return new Map([...this.knownNames, ...this.fleet.list().map((p) => [p.id, p.name] as const)]);
  }

  private stateOf(printerId: string): PrinterState | null {
    return this.fleet.list().find((p) => p.id === printerId)?.status.state ?? null;
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

/** Where an interrupted print stopped, when the printer knows: the line a restart would pick up from. */
function withStopLine(reason: string, atLine: number | null): string {
  if (atLine === null) return reason;
  const sentence = /[.!?]$/.test(reason.trim()) ? reason.trim() : `${reason.trim()}.`;
  return `${sentence} Stopped at line ${atLine.toLocaleString('en-US')} of the file.`;
}

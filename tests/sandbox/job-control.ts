/**
 * The cloud's job rules in one place: every change of a job's status — from REST, a hub's job_event, a
 * command_ack or a pull-mode claim — goes through `move`, so the transition table, the printer's
 * reservation and the offers hubs see can never disagree. Each change runs in one SQLite transaction, and
 * the messages it decides are sent only after that transaction commits.
 */
import type { DownloadLinks } from './download-links';
import type { FileRepo } from './files';
import { ApiError, hubOffline, invalidState, notFound } from './http-io';
import type { CommandLog } from './hub-commands';
import { Outgoing, type HubConnections } from './hub-connections';
import type { CloudMessage, CloudMessageOf, CommandAckMessage, FileProgressMessage, JobClaimMessage, JobEventMessage, PrinterCommandAction } from './hub-protocol';
import type { HubRepo } from './hubs';
import { isOfferable, type JobChanges, type JobRecord, type JobRepo, type NewJob } from './jobs';
import { canMoveJob, isActive, type JobStatus } from './lifecycle';
import type { PrinterRecord, PrinterRepo } from './printers';
import type { Db } from './store';
import { throwInvalid } from './validation';

export interface JobControlDeps {
  db: Db;
  jobs: JobRepo;
  printers: PrinterRepo;
  hubs: HubRepo;
  files: FileRepo;
  commands: CommandLog;
  links: DownloadLinks;
  connections: HubConnections;
  now: () => number;
  /** The API's base URL (`http://127.0.0.1:<port>/v1`), known once the server listens. */
  baseUrl: () => string;
  /** How long a job_offer stays valid; unclaimed jobs are offered again after it. */
  offerTtlMs: number;
}

/** What may change with a status move (or without one, when the status stays). */
interface MoveExtras {
  printerId?: string | null;
  progress?: number;
  priority?: number;
  failureReason?: string | null;
  actualPrintTimeMinutes?: number | null;
  /** When it happened (a hub's job_event says when it saw it); default now. */
  at?: number;
}

export interface JobPatch {
  status?: JobStatus;
  progress?: number;
  printer_id?: string | null;
  failure_reason?: string;
  priority?: number;
}

/** Where a job's printer is reached: nowhere (no hub, or its hub was unlinked), or a hub on- or offline. */
type HubRoute = { kind: 'none' } | { kind: 'online' | 'offline'; hubId: string };

/** The printer-side action and the job status each job command leads to. */
const JOB_COMMANDS = {
  pause: { from: 'printing', to: 'paused', action: 'pause' },
  resume: { from: 'paused', to: 'printing', action: 'resume' },
} as const satisfies Record<string, { from: JobStatus; to: JobStatus; action: PrinterCommandAction }>;

export class JobControl {
  constructor(private readonly d: JobControlDeps) {}

  // ---------- REST ----------

  create(input: NewJob): JobRecord {
    return this.run((out) => {
      if (input.printerId !== null && !this.d.printers.get(input.printerId)) throwInvalid({ printer_id: 'no printer with this id' });
      const job = this.d.jobs.create(input);
      if (isOfferable(job)) out.toAll(this.offer(job));
      return job;
    });
  }

  patch(id: string, p: JobPatch): JobRecord {
    return this.run((out) => {
      const job = this.mustGet(id);
      const target = p.status ?? job.status;
      if (!canMoveJob(job.status, target)) throw invalidState(`Job ${job.id} is ${job.status} and cannot become ${target}.`);
      if (p.printer_id !== undefined && job.status !== 'queued') {
        throw invalidState(`Job ${job.id} is ${job.status}; a printer can be assigned only while the job is queued.`);
      }
      if (p.printer_id != null && !this.d.printers.get(p.printer_id)) throwInvalid({ printer_id: 'no printer with this id' });
      if (p.failure_reason !== undefined && target !== 'failed') {
        throwInvalid({ failure_reason: 'give a failure_reason only with status "failed"' });
      }
      if (p.progress !== undefined && target !== 'printing') {
        throw invalidState(`Job ${job.id} would be ${target}; progress can be reported only while it is printing.`);
      }
      return this.move(job, target, out, {
        printerId: p.printer_id,
        progress: p.progress,
        failureReason: p.failure_reason,
        priority: p.priority,
      });
    });
  }

  assign(id: string, printerId: string): JobRecord {
    return this.patch(id, { printer_id: printerId });
  }

  /** queued → processing, and a print_command to the printer's hub. */
  start(id: string): { job: JobRecord; commandId: string } {
    return this.run((out) => {
      const job = this.mustGet(id);
      if (job.status !== 'queued') throw invalidState(`Job ${job.id} is ${job.status}; only a queued job can be started.`);
      const printer = this.printerOf(job);
      const route = this.hubRoute(printer);
      if (route.kind === 'none') {
        throw invalidState(`Printer ${printer.id} of job ${job.id} is not on a connected hub; nothing can print it.`);
      }
      if (route.kind === 'offline') throw hubOffline(route.hubId);
      const moved = this.move(job, 'processing', out);
      return { job: moved, commandId: this.sendPrint(moved, printer, route.hubId, out) };
    });
  }

  pause(id: string): { job: JobRecord; commandId: string | null } {
    return this.command(id, JOB_COMMANDS.pause);
  }

  resume(id: string): { job: JobRecord; commandId: string | null } {
    return this.command(id, JOB_COMMANDS.resume);
  }

  /**
   * Cancelled at once in the cloud; a job on a printer is also stopped there (`printer_command stop`). A hub
   * that is registered but offline is 503: the cloud must not claim a stop that no printer heard.
   */
  cancel(id: string): { job: JobRecord; commandId: string | null } {
    return this.run((out) => {
      const job = this.mustGet(id);
      if (job.status === 'cancelled' || !canMoveJob(job.status, 'cancelled')) {
        throw invalidState(`Job ${job.id} is ${job.status}; only a queued, processing, uploaded, printing or paused job can be cancelled.`);
      }
      const route = isActive(job.status) && job.printerId !== null ? this.hubRoute(this.d.printers.get(job.printerId)) : { kind: 'none' as const };
      if (route.kind === 'offline') throw hubOffline(route.hubId);
      const moved = this.move(job, 'cancelled', out);
      const commandId = route.kind === 'online' ? this.sendPrinterCommand(route.hubId, job.printerId!, 'stop', out, job.id, null) : null;
      return { job: moved, commandId };
    });
  }

  /** failed → queued. A pull-mode job goes back to every hub, not to the printer it failed on. */
  retry(id: string): JobRecord {
    return this.run((out) => {
      const job = this.mustGet(id);
      if (job.status !== 'failed') throw invalidState(`Job ${job.id} is ${job.status}; only a failed job can be retried.`);
      return this.move(job, 'queued', out);
    });
  }

  /** A printer_command outside any job (clear_bed, lights, or pause/resume/stop by hand). */
  printerCommand(printerId: string, action: PrinterCommandAction): string {
    return this.run((out) => {
      const printer = this.d.printers.get(printerId);
      if (!printer) throw notFound(`No printer with id ${printerId}.`);
      const route = this.hubRoute(printer);
      if (route.kind === 'none') throw invalidState(`Printer ${printerId} is not on a hub; there is nobody to send "${action}" to.`);
      if (route.kind === 'offline') throw hubOffline(route.hubId);
      return this.sendPrinterCommand(route.hubId, printerId, action, out, printer.currentJob, null);
    });
  }

  // ---------- from hubs ----------

  /** What a hub is told right after hub_welcome: every job it may claim. */
  offersForNewHub(): CloudMessage[] {
    return this.d.jobs.offerable().map((job) => this.offer(job));
  }

  /**
   * print_commands this hub never acknowledged whose job still waits for them (processing, on the same printer
   * of this hub): the socket they went out on may have died with them (the hub killed, the network cut), and
   * nothing else would ever move the job. Sent again after each hub_welcome — the same command_id, the latest
   * command per job, with a fresh download link; a hub acks a command for a job it already has without printing
   * it twice (cloud-hub.md "Offline and crash rules").
   */
  unackedPrintsFor(hubId: string): CloudMessage[] {
    const rows = this.d.db
      .prepare<[string], { id: string; job_id: string }>(
        `SELECT c.id, c.job_id FROM hub_commands c JOIN jobs j ON j.id = c.job_id JOIN printers p ON p.id = c.printer_id
         WHERE c.hub_id = ? AND c.type = 'print_command' AND c.acked_at IS NULL AND j.status = 'processing'
           AND j.printer_id = c.printer_id AND p.hub_id = c.hub_id
         ORDER BY c.sent_at, c.rowid`,
      )
      .all(hubId);
    const latest = new Map<string, string>();
    for (const r of rows) latest.set(r.job_id, r.id);
    return [...latest.values()].flatMap((id) => {
      const cmd = this.d.commands.get(id)!;
      const job = this.d.jobs.get(cmd.jobId!)!;
      const file = job.fileId === null ? null : this.d.files.get(job.fileId);
      const fresh = file ? { file_url: `${this.d.baseUrl()}/files/download/${this.d.links.sign(file.id).token}` } : {};
      return [{ type: 'print_command', command_id: cmd.id, ...cmd.payload, ...fresh } as CloudMessage];
    });
  }

  /** Offers every still-unclaimed job again to every connected hub (their earlier offers have expired). */
  reofferAll(): void {
    const out = new Outgoing();
    for (const message of this.offersForNewHub()) out.toAll(message);
    out.flush(this.d.connections);
  }

  /**
   * Pull mode: the first claim of an offerable job for a fit printer of the claiming hub wins (job_claimed,
   * then print_command); every other connected hub hears job_taken, and so does a later claimant.
   */
  claim(hubId: string, m: JobClaimMessage): void {
    this.run((out) => {
      const job = this.d.jobs.get(m.job_id);
      if (!job || !isOfferable(job)) return out.to(hubId, { type: 'job_taken', job_id: m.job_id });
      const printer = this.d.printers.get(m.printer_id);
      if (!printer || printer.hubId !== hubId) {
        return out.to(hubId, refusal('claim_refused', `Printer ${m.printer_id} is not a printer of this hub.`));
      }
      const unfit = whyUnfit(job, printer);
      if (unfit !== null) return out.to(hubId, refusal('claim_refused', unfit));
      // The condition lives in the UPDATE: whatever else runs, one claim changes the row and the rest do not.
      if (!this.d.jobs.claim(job.id, printer.id)) return out.to(hubId, { type: 'job_taken', job_id: job.id });
      this.d.printers.update(printer.id, { currentJob: job.id, progress: 0 });
      const claimed = this.d.jobs.get(job.id)!;
      out.to(hubId, { type: 'job_claimed', job_id: job.id, printer_id: printer.id });
      this.sendPrint(claimed, printer, hubId, out);
      out.toAll({ type: 'job_taken', job_id: job.id }, hubId);
    });
  }

  /**
   * A job's life as the hub saw it, applied exactly once per event_id (the id is stored in the same
   * transaction as the change). A repeat is acked with the first outcome and changes nothing; an event that
   * does not fit is acked too, with applied: false and the reason, so the hub's outbox does not retry it forever.
   */
  applyEvent(hubId: string, e: JobEventMessage): void {
    this.run((out) => {
      const prior = this.d.db.prepare<[string], { applied: number; reason: string | null }>('SELECT applied, reason FROM job_events WHERE event_id = ?').get(e.event_id);
      if (prior) return out.to(hubId, eventAck(e.event_id, prior.applied === 1, prior.reason));

      let reason = this.whyNotHubsJob(hubId, e.job_id, e.printer_id);
      if (reason === null) {
        const job = this.d.jobs.get(e.job_id)!;
        if (!canMoveJob(job.status, e.status)) {
          reason = `Job ${job.id} is ${job.status} and cannot become ${e.status}.`;
        } else {
          this.move(job, e.status, out, {
            at: Date.parse(e.at),
            failureReason: e.status === 'failed' ? (e.failure_reason ?? 'The hub reported that the print failed.') : undefined,
            actualPrintTimeMinutes: e.actual_print_time_minutes ?? undefined,
          });
        }
      }
      this.d.db
        .prepare('INSERT INTO job_events (event_id, hub_id, job_id, status, at, received_at, applied, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(e.event_id, hubId, e.job_id, e.status, Date.parse(e.at), this.d.now(), reason === null ? 1 : 0, reason);
      out.to(hubId, eventAck(e.event_id, reason === null, reason));
    });
  }

  /** file_progress is shown on the job; the job's status moves only by job_event. */
  applyFileProgress(hubId: string, m: FileProgressMessage): string | null {
    return this.run(() => {
      const reason = this.whyNotHubsJob(hubId, m.job_id, m.printer_id);
      if (reason !== null) return reason;
      this.d.jobs.update(m.job_id, {
        fileTransfer: { stage: m.stage, progress_percentage: m.progress_percentage, error: m.error ?? null, at: this.d.now() },
      });
      return null;
    });
  }

  /**
   * Records the hub's answer to a command. A refused print_command fails its job; a refused pause or resume
   * puts the job back where it was. A repeated ack changes nothing.
   */
  applyCommandAck(hubId: string, m: CommandAckMessage): 'recorded' | 'repeat' | 'unknown' {
    return this.run((out) => {
      const cmd = this.d.commands.get(m.command_id);
      if (!cmd || cmd.hubId !== hubId) return 'unknown';
      if (!this.d.commands.ack(cmd.id, m.success, m.error ?? null)) return 'repeat';
      if (cmd.type === 'configure_printer' && m.success && m.local_id && cmd.printerId) this.d.printers.setLocalId(cmd.printerId, hubId, m.local_id);
      const job = !m.success && cmd.jobId !== null ? this.d.jobs.get(cmd.jobId) : null;
      if (!job) return 'recorded';
      if (cmd.type === 'print_command' && job.status === 'processing') {
        this.move(job, 'failed', out, { failureReason: `The hub could not start the print: ${m.error ?? 'it gave no reason'}.` });
      } else if (cmd.revertTo !== null && job.status !== cmd.revertTo && canMoveJob(job.status, cmd.revertTo) && isActive(job.status)) {
        this.move(job, cmd.revertTo, out);
      }
      return 'recorded';
    });
  }

  // ---------- internals ----------

  private run<T>(fn: (out: Outgoing) => T): T {
    const out = new Outgoing();
    const result = this.d.db.transaction(() => fn(out))();
    out.flush(this.d.connections);
    return result;
  }

  private mustGet(id: string): JobRecord {
    const job = this.d.jobs.get(id);
    if (!job) throw notFound(`No job with id ${id}.`);
    return job;
  }

  private printerOf(job: JobRecord): PrinterRecord {
    if (job.printerId === null) {
      throw invalidState(`Job ${job.id} has no printer; assign one (POST /jobs/${job.id}/assign) before it starts.`);
    }
    const printer = this.d.printers.get(job.printerId);
    if (!printer) throw invalidState(`Printer ${job.printerId} of job ${job.id} no longer exists; assign another printer.`);
    return printer;
  }

  private hubRoute(printer: PrinterRecord | null): HubRoute {
    if (!printer?.hubId || !this.d.hubs.get(printer.hubId)) return { kind: 'none' };
    return { kind: this.d.connections.isConnected(printer.hubId) ? 'online' : 'offline', hubId: printer.hubId };
  }

  /** Null when the job runs on one of this hub's printers, else why the hub may not speak for it. */
  private whyNotHubsJob(hubId: string, jobId: string, printerId: string): string | null {
    const job = this.d.jobs.get(jobId);
    if (!job) return `No job with id ${jobId}.`;
    const printer = this.d.printers.get(printerId);
    if (!printer || printer.hubId !== hubId) return `Printer ${printerId} is not a printer of this hub.`;
    if (job.printerId !== printerId) return `Job ${jobId} is not on printer ${printerId}.`;
    return null;
  }

  private command(id: string, c: (typeof JOB_COMMANDS)[keyof typeof JOB_COMMANDS]): { job: JobRecord; commandId: string | null } {
    return this.run((out) => {
      const job = this.mustGet(id);
      if (job.status !== c.from) throw invalidState(`Job ${job.id} is ${job.status}; only a ${c.from} job can be ${c.to === 'paused' ? 'paused' : 'resumed'}.`);
      const route = this.hubRoute(job.printerId === null ? null : this.d.printers.get(job.printerId));
      if (route.kind === 'offline') throw hubOffline(route.hubId);
      const moved = this.move(job, c.to, out);
      const commandId = route.kind === 'online' ? this.sendPrinterCommand(route.hubId, job.printerId!, c.action, out, job.id, c.from) : null;
      return { job: moved, commandId };
    });
  }

  /** The one place a job changes: the transition check, then what the new status means for its printer. */
  private move(job: JobRecord, target: JobStatus, out: Outgoing, x: MoveExtras = {}): JobRecord {
    if (!canMoveJob(job.status, target)) throw invalidState(`Job ${job.id} is ${job.status} and cannot become ${target}.`);
    const at = x.at ?? this.d.now();
    const changes: JobChanges = {
      printerId: x.printerId,
      progress: x.progress,
      priority: x.priority,
      failureReason: x.failureReason,
      actualPrintTimeMinutes: x.actualPrintTimeMinutes,
    };
    const printerId = x.printerId !== undefined ? x.printerId : job.printerId;
    if (target !== job.status) {
      changes.status = target;
      switch (target) {
        case 'processing':
          this.reserve(job, printerId);
          changes.startedAt = at;
          break;
        case 'uploaded':
          break;
        case 'printing':
          this.setPrinter(job, { status: 'printing' });
          changes.startedAt = job.startedAt ?? at;
          break;
        case 'paused':
          this.setPrinter(job, { status: 'paused' });
          break;
        case 'queued':
          Object.assign(changes, {
            progress: 0,
            startedAt: null,
            finishedAt: null,
            failureReason: null,
            actualPrintTimeMinutes: null,
            fileTransfer: null,
          } satisfies JobChanges);
          if (job.autoDispatch) changes.printerId = null;
          break;
        case 'completed':
        case 'failed':
        case 'cancelled':
          changes.finishedAt = at;
          if (target === 'completed') changes.progress = 100;
          this.setPrinter(job, { status: 'idle', currentJob: null, progress: 0 });
          break;
      }
    }
    if (x.progress !== undefined) this.setPrinter(job, { progress: x.progress });
    const after = this.d.jobs.update(job.id, changes)!;
    if (!isOfferable(job) && isOfferable(after)) out.toAll(this.offer(after));
    if (isOfferable(job) && !isOfferable(after)) out.toAll({ type: 'job_taken', job_id: job.id });
    return after;
  }

  private reserve(job: JobRecord, printerId: string | null): void {
    const printer = this.printerOf({ ...job, printerId });
    if (printer.status !== 'idle' || (printer.currentJob !== null && printer.currentJob !== job.id)) {
      const doing = printer.currentJob !== null && printer.currentJob !== job.id ? `busy with job ${printer.currentJob}` : printer.status;
      throw new ApiError(409, 'printer_busy', `Printer ${printer.id} is ${doing}; it can start job ${job.id} only when idle.`);
    }
    this.d.printers.update(printer.id, { currentJob: job.id, progress: 0 });
  }

  /** Changes the job's printer only while that printer is the job's (it may have moved on). */
  private setPrinter(job: JobRecord, changes: Parameters<PrinterRepo['update']>[1]): void {
    if (job.printerId === null) return;
    const printer = this.d.printers.get(job.printerId);
    if (printer?.currentJob === job.id) this.d.printers.update(printer.id, changes);
  }

  private offer(job: JobRecord): CloudMessageOf<'job_offer'> {
    const file = job.fileId === null ? null : this.d.files.get(job.fileId);
    return {
      type: 'job_offer',
      job_id: job.id,
      file_name: file?.name ?? job.name,
      requirements: job.requirements,
      expires_at: new Date(this.d.now() + this.d.offerTtlMs).toISOString(),
      priority: job.priority,
    };
  }

  private sendPrint(job: JobRecord, printer: PrinterRecord, hubId: string, out: Outgoing): string {
    const file = job.fileId === null ? null : this.d.files.get(job.fileId);
    const payload = file
      ? {
          printer_id: printer.id,
          job_id: job.id,
          action: 'start' as const,
          file_url: `${this.d.baseUrl()}/files/download/${this.d.links.sign(file.id).token}`,
          file_name: file.name,
          file_sha256: file.sha256,
          file_size: file.sizeBytes,
          priority: job.priority,
        }
      : { printer_id: printer.id, job_id: job.id, action: 'start' as const, file_url: job.fileUrl!, file_name: nameOf(job), priority: job.priority };
    const commandId = this.d.commands.record({ hubId, type: 'print_command', action: 'start', jobId: job.id, printerId: printer.id, payload });
    out.to(hubId, { type: 'print_command', command_id: commandId, ...payload });
    return commandId;
  }

  private sendPrinterCommand(hubId: string, printerId: string, action: PrinterCommandAction, out: Outgoing, jobId: string | null, revertTo: JobStatus | null): string {
    const payload = { printer_id: printerId, action };
    const commandId = this.d.commands.record({ hubId, type: 'printer_command', action, jobId, printerId, payload, revertTo });
    out.to(hubId, { type: 'printer_command', command_id: commandId, ...payload });
    return commandId;
  }
}

/** Null when the printer may take the job now; else why not, in words for the hub's log. */
function whyUnfit(job: JobRecord, printer: PrinterRecord): string | null {
  if (printer.currentJob !== null) return `Printer ${printer.id} is busy with job ${printer.currentJob}.`;
  if (printer.status !== 'idle') return `Printer ${printer.id} is ${printer.status}; send its printer_status when it is idle.`;
  const model = job.requirements.printer_model;
  if (model !== undefined && model.trim().toLowerCase() !== printer.model.trim().toLowerCase()) {
    return `Job ${job.id} needs a ${model}; printer ${printer.id} is a ${printer.model}.`;
  }
  return null;
}

/** The file name a link-only job's print_command carries: the URL's last segment, else the job's name. */
function nameOf(job: JobRecord): string {
  const last = job.fileUrl === null ? '' : (new URL(job.fileUrl).pathname.split('/').pop() ?? '');
  try {
    return last !== '' ? decodeURIComponent(last) : job.name;
  } catch {
    return last; // a malformed %-escape: the segment as it is
  }
}

function refusal(code: string, message: string): CloudMessageOf<'error'> {
  return { type: 'error', code, message };
}

function eventAck(eventId: string, applied: boolean, reason: string | null): CloudMessageOf<'job_event_ack'> {
  return reason === null ? { type: 'job_event_ack', event_id: eventId, applied } : { type: 'job_event_ack', event_id: eventId, applied, reason };
}

import { AppError } from '../../errors';
import type { PrintSource } from '../driver';
import { digestAuthorization, parseDigestChallenge, type DigestChallenge } from '../lan-common/digest';
import { capabilities } from '../lan-common/capabilities';
import { expectOk, serverWords, type HttpRequest, type HttpResponse } from '../lan-common/http';
import { HttpLanDriver } from '../lan-common/http-lan-driver';
import type { LanDriverDeps, LanSession, ReportedPhase } from '../lan-common/lan-driver';
import { pollingSession } from '../lan-common/polling-session';

export interface PrusaLinkDriverOptions extends Omit<LanDriverDeps, 'label'> {
  baseUrl: string;
  auth: 'digest' | 'apikey';
  username: string;
  /**
   * The storage to prefer for uploads. The printer's own list (GET /api/v1/storage) decides: this one when it is
   * there and writable, else the first writable one (a MK4's USB drive, `local` for Prusa Link on a Pi).
   */
  storage?: 'usb' | 'local';
  /** Status polling interval (default 1 s); with the 4 s request deadline a silent printer shows offline within 5 s. */
  pollMs?: number;
  requestTimeoutMs?: number;
}

/** How long a stored file waits for a printer still showing the last print's end (real PrusaLink: ~11 s). */
const READY_WAIT_MS = 60_000;
const READY_POLL_MS = 1_000;

/** PrusaLink's v1 API has no endpoints for temperatures, motion, raw G-code or lights: only printing is offered. */
const CAPABILITIES = capabilities('print');

/** One entry of GET /api/v1/storage (`storage_list`), per the PrusaLink v1 OpenAPI description. */
interface V1Storage {
  name?: string;
  type?: string;
  /** "/local", "/usb": the path segment uploads go to. */
  path?: string;
  available?: boolean;
  read_only?: boolean;
}

interface V1Status {
  printer?: { state?: string; temp_nozzle?: number; target_nozzle?: number; temp_bed?: number; target_bed?: number; axis_x?: number; axis_y?: number; axis_z?: number };
  job?: { id?: number; progress?: number; time_remaining?: number; time_printing?: number };
  storage?: V1Storage;
}

/**
 * Prusa printers through PrusaLink's v1 API: status polled about once a second (PrusaLink has no push
 * channel), uploads with PUT and Print-After-Upload, pause/resume/stop by job id. Auth is HTTP digest
 * (user `maker`) or the older X-Api-Key.
 */
export class PrusaLinkDriver extends HttpLanDriver {
  readonly capabilities = CAPABILITIES;
  protected readonly protocolName = 'PrusaLink';
  private challenge: DigestChallenge | null = null;
  private nc = 0;
  private secret: string | null = null;
  private jobId: number | null = null;
  private jobNames = new Map<number, string>();
  private lastProgress = 0;
  /** The storage /api/v1/status names, for firmware that does not answer /api/v1/storage. */
  private statusStorage: string | null = null;

  constructor(private readonly opts: PrusaLinkDriverOptions) {
    super({ ...opts, label: `PrusaLink at ${opts.baseUrl}` }, opts.baseUrl, opts.requestTimeoutMs ?? 4000);
  }

  private get credentialName(): string {
    return this.opts.auth === 'digest' ? 'password' : 'API key';
  }

  /** Sends a request with the configured auth, answering a digest challenge (or a stale nonce) once. */
  private async request(req: HttpRequest): Promise<HttpResponse> {
    const attempt = () => {
      const headers: Record<string, string> = { ...req.headers };
      if (this.opts.auth === 'apikey' && this.secret) headers['X-Api-Key'] = this.secret;
      if (this.opts.auth === 'digest' && this.secret && this.challenge) {
        headers.authorization = digestAuthorization(this.challenge, this.opts.username, this.secret, req.method, this.http.pathFor(req.path), ++this.nc);
      }
      return this.http.request({ ...req, headers });
    };
    let res = await attempt();
    if (res.status === 401 && this.opts.auth === 'digest') {
      const fresh = parseDigestChallenge(res.headers['www-authenticate']);
      const first = this.challenge === null;
      if (fresh && (first || fresh.stale || fresh.nonce !== this.challenge?.nonce)) {
        this.challenge = fresh;
        this.nc = 0;
        res = await attempt();
      }
    }
    return res;
  }

  protected async openSession(): Promise<LanSession> {
    this.secret = await this.requireSecret(this.credentialName);
    await this.poll();
    return pollingSession(this.clock, this.opts.pollMs ?? 1000, () => this.poll());
  }

  private async poll(): Promise<void> {
    const status = expectOk(await this.request({ method: 'GET', path: '/api/v1/status' }), this.deps.label, this.credentialName).json<V1Status>();
    const p = status.printer ?? {};
    if (status.storage && !status.storage.read_only) this.statusStorage = storageSegment(status.storage);
    this.temperatures = {
      hotend: p.temp_nozzle !== undefined ? { actual: p.temp_nozzle, target: p.target_nozzle ?? 0 } : null,
      bed: p.temp_bed !== undefined ? { actual: p.temp_bed, target: p.target_bed ?? 0 } : null,
    };
    if (p.axis_z !== undefined) this.position = { x: p.axis_x ?? this.position?.x ?? 0, y: p.axis_y ?? this.position?.y ?? 0, z: p.axis_z, e: 0 };
    if (!this.firmware) this.firmware = { name: 'PrusaLink', machineType: null, capabilities: {} };
    // The id goes into request paths (/api/v1/job/{id}/pause): only a plain integer is taken from the printer.
    const job = status.job;
    this.jobId = Number.isSafeInteger(job?.id) ? job!.id! : null;
    let fileName = '';
    if (this.jobId !== null) fileName = this.jobNames.get(this.jobId) ?? (await this.fetchJobName(this.jobId));
    // Progress is a percentage in the v1 API.
    const fraction = (job?.progress ?? 0) / 100;
    const wasActive = ['printing', 'paused'].includes(this.status().state.kind);
    const progressSeen = Math.max(this.lastProgress, fraction);
    const phase = prusaPhase(p.state, job !== undefined, wasActive, progressSeen);
    this.applyPhase(phase, () => this.jobProgress(fileName, fraction, job?.time_remaining ?? null));
    this.lastProgress = phase.kind === 'printing' ? fraction : phase.kind === 'paused' ? this.lastProgress : 0;
    this.publish();
  }

  private async fetchJobName(id: number): Promise<string> {
    const res = await this.request({ method: 'GET', path: '/api/v1/job' });
    if (res.status !== 200) return '';
    const job = res.json<{ id?: number; file?: { name?: string; display_name?: string } }>();
    const name = job.file?.display_name ?? job.file?.name ?? '';
    if (job.id === id && name) {
      if (this.jobNames.size > 50) this.jobNames.clear();
      this.jobNames.set(id, name);
    }
    return name;
  }

  /**
   * Where an upload goes, asked of the printer each time (a USB drive comes and goes): the configured storage
   * when it is offered and writable, else the first writable one.
   */
  private async uploadStorage(): Promise<string> {
    const res = await this.request({ method: 'GET', path: '/api/v1/storage' });
    if (res.status === 404) return this.opts.storage ?? this.statusStorage ?? 'usb';
    const list = expectOk(res, this.deps.label, this.credentialName).json<{ storage_list?: V1Storage[] }>().storage_list ?? [];
    const writable = list
      .filter((st) => st.available !== false && st.read_only !== true)
      .map(storageSegment)
      .filter((seg): seg is string => seg !== null);
    if (!writable.length) {
      const seen = list.map((st) => st.name ?? storageSegment(st)).filter(Boolean);
      throw new AppError(
        'printer_error',
        `${this.deps.label} has no storage the app can upload to${seen.length ? ` (${seen.join(', ')}: read-only or not inserted)` : ''}. Insert a USB drive into the printer and try again.`,
      );
    }
    const preferred = this.opts.storage;
    const chosen = preferred && writable.includes(preferred) ? preferred : writable[0]!;
    if (preferred && chosen !== preferred) this.info(`The printer has no writable ${preferred} storage; uploading to ${chosen}.`);
    return chosen;
  }

  protected async uploadAndStart(source: PrintSource, fileName: string): Promise<void> {
    const storage = await this.uploadStorage();
    const res = await this.request({
      method: 'PUT',
      path: `/api/v1/files/${encodeURIComponent(storage)}/${encodeURIComponent(fileName)}`,
      // A .bgcode (Prusa binary G-code) goes up as it is: the firmware reads it, and tells it by its name.
      headers: { 'content-type': /\.bgcode$/i.test(fileName) ? 'application/octet-stream' : 'text/x.gcode', 'print-after-upload': '?1', overwrite: '?1' },
      body: { length: source.size, open: () => source.open() },
      timeoutMs: 600_000,
    });
    if (res.status === 409) {
      // Stored, not started: after a print PrusaLink stays FINISHED (or STOPPED) for some seconds and answers
      // "Printer is not in state to print". Start the stored file once it is ready, once.
      this.info(`PrusaLink stored ${fileName} but did not start it yet (${serverWords(res) || 'HTTP 409'}); starting it as soon as the printer is ready.`);
      await this.startStoredWhenReady(storage, fileName);
      return;
    }
    expectOk(res, this.deps.label, this.credentialName);
    this.info(`Uploaded ${fileName} to PrusaLink (${storage}) and started it.`);
  }

  /** POST /api/v1/files/<storage>/<path> starts a stored file: 204, or 409 while the printer is not ready. */
  private async startStoredWhenReady(storage: string, fileName: string): Promise<void> {
    const deadline = this.clock.now() + READY_WAIT_MS;
    for (;;) {
      const res = await this.request({ method: 'POST', path: `/api/v1/files/${encodeURIComponent(storage)}/${encodeURIComponent(fileName)}` });
      if (res.status !== 409) {
        expectOk(res, this.deps.label, this.credentialName);
        this.info(`Started ${fileName} on PrusaLink.`);
        return;
      }
      if (this.clock.now() >= deadline) {
        throw new AppError(
          'conflict',
          `${this.deps.label} stored ${fileName} but stayed not ready to print for ${READY_WAIT_MS / 1000} s (${serverWords(res) || 'HTTP 409'}). Check the printer's screen.`,
        );
      }
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, READY_POLL_MS));
    }
  }

  protected async jobControl(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    if (action === 'cancel') await this.jobCommand('DELETE', '');
    else await this.jobCommand('PUT', `/${action}`);
  }

  private async jobCommand(method: 'PUT' | 'DELETE', suffix: string): Promise<void> {
    if (this.jobId === null) throw new AppError('conflict', 'PrusaLink has not reported a job id yet; try again in a second.');
    const res = await this.request({ method, path: `/api/v1/job/${this.jobId}${suffix}` });
    if (res.status === 409) throw new AppError('conflict', 'PrusaLink refused: the job is not in a state that allows this.');
    expectOk(res, this.deps.label, this.credentialName);
  }
}

/** The path segment of a storage ("/usb/" → "usb"), from its path or, lacking one, its type. */
function storageSegment(st: V1Storage): string | null {
  const fromPath = (st.path ?? '').replace(/^\/+|\/+$/g, '');
  if (fromPath && !fromPath.includes('/')) return fromPath;
  return st.type ? st.type.toLowerCase() : null;
}

/** PrusaLink's printer states in common terms; an idle printer after a print ended it (complete by its progress). */
export function prusaPhase(state: string | undefined, hasJob: boolean, wasActive: boolean, progressSeen: number): ReportedPhase {
  switch ((state ?? 'IDLE').toUpperCase()) {
    case 'PRINTING':
      return { kind: 'printing' };
    case 'PAUSED':
      return { kind: 'paused' };
    case 'ATTENTION':
      return hasJob ? { kind: 'paused' } : { kind: 'busy', what: 'The printer needs attention: see its screen.' };
    case 'BUSY':
      return { kind: 'busy', what: 'The printer is busy.' };
    case 'ERROR':
      return { kind: 'error', message: 'The printer reports an error: see its screen.', ended: { kind: 'failed', reason: 'The printer reported an error.' } };
    case 'FINISHED':
      return { kind: 'idle', ended: { kind: 'completed' } };
    case 'STOPPED':
      return { kind: 'idle', ended: { kind: 'cancelled' } };
    default:
      return wasActive ? { kind: 'idle', ended: progressSeen >= 0.999 ? { kind: 'completed' } : { kind: 'cancelled' } } : { kind: 'idle' };
  }
}

import { AppError } from '../../errors';
import type { PrintSource } from '../driver';
import { capabilities, GCODE_CONTROLS } from '../lan-common/capabilities';
import { expectOk, type HttpResponse } from '../lan-common/http';
import { HttpLanDriver } from '../lan-common/http-lan-driver';
import { checkTemperature, gcode, type LanDriverDeps, type LanSession } from '../lan-common/lan-driver';
import { multipartBody } from '../lan-common/multipart';
import { pollingSession } from '../lan-common/polling-session';
import { WsLink } from '../lan-common/ws-link';
import type { Axis, Heater } from '../model';
import { parseSockJsFrame, sockJsSend, sockjsUrl } from './sockjs';
import { consoleLine, notConnectedReason, octoState, octoTemperatures, type OctoJob, type OctoState, type OctoTemps } from './state-map';

export interface OctoPrintDriverOptions extends Omit<LanDriverDeps, 'label'> {
  baseUrl: string;
  /** Polling interval when the push socket is not available (default 1 s). */
  pollMs?: number;
  /** How long one poll may take before the printer counts as silent (default 3 s). */
  pollTimeoutMs?: number;
  /** Push socket ping interval; silence shows within two (default 2 s). */
  heartbeatMs?: number;
  requestTimeoutMs?: number;
  /** Tests: skip the push socket and poll. */
  forcePolling?: boolean;
}

/** OctoPrint drives a serial printer: every manual control, its terminal and M112; it has no light API. */
const CAPABILITIES = capabilities(...GCODE_CONTROLS, 'console', 'emergencyStop', 'print');

interface Current extends OctoJob {
  state?: OctoState;
  temps?: Array<OctoTemps & { time?: number }>;
  logs?: string[];
}

/**
 * OctoPrint through its REST API (X-Api-Key), with live updates from its SockJS push socket after a passive
 * login; when the socket is unavailable it polls /api/printer and /api/job instead.
 */
export class OctoPrintDriver extends HttpLanDriver {
  readonly capabilities = CAPABILITIES;
  protected readonly protocolName = 'OctoPrint';
  private key: string | null = null;
  private lastJob: OctoJob = {};
  private pushing = false;
  /** OctoPrint's last reason for losing its printer ("Closing serial port due to emergency stop M112."). */
  private lastPrinterError: string | null = null;
  /** Whether OctoPrint itself holds a connection to its printer, as last reported; null before the first report. */
  private printerLinked: boolean | null = null;

  constructor(private readonly opts: OctoPrintDriverOptions) {
    super({ ...opts, label: `OctoPrint at ${opts.baseUrl}` }, opts.baseUrl, opts.requestTimeoutMs ?? 5000);
  }

  private async api(method: string, path: string, json?: unknown, timeoutMs?: number): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    if (this.key) headers['X-Api-Key'] = this.key;
    if (json !== undefined) headers['content-type'] = 'application/json';
    return this.http.request({ method, path, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
  }

  /**
   * Connecting an OctoPrint whose link is up but which holds no connection to its printer asks OctoPrint to
   * connect with its own saved port and baud rate (the app knows neither), then reads the state again: that is
   * what the printer page's Connect button means for an OctoPrint showing "not connected to the printer".
   */
  override async connect(): Promise<void> {
    const wasUp = this.isUp();
    await super.connect();
    if (!wasUp || this.printerLinked !== false) return;
    const res = await this.api('POST', '/api/connection', { command: 'connect' });
    if (res.status === 400 || res.status === 409) {
      const detail = res.body.toString('utf8').slice(0, 160).replace(/\s+/g, ' ').trim();
      throw new AppError(
        'printer_error',
        `OctoPrint could not connect to the printer${detail ? `: ${detail.replace(/[.\s]+$/, '')}` : ''}. Choose its serial port in OctoPrint's Connection panel once, then try again.`,
      );
    }
    expectOk(res, this.deps.label);
    this.info('Asked OctoPrint to connect to its printer with its saved settings.');
    await this.poll().catch(() => undefined);
  }

  protected async openSession(): Promise<LanSession> {
    this.key = await this.optionalSecret('API key');
    this.printerLinked = null;
    let versionRes: HttpResponse;
    try {
      versionRes = expectOk(await this.api('GET', '/api/version'), this.deps.label);
    } catch (err) {
      throw this.keyDemanded(err, this.key !== null);
    }
    const version = versionRes.json<{ server?: string; text?: string }>();
    this.firmware = { name: `OctoPrint ${version.server ?? ''}`.trim(), machineType: null, capabilities: {} };
    await this.poll();
    if (!this.opts.forcePolling) {
      const push = await this.openPush().catch(() => null);
      if (push) return push;
      this.info('The OctoPrint push socket is not available; polling for status instead.');
    }
    return this.pollingSession();
  }

  /** Reads /api/printer and /api/job once. A 409 means OctoPrint has no printer connected. */
  private async poll(): Promise<void> {
    const timeout = this.opts.pollTimeoutMs ?? 3000;
    const [printer, job] = await Promise.all([this.api('GET', '/api/printer', undefined, timeout), this.api('GET', '/api/job', undefined, timeout)]);
    const { job: jobFile, progress } = expectOk(job, this.deps.label).json<OctoJob>();
    const jobInfo: OctoJob = { ...(jobFile ? { job: jobFile } : {}), ...(progress ? { progress } : {}) };
    if (printer.status === 409) {
      // No printer state without a printer: the connection state says whether OctoPrint is on its way to one.
      const text = await this.connectionState(timeout);
      // OctoPrint answers 409 for a moment after its connection already says Operational: not a state to show.
      if (/^(operational|printing|paused|pausing|cancelling|finishing|starting)/i.test(text)) return;
      const closed = /offline|closed|error/i.test(text);
      this.apply({ state: { text, flags: { closedOrError: closed }, ...(closed && this.lastPrinterError ? { error: this.lastPrinterError } : {}) }, ...jobInfo });
      return;
    }
    const p = expectOk(printer, this.deps.label).json<{ state?: OctoState; temperature?: OctoTemps }>();
    this.apply({ ...jobInfo, ...(p.state ? { state: p.state } : {}), ...(p.temperature ? { temps: [p.temperature] } : {}) });
  }

  /** OctoPrint's own word for its printer connection ("Offline", "Connecting", …); "Offline" when it gives none. */
  private async connectionState(timeoutMs: number): Promise<string> {
    const res = await this.api('GET', '/api/connection', undefined, timeoutMs);
    if (res.status !== 200) return 'Offline';
    const state = res.json<{ current?: { state?: unknown } }>().current?.state;
    return typeof state === 'string' && state ? state : 'Offline';
  }

  private pollingSession(): LanSession {
    this.pushing = false;
    return pollingSession(this.clock, this.opts.pollMs ?? 1000, () => this.poll());
  }

  private async openPush(): Promise<LanSession> {
    const login = await this.api('POST', '/api/login', { passive: true });
    const { name, session } = expectOk(login, this.deps.label).json<{ name?: string; session?: string }>();
    if (!name || !session) throw new AppError('printer_error', 'OctoPrint gave no session for the push socket.');
    const link = await WsLink.open({ url: sockjsUrl(this.opts.baseUrl), label: this.deps.label, clock: this.clock, heartbeatMs: this.opts.heartbeatMs });
    link.onMessage((frame) => {
      const f = parseSockJsFrame(frame);
      if (f.kind === 'open') link.send(sockJsSend({ auth: `${name}:${session}` }));
      else if (f.kind === 'close') link.close();
      else if (f.kind === 'messages') for (const m of f.messages) this.onPush(m);
    });
    this.pushing = true;
    return { closed: link.closed, close: () => link.close() };
  }

  private onPush(message: unknown): void {
    if (!message || typeof message !== 'object') return;
    const m = message as { current?: Current; history?: Current; event?: { type?: string; payload?: { name?: string; reason?: string; error?: string } } };
    const current = m.current ?? m.history;
    if (current) {
      for (const raw of current.logs ?? []) {
        const entry = consoleLine(raw);
        if (entry) this.console(entry.direction, entry.line);
      }
      this.apply(current);
    }
    if (m.event?.type) this.onEvent(m.event.type, m.event.payload ?? {});
  }

  private onEvent(type: string, payload: { reason?: string; error?: string }): void {
    if (type === 'PrintDone') this.endJob({ kind: 'completed' });
    else if (type === 'PrintCancelled') this.endJob({ kind: 'cancelled' });
    else if (type === 'PrintFailed') {
      if (payload.reason === 'cancelled') this.endJob({ kind: 'cancelled' });
      else this.endJob({ kind: 'failed', reason: payload.error || 'OctoPrint reports the print failed.' });
    }
  }

  private apply(c: Current): void {
    const wasActive = this.status().state.kind === 'printing' || this.status().state.kind === 'paused';
    const before = this.lastJob.progress?.completion ?? 0;
    if (c.job || c.progress) this.lastJob = { ...this.lastJob, ...c };
    const latest = c.temps?.at(-1);
    this.temperatures = octoTemperatures(latest, this.temperatures);
    if (c.state) {
      this.printerLinked = !c.state.flags?.closedOrError;
      // The reason OctoPrint gave for dropping its printer, kept for the REST path (which does not repeat it).
      if (c.state.error) this.lastPrinterError = c.state.error;
      else if (c.state.flags?.operational) this.lastPrinterError = null;
      const completion = this.lastJob.progress?.completion ?? 0;
      const mapped = octoState(c.state, () => ({
        fileName: this.lastJob.job?.file?.name ?? this.lastJob.job?.file?.path ?? '',
        fraction: completion / 100,
        remainingSeconds: this.lastJob.progress?.printTimeLeft ?? null,
      }));
      if (mapped.kind === 'printer-offline') this.setState({ kind: 'offline', reason: notConnectedReason(c.state) });
      else if (mapped.kind === 'printing' || mapped.kind === 'paused') {
        this.setState({ kind: mapped.kind, job: this.jobProgress(mapped.job.fileName, mapped.job.fraction, mapped.job.remainingSeconds) });
      } else {
        this.setState(mapped);
        // Without push events, infer the end from the last progress seen.
        if (wasActive && !this.pushing) this.endJob(Math.max(before, completion) >= 99.9 ? { kind: 'completed' } : { kind: 'cancelled' });
      }
    }
    this.publish();
  }

  private async command(path: string, body: unknown): Promise<void> {
    this.requireUp();
    const res = await this.api('POST', path, body);
    if (res.status === 409) throw new AppError('conflict', `OctoPrint refused the command: ${res.body.toString('utf8').slice(0, 160) || 'the printer is busy or not connected.'}`);
    expectOk(res, this.deps.label);
  }

  private async gcodeLines(lines: string[]): Promise<void> {
    for (const l of lines) this.console('sent', l);
    await this.command('/api/printer/command', { commands: lines });
  }

  override async setTemperature(heater: Heater, celsius: number): Promise<void> {
    checkTemperature(heater, celsius);
    const value = Math.round(celsius);
    if (heater === 'hotend') await this.command('/api/printer/tool', { command: 'target', targets: { tool0: value } });
    else await this.command('/api/printer/bed', { command: 'target', target: value });
  }
  override async home(axes: readonly Axis[]): Promise<void> {
    await this.command('/api/printer/printhead', { command: 'home', axes: axes.length ? [...new Set(axes)] : ['x', 'y', 'z'] });
  }
  override async jog(delta: Partial<Record<Axis, number>>, feed: number): Promise<void> {
    gcode.jog(delta, feed); // validates
    await this.command('/api/printer/printhead', { command: 'jog', ...delta, speed: Math.round(feed) });
  }
  override async extrude(mm: number, feed: number): Promise<void> {
    if (!Number.isFinite(mm) || mm === 0) throw new AppError('invalid_input', 'The extrusion length must be a non-zero number of millimetres.');
    await this.command('/api/printer/tool', { command: 'extrude', amount: mm, speed: Math.round(feed) });
  }
  /** Fan and motors off have no REST endpoint: they go through the base class as G-code. */
  protected override async runGcode(text: string | string[]): Promise<void> {
    await this.gcodeLines(Array.isArray(text) ? text : [text]);
  }
  /** OctoPrint's REST API queues the line and does not return the answer; replies arrive as console lines. */
  override async sendCommand(line: string): Promise<string[]> {
    await this.gcodeLines([line]);
    return [];
  }
  override async emergencyStop(): Promise<void> {
    await this.gcodeLines(['M112']);
  }

  protected async uploadAndStart(source: PrintSource, fileName: string): Promise<string | undefined> {
    const body = multipartBody({ select: 'true', print: 'true' }, { field: 'file', fileName, size: source.size, open: () => source.open() });
    const res = await this.http.request({
      method: 'POST',
      path: '/api/files/local',
      headers: { 'content-type': body.contentType, ...(this.key ? { 'X-Api-Key': this.key } : {}) },
      body,
      timeoutMs: 600_000,
    });
    if (res.status === 409) throw new AppError('conflict', 'OctoPrint refused to start the print: the printer is busy or not connected.');
    expectOk(res, this.deps.label);
    this.info(`Uploaded ${fileName} to OctoPrint and started it.`);
    // With feature.enforceReallyUniversalFilenames OctoPrint renames uploads ("a b.gcode" → "a_b.gcode").
    try {
      const local = res.json<{ files?: { local?: { name?: string; path?: string } } }>().files?.local;
      return local?.path ?? local?.name;
    } catch {
      return undefined;
    }
  }

  protected async jobControl(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    await this.command('/api/job', action === 'cancel' ? { command: 'cancel' } : { command: 'pause', action });
  }
}

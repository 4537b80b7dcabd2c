import { CredentialError } from '../../credentials/credential-error';
import { AppError } from '../../errors';
import type { PrintSource } from '../driver';
import { capabilities, GCODE_CONTROLS } from '../lan-common/capabilities';
import { expectOk } from '../lan-common/http';
import { HttpLanDriver } from '../lan-common/http-lan-driver';
import { JsonRpcClient } from '../lan-common/json-rpc';
import { sentence, type LanDriverDeps, type LanSession } from '../lan-common/lan-driver';
import { multipartBody } from '../lan-common/multipart';
import { WsLink } from '../lan-common/ws-link';
import { klipperLayer, klipperPhase, mergeObjects, remainingFromProgress, SUBSCRIBED_OBJECTS, type KlipperObjects } from './status-map';

export interface MoonrakerDriverOptions extends Omit<LanDriverDeps, 'label'> {
  /** http://host:7125 */
  baseUrl: string;
  /** WebSocket ping interval; a silent Moonraker shows offline within two (default 2 s, so 4 s). */
  heartbeatMs?: number;
  requestTimeoutMs?: number;
  clientVersion?: string;
}

/**
 * Moonraker with trusted clients off accepts the WebSocket and refuses `server.connection.identify` with
 * JSON-RPC error -32602: "Unauthorized" without a key, "Invalid API Key" with a wrong one (its authorization
 * docs, "Identify Connection"). Any other method on such a connection answers 401. Returns Moonraker's own
 * words, or null for any other failure.
 */
function identifyRefusal(err: unknown): string | null {
  if (!(err instanceof AppError) || err.code !== 'printer_error') return null;
  const code = (err.details as { rpcCode?: number } | undefined)?.rpcCode;
  const words = /invalid api key|unauthorized|invalid access token/i.exec(err.message)?.[0];
  return (code === -32602 || code === 401) && words ? words : null;
}

/** Everything a Klipper host does through G-code scripts, plus its console and emergency stop; no light of its own. */
const CAPABILITIES = capabilities(...GCODE_CONTROLS, 'console', 'emergencyStop', 'print');

/**
 * Klipper through Moonraker: JSON-RPC 2.0 on its WebSocket, live state from `printer.objects.subscribe`,
 * G-code through `printer.gcode.script`, uploads over HTTP. The API key header is sent only when one is saved.
 */
export class MoonrakerDriver extends HttpLanDriver {
  readonly capabilities = CAPABILITIES;
  protected readonly protocolName = 'Moonraker';
  private rpc: JsonRpcClient | null = null;
  private objects: KlipperObjects = {};
  /** Lines from `notify_gcode_response` while a console command runs; bounded. */
  private capture: string[] | null = null;

  constructor(private readonly opts: MoonrakerDriverOptions) {
    super({ ...opts, label: `Moonraker at ${opts.baseUrl}` }, opts.baseUrl, opts.requestTimeoutMs ?? 5000);
  }

  protected async openSession(): Promise<LanSession> {
    const key = await this.optionalSecret('API key');
    const wsUrl = `${this.opts.baseUrl.replace(/^http/, 'ws')}/websocket`;
    const link = await WsLink.open({
      url: wsUrl,
      label: this.deps.label,
      clock: this.clock,
      heartbeatMs: this.opts.heartbeatMs,
      ...(key ? { headers: { 'X-Api-Key': key } } : {}),
    }).catch((err: unknown) => {
      throw this.keyDemanded(err, key !== null);
    });
    const rpc = new JsonRpcClient(link, { clock: this.clock, label: this.deps.label, timeoutMs: this.opts.requestTimeoutMs, onNotification: (m, p) => this.onNotification(m, p) });
    try {
      await rpc.call('server.connection.identify', {
        client_name: 'AutoPrintFarm',
        version: this.opts.clientVersion ?? '0.1.0',
        type: 'agent',
        url: 'https://autoprintfarm.com',
        ...(key ? { api_key: key } : {}),
      });
      this.rpc = rpc;
      await this.subscribe();
    } catch (err) {
      link.close();
      const refusal = identifyRefusal(err);
      if (refusal)
        throw this.keyDemanded(new CredentialError('refused', 'API key', `${this.deps.label} refused the API key (${refusal}). Enter the printer's API key again.`), key !== null);
      throw err instanceof AppError && err.code === 'printer_error'
        ? new AppError('printer_offline', `${this.deps.label} refused the connection: ${sentence(err.message.replace(`${this.deps.label}: `, ''))}`)
        : err;
    }
    void link.closed.then(() => {
      if (this.rpc === rpc) this.rpc = null;
    });
    return { closed: link.closed, close: () => link.close() };
  }

  /** Subscribes and takes the full snapshot; Klipper may not be ready yet, which is a state, not a failure. */
  private async subscribe(): Promise<void> {
    try {
      const result = await this.call<{ status?: unknown }>('printer.objects.subscribe', { objects: SUBSCRIBED_OBJECTS });
      this.objects = {};
      mergeObjects(this.objects, result?.status);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'printer_error') throw err;
      // Moonraker answers printer.* with an error while Klipper is down; notify_klippy_ready resubscribes.
      this.objects = { webhooks: { state: 'startup', state_message: err.message } };
    }
    this.refresh();
  }

  private onNotification(method: string, params: unknown): void {
    const args = Array.isArray(params) ? params : [];
    switch (method) {
      case 'notify_status_update':
        mergeObjects(this.objects, args[0]);
        this.refresh();
        break;
      case 'notify_klippy_ready':
        void this.subscribe().catch(() => undefined);
        break;
      case 'notify_klippy_shutdown':
        this.objects.webhooks = { state: 'shutdown', state_message: 'Klipper shut down.' };
        this.refresh();
        break;
      case 'notify_klippy_disconnected':
        this.objects.webhooks = { state: 'startup', state_message: 'Klipper is not connected to Moonraker.' };
        this.refresh();
        break;
      case 'notify_gcode_response':
        for (const line of args) {
          if (typeof line !== 'string') continue;
          this.console('received', line);
          if (this.capture && this.capture.length < 200) this.capture.push(line);
        }
        break;
    }
  }

  private refresh(): void {
    const o = this.objects;
    this.temperatures = {
      hotend: o.extruder ? { actual: o.extruder.temperature ?? 0, target: o.extruder.target ?? 0 } : null,
      bed: o.heater_bed ? { actual: o.heater_bed.temperature ?? 0, target: o.heater_bed.target ?? 0 } : null,
    };
    const p = o.toolhead?.position;
    this.position = p && p.length >= 4 ? { x: p[0]!, y: p[1]!, z: p[2]!, e: p[3]! } : null;
    const stats = o.print_stats ?? {};
    const fraction = o.virtual_sdcard?.progress ?? 0;
    this.applyPhase(klipperPhase(o), () => this.jobProgress(stats.filename ?? '', fraction, remainingFromProgress(stats.print_duration, fraction), klipperLayer(o)));
    this.publish();
  }

  private call<T>(method: string, params?: unknown, timeoutMs?: number): Promise<T> {
    if (!this.rpc) return Promise.reject(new AppError('printer_offline', `${this.deps.label} is not connected.`));
    return this.rpc.call<T>(method, params, timeoutMs);
  }

  private async script(lines: string | string[]): Promise<void> {
    this.requireUp();
    const script = Array.isArray(lines) ? lines.join('\n') : lines;
    this.console('sent', script);
    // Homing and heating can take minutes; Moonraker answers when the script has run.
    await this.call('printer.gcode.script', { script }, 300_000);
  }

  protected override async runGcode(text: string | string[]): Promise<void> {
    await this.script(text);
  }
  override async sendCommand(line: string): Promise<string[]> {
    this.capture = [];
    try {
      await this.script(line);
      return this.capture;
    } finally {
      this.capture = null;
    }
  }
  override async emergencyStop(): Promise<void> {
    this.requireUp();
    await this.call('printer.emergency_stop');
  }

  protected async uploadAndStart(source: PrintSource, fileName: string): Promise<string> {
    const key = await this.optionalSecret('API key');
    const body = multipartBody({ root: 'gcodes' }, { field: 'file', fileName, size: source.size, open: () => source.open() });
    const res = await this.http.request({
      method: 'POST',
      path: '/server/files/upload',
      headers: { 'content-type': body.contentType, ...(key ? { 'X-Api-Key': key } : {}) },
      body,
      timeoutMs: 600_000,
    });
    try {
      expectOk(res, this.deps.label);
    } catch (err) {
      throw this.keyDemanded(err, key !== null);
    }
    const uploaded = res.json<{ item?: { path?: string } }>().item?.path ?? fileName;
    this.info(`Uploaded ${uploaded}; starting the print.`);
    await this.call('printer.print.start', { filename: uploaded });
    return uploaded;
  }

  protected async jobControl(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    await this.call(`printer.print.${action}`, undefined, 60_000);
  }
}

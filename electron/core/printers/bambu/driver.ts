import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client as FtpClient } from 'basic-ftp';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { AppError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { PrintSource } from '../driver';
import { describeNetworkError } from '../lan-common/address';
import { capabilities, GCODE_CONTROLS } from '../lan-common/capabilities';
import { LanDriver, type LanDriverDeps, type LanSession } from '../lan-common/lan-driver';
import type { PrinterCapabilities } from '../model';
import { AmsState } from './ams';
import { bambuTlsOptions, explainRefusedCertificate, isCertificateRefusal, type BambuTrust } from './printer-certificate';
import { bambuLayer, bambuPhase, mergeReport, startCommand, type BambuPrint } from './report';
import { slicedPlates, TailKeeper, zipEntryNames } from './three-mf';

export interface BambuDriverOptions extends Omit<LanDriverDeps, 'label'> {
  host: string;
  serial: string;
  mqttPort?: number;
  ftpPort?: number;
  /**
   * MQTT keepalive (default 5 s, as low as is sensible against the printer's broker); MQTT.js notices a silent
   * printer after 1.5 of these.
   */
  keepaliveS?: number;
  connectTimeoutMs?: number;
  /** How long to wait for a command's echo; printers that do not echo are taken at their word after it. */
  ackTimeoutMs?: number;
  /** How long a fresh connection waits for the printer's first full report before giving up. */
  firstReportTimeoutMs?: number;
  /** Bambu's CA certificates and the user's pin for this printer; by default nothing is trusted until pinned. */
  trust?: Omit<BambuTrust, 'serial'>;
}

const FIRST_REPORT_MS = 5000;

/** MQTT.js's keepalive timer (`set`/`clear`, interval semantics) on a Clock. */
function clockTimer(clock: Clock): IClientOptions['timerVariant'] {
  const timer = {
    set: (fn: () => void, ms: number) => clock.setInterval(fn, ms),
    clear: (handle: { cancel(): void }) => handle.cancel(),
  };
  // MQTT.js types its timer handles as numbers; it only ever hands them back to `clear`.
  return timer as unknown as IClientOptions['timerVariant'];
}

const MONITOR_ONLY = capabilities();

/**
 * Raw G-code goes through `gcode_line`, which acknowledges nothing back, so there is no console and no
 * emergency stop (stop is a normal cancel); manual controls are offered because the printer performs them,
 * and the chamber light through `ledctrl`, its state read back from `lights_report`.
 */
const CAPABILITIES = capabilities(...GCODE_CONTROLS, 'print', 'light');

/**
 * A Bambu Lab printer in LAN mode: MQTT over TLS (user `bblp`, the access code as password) for reports and
 * commands, implicit FTPS for uploads. Both check the printer's certificate (Bambu's CA and the serial, or the
 * user's pin) during the handshake, so an impostor never receives the access code.
 */
export class BambuDriver extends LanDriver {
  /** Everything but monitoring is withdrawn once the printer refuses control (firmware authorization). */
  get capabilities(): PrinterCapabilities {
    return this.controlRefused ? MONITOR_ONLY : CAPABILITIES;
  }
  protected readonly protocolName = 'A Bambu printer in LAN mode';
  private client: MqttClient | null = null;
  private report: BambuPrint = {};
  private readonly ams = new AmsState();
  private sequence = 0;
  private stopRequested = false;
  private controlRefused: string | null = null;
  /** Set while `openSession` waits for the first report with the printer's state. */
  private awaitingReport: (() => void) | null = null;
  /** Commands waiting for the printer's echo with a result, by sequence id; bounded by `ackTimeoutMs`. */
  private readonly acks = new Map<string, (result: { ok: boolean; reason: string }) => void>();

  constructor(private readonly opts: BambuDriverOptions) {
    super({ ...opts, label: `Bambu printer ${opts.serial} at ${opts.host}` });
  }

  private get trust(): BambuTrust {
    return { serial: this.opts.serial, anchors: this.opts.trust?.anchors ?? [], pin: this.opts.trust?.pin ?? null };
  }

  /** A refused certificate explained (which one came, and why), or null when the failure was something else. */
  private async certificateRefusal(err: unknown, port: number): Promise<AppError | null> {
    if (!isCertificateRefusal(err)) return null;
    return explainRefusedCertificate({ host: this.opts.host, port, trust: this.trust, label: this.deps.label, refused: err });
  }

  private get requestTopic(): string {
    return `device/${this.opts.serial}/request`;
  }

  protected async openSession(): Promise<LanSession> {
    const code = await this.requireSecret('access code');
    const mqttPort = this.opts.mqttPort ?? 8883;
    const client = mqtt.connect({
      protocol: 'mqtts',
      host: this.opts.host,
      port: mqttPort,
      username: 'bblp',
      password: code,
      clientId: `apf_${randomBytes(6).toString('hex')}`,
      ...bambuTlsOptions(this.trust),
      reconnectPeriod: 0,
      connectTimeout: this.opts.connectTimeoutMs ?? 5000,
      keepalive: this.opts.keepaliveS ?? 5,
      // The keepalive runs on the driver's clock, so how soon a frozen printer shows offline can be pinned.
      timerVariant: clockTimer(this.clock),
      clean: true,
    });
    client.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: unknown) => {
        // The socket's close follows its error; the first says why.
        if (failed) return;
        failed = true;
        client.removeAllListeners('connect');
        client.end(true);
        if (isCertificateRefusal(err)) {
          void this.certificateRefusal(err, mqttPort).then(reject);
          return;
        }
        const rc = (err as { code?: number })?.code;
        if (rc === 4 || rc === 5 || /not authori[sz]ed|bad user ?name or password/i.test(String((err as Error)?.message))) {
          reject(this.refusedSecret('access code', "check the code on the printer's screen, Settings → Network; it changes when LAN mode is switched off and on"));
        } else reject(new AppError('printer_offline', describeNetworkError(err, this.deps.label)));
      };
      client.once('connect', () => {
        client.removeListener('error', fail);
        resolve();
      });
      client.once('error', fail);
      client.once('close', () => fail(Object.assign(new Error('closed'), { code: 'ECONNRESET' })));
    });
    client.removeAllListeners('close');
    const closed = new Promise<string>((resolve) => {
      // MQTT.js reports a missed keepalive as an error just before it closes the socket: a frozen printer
      // stopped answering, it did not close anything.
      client.on('error', (err) => {
        if (/keepalive/i.test(String(err?.message))) resolve(`${this.deps.label} stopped answering.`);
      });
      client.once('close', () => resolve(`${this.deps.label} closed the connection.`));
      client.once('offline', () => resolve(`${this.deps.label} stopped answering.`));
    });
    void closed.then(() => {
      if (this.client === client) this.client = null;
      client.end(true);
    });
    try {
      const reportTopic = `device/${this.opts.serial}/report`;
      await client.subscribeAsync(reportTopic, { qos: 0 });
      this.report = {};
      const firstReport = this.firstReport(closed);
      client.on('message', (topic, payload) => {
        if (topic === reportTopic) this.onReport(payload);
      });
      this.client = client;
      // A full report once; the printer then sends changes only.
      this.publishRequest({ pushing: { sequence_id: this.nextSequence(), command: 'pushall' } });
      await firstReport;
    } catch (err) {
      client.end(true);
      throw err instanceof AppError ? err : new AppError('printer_offline', describeNetworkError(err, this.deps.label));
    }
    return { closed, close: () => client.end(true) };
  }

  /**
   * Resolves on the first report that says what the printer is doing (`gcode_state`), so the session counts as
   * up with the printer's real state: a printer already printing never shows idle in between. A printer that
   * stays silent (a wrong serial number reaches nobody) fails the attempt with that said.
   */
  private firstReport(closed: Promise<string>): Promise<void> {
    const waitMs = this.opts.firstReportTimeoutMs ?? FIRST_REPORT_MS;
    return new Promise<void>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.awaitingReport = null;
        reject(
          new AppError(
            'printer_offline',
            `${this.deps.label} accepted the connection but sent no status within ${Math.max(1, Math.round(waitMs / 1000))} s. Check the serial number (on the printer: Settings → Device) and that LAN mode is on.`,
          ),
        );
      }, waitMs);
      this.awaitingReport = () => {
        timer.cancel();
        this.awaitingReport = null;
        resolve();
      };
      void closed.then((why) => {
        if (!this.awaitingReport) return;
        timer.cancel();
        this.awaitingReport = null;
        reject(new AppError('printer_offline', why));
      });
    });
  }

  private onReport(payload: Buffer): void {
    let msg: { print?: unknown; system?: unknown };
    try {
      msg = JSON.parse(payload.toString('utf8')) as typeof msg;
    } catch {
      return;
    }
    for (const part of [msg.print, msg.system]) {
      const echo = part as { sequence_id?: unknown; result?: unknown; reason?: unknown; command?: unknown } | undefined;
      const sequence = typeof echo?.sequence_id === 'string' || typeof echo?.sequence_id === 'number' ? String(echo.sequence_id) : null;
      if (echo && typeof echo.result === 'string' && sequence !== null) {
        const ok = !/fail/i.test(echo.result);
        this.acks.get(sequence)?.({ ok, reason: typeof echo.reason === 'string' ? echo.reason : '' });
      }
    }
    if (!msg.print) return;
    mergeReport(this.report, msg.print);
    if (typeof msg.print === 'object' && this.ams.merge(msg.print as Record<string, unknown>)) {
      const trays = this.ams.trays();
      this.trays = trays.length ? trays : null;
    }
    const r = this.report;
    // Command echoes carry no state; until a report says what the printer is doing, its state stays unknown.
    if (r.gcode_state === undefined) return;
    this.awaitingReport?.();
    this.temperatures = {
      hotend: r.nozzle_temper !== undefined ? { actual: r.nozzle_temper, target: r.nozzle_target_temper ?? 0 } : null,
      bed: r.bed_temper !== undefined ? { actual: r.bed_temper, target: r.bed_target_temper ?? 0 } : null,
    };
    this.light = r.chamber_light ?? null;
    const fileName = r.subtask_name || r.gcode_file || '';
    this.applyPhase(bambuPhase(r, this.stopRequested), () =>
      this.jobProgress(fileName, (r.mc_percent ?? 0) / 100, r.mc_remaining_time !== undefined ? r.mc_remaining_time * 60 : null, bambuLayer(r)),
    );
    if (r.gcode_state !== 'RUNNING' && r.gcode_state !== 'PAUSE' && r.gcode_state !== 'PREPARE') this.stopRequested = false;
    this.publish();
  }

  private nextSequence(): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    return String(this.sequence);
  }

  /**
   * Sends a control command and waits briefly for the printer's echo. A refusal (newer firmware without
   * LAN-only/Developer mode) turns the driver into a monitor: the UI hides the controls from then on.
   */
  private async command(body: Record<string, unknown>, section: 'print' | 'system' = 'print'): Promise<void> {
    if (this.controlRefused) throw new AppError('unsupported', this.controlRefused);
    const sequence_id = this.nextSequence();
    const echo = new Promise<{ ok: boolean; reason: string } | null>((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.acks.delete(sequence_id);
        resolve(null);
      }, this.opts.ackTimeoutMs ?? 3000);
      this.acks.set(sequence_id, (r) => {
        timer.cancel();
        this.acks.delete(sequence_id);
        resolve(r);
      });
    });
    this.publishRequest({ [section]: { sequence_id, ...body } });
    const result = await echo;
    if (result && !result.ok) {
      this.controlRefused =
        `${this.deps.label} refused the ${String(body.command)} command${result.reason ? ` (${result.reason.trim().replace(/[.\s]+$/, '')})` : ''}. ` +
        'Newer Bambu firmware only accepts control from other apps in LAN-only mode with Developer mode on; until then the app can only watch this printer.';
      this.info(this.controlRefused);
      this.publish();
      throw new AppError('unsupported', this.controlRefused);
    }
  }

  private publishRequest(message: unknown): void {
    if (!this.client) throw new AppError('printer_offline', `${this.deps.label} is not connected.`);
    this.client.publish(this.requestTopic, JSON.stringify(message), { qos: 0 });
  }

  private async gcodeLine(lines: string | string[]): Promise<void> {
    this.requireUp();
    const text = (Array.isArray(lines) ? lines : [lines]).join('\n');
    await this.command({ command: 'gcode_line', param: `${text}\n` });
  }

  protected override async runGcode(text: string | string[]): Promise<void> {
    await this.gcodeLine(text);
  }

  /** The chamber light; its new state shows once the printer reports it (`lights_report`), never assumed. */
  async setLight(on: boolean): Promise<void> {
    this.requireUp();
    await this.command(
      { command: 'ledctrl', led_node: 'chamber_light', led_mode: on ? 'on' : 'off', led_on_time: 500, led_off_time: 500, loop_times: 0, interval_time: 0 },
      'system',
    );
  }

  /** The printer reports the job by its subtask name: the file name without its extension. */
  protected override jobName(fileName: string): string {
    return fileName.replace(/\.gcode\.3mf$|\.3mf$|\.gcode$/i, '');
  }

  protected async uploadAndStart(source: PrintSource, fileName: string): Promise<void> {
    const is3mf = /\.3mf$/i.test(fileName);
    const tail = new TailKeeper();
    await this.upload(source, fileName, is3mf ? (chunk) => tail.push(chunk) : null);
    let plate: string | undefined;
    if (is3mf) {
      // The plate to print comes from the file itself; a project saved without slicing has none.
      const plates = slicedPlates(zipEntryNames(tail.tail()) ?? []);
      if (!plates.length) throw new AppError('invalid_input', `${fileName} holds no sliced plate. Slice it in Bambu Studio or OrcaSlicer and export it as a .gcode.3mf.`);
      plate = plates[0];
      if (plates.length > 1) this.info(`${fileName} has ${plates.length} plates; printing ${plate}.`);
    }
    this.info(`Uploaded ${fileName}; starting the print.`);
    const start = startCommand(fileName, '', plate, source.amsTray ?? null) as { print: Record<string, unknown> };
    delete start.print.sequence_id;
    await this.command(start.print);
  }

  private async upload(source: PrintSource, fileName: string, tap: ((chunk: Uint8Array) => void) | null): Promise<void> {
    const code = await this.requireSecret('access code');
    const ftp = new FtpClient(600_000);
    try {
      await ftp.access({
        host: this.opts.host,
        port: this.opts.ftpPort ?? 990,
        user: 'bblp',
        password: code,
        secure: 'implicit',
        // Control and data connections alike: the file is as private as the code.
        secureOptions: bambuTlsOptions(this.trust),
      });
      async function* tapped() {
        for await (const chunk of source.open()) {
          tap?.(chunk);
          yield chunk;
        }
      }
      await ftp.uploadFrom(Readable.from(tapped()), fileName);
    } catch (err) {
      if (err instanceof AppError) throw err;
      const refused = await this.certificateRefusal(err, this.opts.ftpPort ?? 990);
      if (refused) throw refused;
      const ftpCode = (err as { code?: number }).code;
      if (ftpCode === 530) throw this.refusedSecret('access code', 'for the upload');
      if (typeof ftpCode === 'number') {
        const said = String((err as Error).message ?? '')
          .replace(/^\d{3}\s*/, '')
          .replace(/[.\s]+$/, '')
          .slice(0, 160);
        throw new AppError('printer_error', `${this.deps.label} refused the upload (FTP ${ftpCode}${said ? `: ${said}` : ''}). Is an SD card inserted?`, { ftpCode });
      }
      throw new AppError('printer_offline', `The upload to ${this.deps.label} failed: ${describeNetworkError(err, `${this.opts.host}:${this.opts.ftpPort ?? 990}`)}`);
    } finally {
      ftp.close();
    }
  }

  protected async jobControl(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    if (action === 'cancel') this.stopRequested = true;
    await this.command({ command: action === 'cancel' ? 'stop' : action });
  }
}

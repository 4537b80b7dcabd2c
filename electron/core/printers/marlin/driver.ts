import { AppError } from '../../errors';
import { systemClock, type Clock } from '../../ports/clock';
import type { ConsoleEntry, PrintSource, PrinterDriver } from '../driver';
import type { JobEnd } from '../model';
import type { Axis, FirmwareInfo, Heater, HeaterReading, JobProgress, Position, PrinterAttention, PrinterCapabilities, PrinterState, PrinterStatus, Temperatures } from '../model';
import { Emitter } from './emitter';
import { commandCode } from './framing';
import { MarlinHost, type HostEvents, type HostState, type MarlinHostOptions } from './host';
import { JobStreamer, type JobOutcome, type JobScripts, type JobSnapshot } from './job-streamer';
import type { TemperatureReport } from './responses';
import type { ByteTransport } from './transport';

export interface MarlinDriverOptions {
  host?: Omit<MarlinHostOptions, 'clock'>;
  scripts?: Partial<JobScripts>;
  /** Highest set points accepted from the UI, °C. */
  maxHotendC?: number;
  maxBedC?: number;
}

export interface MarlinDriverDeps {
  /** Opens a fresh link on every connect (a serial port, a pty, or the in-process virtual board). */
  transport: () => Promise<ByteTransport> | ByteTransport;
  clock?: Clock;
  options?: MarlinDriverOptions;
}

/** What happened to the last print; also sent as a `job` event. */
export type JobReport = {
  fileName: string;
  outcome: JobOutcome;
  /** True when the print ended because the firmware stopped itself (thermal fault, kill, emergency stop). */
  firmwareHalted: boolean;
  at: number;
};

const CAPABILITIES: PrinterCapabilities = {
  setTemperature: true,
  home: true,
  jog: true,
  extrude: true,
  fan: true,
  motorsOff: true,
  console: true,
  emergencyStop: true,
  print: true,
  light: false,
};

/**
 * A USB (or virtual) Marlin printer behind the common PrinterDriver interface: it owns one MarlinHost and
 * at most one JobStreamer, and turns their events into PrinterStatus and console entries.
 */
export class MarlinDriver implements PrinterDriver {
  readonly capabilities = CAPABILITIES;
  private readonly clock: Clock;
  private readonly host: MarlinHost;
  private readonly statusEvents = new Emitter<{ status: PrinterStatus; console: ConsoleEntry; job: JobReport }>();
  private temperatures: Temperatures = { hotend: null, bed: null };
  private position: Position | null = null;
  private firmware: FirmwareInfo | null = null;
  private job: JobStreamer | null = null;
  private lastJob: JobReport | null = null;
  private connecting: Promise<void> | null = null;
  private offlineReason: string | null = null;
  /** Set while the printer waits for a person (out of filament); cleared when it resumes or the job ends. */
  private attention: PrinterAttention | null = null;
  private disposed = false;
  private readonly maxHotendC: number;
  private readonly maxBedC: number;

  constructor(private readonly deps: MarlinDriverDeps) {
    this.clock = deps.clock ?? systemClock;
    const options = deps.options ?? {};
    this.maxHotendC = options.maxHotendC ?? 300;
    this.maxBedC = options.maxBedC ?? 130;
    this.host = new MarlinHost({ ...options.host, clock: this.clock });
    this.host.events.on('state', (s) => this.onHostState(s));
    this.host.events.on('temperatures', (t) => this.onTemperatures(t));
    this.host.events.on('position', (p) => {
      this.position = p;
      this.publish();
    });
    this.host.events.on('firmware', ({ report, capabilities }) => {
      this.firmware = { name: report.name, machineType: report.machineType, capabilities };
      this.publish();
    });
    this.host.events.on('sent', (e) => this.onSent(e));
    this.host.events.on('received', (e) => this.onReceived(e));
    this.host.events.on('notice', (text) => this.info(text));
    this.host.events.on('action', ({ action, argument }) => this.onAction(action, argument));
  }

  status(): PrinterStatus {
    const status: PrinterStatus = { state: this.computeState(), temperatures: this.temperatures, position: this.position, firmware: this.firmware };
    if (this.attention) status.attention = this.attention;
    return status;
  }

  onStatus(listener: (status: PrinterStatus) => void): () => void {
    return this.statusEvents.on('status', listener);
  }

  onConsole(listener: (entry: ConsoleEntry) => void): () => void {
    return this.statusEvents.on('console', listener);
  }

  /** The end of every print (completed, cancelled, or interrupted at a line). */
  onJob(listener: (report: JobReport) => void): () => void {
    return this.statusEvents.on('job', listener);
  }

  onJobEnd(listener: (end: JobEnd) => void): () => void {
    return this.statusEvents.on('job', ({ fileName, outcome, firmwareHalted, at }) => {
      const common = { fileName, at };
      if (outcome.kind === 'completed') listener({ ...common, outcome: { kind: 'completed' } });
      else if (outcome.kind === 'cancelled') listener({ ...common, outcome: { kind: 'cancelled' } });
      // A halted firmware cannot continue the print; a dropped link can, from `atLine`.
      else if (firmwareHalted) listener({ ...common, outcome: { kind: 'failed', reason: outcome.reason } });
      else listener({ ...common, outcome: { kind: 'interrupted', reason: outcome.reason, atLine: outcome.atLine } });
    });
  }

  lastJobReport(): JobReport | null {
    return this.lastJob;
  }

  /** Streaming figures for the printer screen (null when no print is running). */
  jobSnapshot(): JobSnapshot | null {
    return this.job?.snapshot() ?? null;
  }

  async connect(): Promise<void> {
    this.assertUsable();
    if (this.host.state().kind === 'ready') return;
    if (this.connecting) return this.connecting;
    this.connecting = (async () => {
      this.offlineReason = null;
      let transport: ByteTransport;
      try {
        transport = await this.deps.transport();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.offlineReason = message;
        this.publish();
        throw err instanceof AppError ? err : new AppError('printer_offline', message);
      }
      await this.host.connect(transport);
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  async disconnect(): Promise<void> {
    this.job?.interrupt('Disconnected by the user.');
    await this.host.close();
    this.offlineReason = null;
    this.publish();
  }

  async setTemperature(heater: Heater, celsius: number): Promise<void> {
    const max = heater === 'hotend' ? this.maxHotendC : this.maxBedC;
    if (!Number.isFinite(celsius) || celsius < 0 || celsius > max) {
      throw new AppError('invalid_input', `The ${heater} temperature must be between 0 and ${max} °C.`);
    }
    const value = Math.round(celsius);
    await this.command(heater === 'hotend' ? `M104 S${value}` : `M140 S${value}`);
    const current = this.temperatures[heater];
    this.temperatures = { ...this.temperatures, [heater]: { actual: current?.actual ?? 0, target: value } };
    this.publish();
  }

  async home(axes: readonly Axis[]): Promise<void> {
    this.assertNotPrinting('home');
    const which = axes.length ? ` ${[...new Set(axes)].map((a) => a.toUpperCase()).join(' ')}` : '';
    await this.command(`G28${which}`);
    await this.refreshPosition();
  }

  async jog(delta: Partial<Record<Axis, number>>, feedrateMmPerMin: number): Promise<void> {
    this.assertNotPrinting('move');
    const moves = (['x', 'y', 'z'] as const).filter((a) => delta[a] !== undefined && delta[a] !== 0);
    for (const a of moves) {
      if (!Number.isFinite(delta[a]!)) throw new AppError('invalid_input', `The ${a.toUpperCase()} distance must be a number.`);
    }
    if (!moves.length) return;
    assertFeedrate(feedrateMmPerMin);
    const words = moves.map((a) => `${a.toUpperCase()}${fmt(delta[a]!)}`).join(' ');
    await Promise.all([this.command('G91'), this.command(`G1 ${words} F${Math.round(feedrateMmPerMin)}`), this.command('G90')]);
    await this.refreshPosition();
  }

  async extrude(mm: number, feedrateMmPerMin: number): Promise<void> {
    this.assertNotPrinting('extrude');
    if (!Number.isFinite(mm) || mm === 0) throw new AppError('invalid_input', 'The extrusion length must be a non-zero number of millimetres.');
    assertFeedrate(feedrateMmPerMin);
    await Promise.all([this.command('G91'), this.command(`G1 E${fmt(mm)} F${Math.round(feedrateMmPerMin)}`), this.command('G90')]);
  }

  async setFan(fraction: number): Promise<void> {
    if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) throw new AppError('invalid_input', 'The fan speed must be between 0 and 1.');
    await this.command(fraction === 0 ? 'M107' : `M106 S${Math.round(fraction * 255)}`);
  }

  async motorsOff(): Promise<void> {
    this.assertNotPrinting('turn the motors off');
    await this.command('M84');
  }

  async sendCommand(line: string): Promise<string[]> {
    this.assertUsable();
    return this.host.send(line, 'user');
  }

  async emergencyStop(): Promise<void> {
    this.assertUsable();
    // M112 first: the host halts and the job ends with that reason, as a failure, not a resumable interruption.
    await this.host.sendEmergency('M112');
    this.job?.interrupt('Emergency stop.');
  }

  async startPrint(source: PrintSource): Promise<void> {
    this.assertUsable();
    if (this.job) throw new AppError('conflict', `The printer is already printing ${this.job.snapshot().fileName}.`);
    this.requireReady();
    const job = new JobStreamer(this.host, source, {
      clock: this.clock,
      scripts: this.deps.options?.scripts,
      currentTargets: () => ({ hotend: this.temperatures.hotend?.target ?? 0, bed: this.temperatures.bed?.target ?? 0 }),
    });
    this.job = job;
    this.steadyPhase = 'printing';
    job.events.on('progress', () => this.publish());
    job.events.on('phase', (phase) => {
      if (phase === 'printing' || phase === 'paused') this.steadyPhase = phase;
      this.publish();
    });
    job.events.on('notice', (text) => this.info(text));
    void job.done.then((outcome) => this.onJobFinished(job, outcome));
    this.info(`Printing ${source.name}.`);
    job.start();
    this.publish();
  }

  async pause(): Promise<void> {
    await this.activeJob().pause();
  }

  async resume(): Promise<void> {
    await this.activeJob().resume();
  }

  async cancel(): Promise<void> {
    await this.activeJob().cancel();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.disconnect().catch(() => undefined);
    this.disposed = true;
    this.host.events.clear();
    this.statusEvents.clear();
  }

  // ---------------------------------------------------------------- state mapping

  private computeState(): PrinterState {
    const s = this.host.state();
    switch (s.kind) {
      case 'closed':
        return { kind: 'offline', reason: this.offlineReason };
      case 'disconnected':
        return { kind: 'offline', reason: this.withJobNote(s.reason) };
      case 'connecting':
        return { kind: 'connecting' };
      case 'halted':
        return { kind: 'error', message: this.withJobNote(s.message) };
      case 'ready':
        break;
    }
    const job = this.job;
    if (job) {
      const snap = job.snapshot();
      const progress = toProgress(snap, this.clock.now(), job.layersInFile);
      // Pausing, resuming and cancelling stay states of the job: the print is still on the printer.
      if (snap.phase === 'paused') return { kind: 'paused', job: progress };
      if (snap.phase === 'cancelling') return { kind: this.steadyPhase, job: progress, phase: 'cancelling' };
      if (snap.phase === 'pausing' || snap.phase === 'resuming') return { kind: 'printing', job: progress, phase: snap.phase };
      return { kind: 'printing', job: progress };
    }
    if (this.host.blockingInProgress()) return { kind: 'busy', what: this.blockingWhat() };
    return { kind: 'idle' };
  }

  /** Whether the job was printing or paused when its cancel began: the state keeps saying so until it ends. */
  private steadyPhase: 'printing' | 'paused' = 'printing';

  private withJobNote(message: string): string {
    const last = this.lastJob;
    if (!last || last.outcome.kind !== 'interrupted') return message;
    return `${message} The print of ${last.fileName} stopped at line ${last.outcome.atLine}.`;
  }

  private blockingWhat(): string {
    const codes = this.pendingBlockingCodes;
    if (codes.has('M109') || codes.has('M190') || codes.has('M191')) return 'Heating';
    if (codes.has('G28')) return 'Homing';
    if (codes.has('G29')) return 'Probing the bed';
    return 'Working';
  }

  private readonly pendingBlockingCodes = new Set<string>();

  private onHostState(_state: HostState): void {
    this.publish();
  }

  private onTemperatures(report: TemperatureReport): void {
    const hotend = report.T ?? report.T0;
    const bed = report.B;
    this.temperatures = {
      hotend: hotend ? merge(this.temperatures.hotend, hotend) : this.temperatures.hotend,
      bed: bed ? merge(this.temperatures.bed, bed) : this.temperatures.bed,
    };
    this.publish();
  }

  private onJobFinished(job: JobStreamer, outcome: JobOutcome): void {
    if (this.job !== job) return;
    this.job = null;
    const fileName = job.snapshot().fileName;
    this.lastJob = { fileName, outcome, firmwareHalted: this.host.state().kind === 'halted', at: this.clock.now() };
    this.attention = null;
    if (outcome.kind === 'completed') this.info(`Finished printing ${fileName} (${outcome.lines} lines).`);
    else if (outcome.kind === 'cancelled') this.info(`Cancelled ${fileName} at line ${outcome.atLine}.`);
    else this.info(`The print of ${fileName} was interrupted at line ${outcome.atLine}: ${outcome.reason}`);
    this.statusEvents.emit('job', this.lastJob);
    this.publish();
  }

  private clearAttention(): void {
    if (!this.attention) return;
    this.attention = null;
    this.publish();
  }

  private onAction(action: string, argument: string): void {
    // `paused`/`resumed` report what the firmware did by itself (M600 or a runout it handles): it holds the
    // command in progress meanwhile, so the stream simply waits. The job streamer has no phase for a pause
    // it did not make, so these are only logged; the user resumes on the printer.
    // Marlin's runout handling says `out_of_filament T0` (or pauses naming the runout): a person must load filament.
    if (action === 'out_of_filament' || (action === 'paused' && /filament|runout/i.test(argument))) {
      this.attention = {
        kind: 'filament',
        message: `The printer ran out of filament${/T\d/.test(argument) ? ` (${argument.match(/T\d+/)![0]})` : ''}: load filament, then resume on the printer.`,
      };
      this.publish();
    }
    if (action === 'out_of_filament') return this.info('The printer says it is out of filament.');
    if (action === 'paused') return this.info(`The printer paused the print by itself${argument ? ` (${argument})` : ''}. Resume it on the printer.`);
    if (action === 'resumed') {
      this.clearAttention();
      return this.info('The printer resumed the print.');
    }
    this.info(`Printer asks: ${action}${argument ? ` ${argument}` : ''}`);
    // The printer's own buttons (or its filament sensor) ask the host to pause, resume or cancel.
    const job = this.job;
    if (!job) return;
    const phase = job.snapshot().phase;
    if (action === 'pause' && phase === 'printing') void job.pause().catch(() => undefined);
    else if (action === 'resume' && phase === 'paused') void job.resume().catch(() => undefined);
    else if (action === 'cancel') void job.cancel().catch(() => undefined);
  }

  // ---------------------------------------------------------------- console

  private onSent(e: HostEvents['sent']): void {
    const code = commandCode(e.line);
    if (e.origin === 'job') return;
    if (e.origin === 'internal' && (code === 'M105' || code === 'M114')) return;
    if (e.origin === 'user' || e.origin === 'internal') {
      if (code === 'M109' || code === 'M190' || code === 'M191' || code === 'G28' || code === 'G29') {
        this.pendingBlockingCodes.add(code);
        this.publish();
      }
    }
    this.emitConsole('sent', e.origin === 'resend' ? `${e.line} (resend)` : e.line);
  }

  private onReceived(e: HostEvents['received']): void {
    const r = e.response;
    if (r.kind === 'wait' || r.kind === 'busy') return;
    // Auto-reports and the driver's own polls are shown as figures, not as console lines.
    if ((r.kind === 'temperature' || r.kind === 'position') && e.for !== 'user') return;
    if (r.kind === 'ok') {
      this.clearFinishedBlocking();
      // A bare ok per streamed line would drown everything else out.
      if (this.job || r.text === 'ok' || r.temperatures) return;
    }
    this.emitConsole('received', e.line);
  }

  private clearFinishedBlocking(): void {
    if (this.pendingBlockingCodes.size && !this.host.blockingInProgress()) {
      this.pendingBlockingCodes.clear();
      this.publish();
    }
  }

  private info(text: string): void {
    this.emitConsole('info', text);
  }

  private emitConsole(direction: ConsoleEntry['direction'], line: string): void {
    this.statusEvents.emit('console', { at: this.clock.now(), direction, line });
  }

  // ---------------------------------------------------------------- helpers

  private publish(): void {
    if (this.disposed) return;
    this.statusEvents.emit('status', this.status());
  }

  private async command(line: string): Promise<string[]> {
    this.assertUsable();
    this.requireReady();
    return this.host.send(line, 'user');
  }

  private async refreshPosition(): Promise<void> {
    try {
      await this.host.send('M114', 'internal');
    } catch {
      // Position is informative; a failure here is reported by the command that caused it.
    }
  }

  private requireReady(): void {
    const s = this.host.state();
    if (s.kind === 'ready') return;
    if (s.kind === 'halted') throw new AppError('printer_error', s.message);
    if (s.kind === 'connecting') throw new AppError('printer_offline', 'The printer is still connecting.');
    throw new AppError('printer_offline', s.kind === 'disconnected' ? s.reason : 'The printer is not connected. Connect it first.');
  }

  private assertNotPrinting(what: string): void {
    const phase = this.job?.snapshot().phase;
    if (phase && phase !== 'paused') throw new AppError('conflict', `Cannot ${what} while a print is running. Pause it first.`);
  }

  private activeJob(): JobStreamer {
    this.assertUsable();
    if (!this.job) throw new AppError('conflict', 'No print is running.');
    return this.job;
  }

  private assertUsable(): void {
    if (this.disposed) throw new AppError('internal', 'This printer driver was disposed.');
  }
}

function merge(previous: HeaterReading | null, value: { actual: number; target: number | null }): HeaterReading {
  return { actual: value.actual, target: value.target ?? previous?.target ?? 0 };
}

function toProgress(snap: JobSnapshot, now: number, totalLayers: number | null): JobProgress {
  const elapsedS = (now - snap.startedAt) / 1000;
  const remaining = snap.fraction > 0.01 && elapsedS > 5 ? Math.round((elapsedS / snap.fraction) * (1 - snap.fraction)) : null;
  return {
    fileName: snap.fileName,
    fraction: snap.fraction,
    linesSent: snap.linesAcked,
    linesTotal: snap.linesTotal,
    startedAt: snap.startedAt,
    remainingSeconds: remaining,
    ...(snap.layer > 0 ? { layer: { current: snap.layer, total: totalLayers } } : {}),
  };
}

function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

function assertFeedrate(f: number): void {
  if (!Number.isFinite(f) || f <= 0) throw new AppError('invalid_input', 'The feed rate must be a positive number of mm/min.');
}

import { CredentialError } from '../../credentials/credential-error';
import { CertificateError } from './certificate-error';
import { AppError } from '../../errors';
import { systemClock, type Clock } from '../../ports/clock';
import type { ConsoleEntry, PrintSource, PrinterDriver } from '../driver';
import { Emitter } from '../marlin/emitter';
import type {
  Axis,
  CertificateProblem,
  CredentialProblem,
  FirmwareInfo,
  Heater,
  JobEnd,
  JobOutcome,
  JobProgress,
  Position,
  PrinterCapabilities,
  PrinterState,
  PrinterStatus,
  ReportedTray,
  Temperatures,
} from '../model';
import { Backoff, type BackoffOptions } from './backoff';

/** One live connection to a network printer. `closed` resolves (never rejects) with why it ended. */
export interface LanSession {
  readonly closed: Promise<string | AppError>;
  close(): void;
}

/**
 * What a protocol reports, in common terms; `applyPhase` turns it into the printer state and ends the
 * print this app started when the phase says it ended. Each protocol maps its own words onto this.
 */
export type ReportedPhase =
  { kind: 'printing' } | { kind: 'paused' } | { kind: 'idle'; ended?: JobOutcome } | { kind: 'busy'; what: string } | { kind: 'error'; message: string; ended?: JobOutcome };

export interface LanDriverDeps {
  /** How the printer is named in messages, e.g. "OctoPrint at http://octopi.local". Never holds a secret. */
  label: string;
  clock?: Clock;
  backoff?: BackoffOptions;
  /**
   * Reads this printer's API key or access code from the credential store: null when the printer has none,
   * a CredentialError when it has one that is not held on this computer.
   */
  secret?: () => Promise<string | null>;
}

type Link =
  { kind: 'down'; reason: string | null; credential?: CredentialProblem; certificate?: CertificateProblem } | { kind: 'connecting' } | { kind: 'up'; session: LanSession };

interface OwnJob {
  /** The name the printer knows the file by (what its reports say): the name it stored, which may differ. */
  fileName: string;
  /** The user's name for it, shown while it prints. */
  displayName: string;
  startedAt: number;
  /** Set once the printer reported this job running; a stale "complete" from the previous print cannot end it before that. */
  seenActive: boolean;
}

/**
 * What every network driver shares: the connection supervisor (reconnect with exponential backoff, offline
 * state with its reason), the job bookkeeping behind `onJobEnd` (a printer that vanishes mid-print ends the
 * job as interrupted), and the status fan-out. A protocol supplies `openSession` and its commands.
 */
export abstract class LanDriver implements PrinterDriver {
  abstract readonly capabilities: PrinterCapabilities;
  /** The protocol's name for "X cannot do this" messages. */
  protected abstract readonly protocolName: string;
  protected readonly clock: Clock;
  protected temperatures: Temperatures = { hotend: null, bed: null };
  protected position: Position | null = null;
  protected firmware: FirmwareInfo | null = null;
  /** The light as last reported, for protocols that report one. */
  protected light: 'on' | 'off' | null = null;
  /** The filament holders the printer reports (Bambu's AMS); null when it reports none. */
  protected trays: ReportedTray[] | null = null;
  private readonly events = new Emitter<{ status: PrinterStatus; console: ConsoleEntry; job: JobEnd }>();
  private readonly backoff: Backoff;
  private link: Link = { kind: 'down', reason: null };
  /**
   * What the printer last reported; null from each (re)connect until its first report, so the window between
   * the link coming up and the first report shows `connecting`, never a guessed idle the queue could act on.
   */
  private protocolState: PrinterState | null = null;
  private ownJob: OwnJob | null = null;
  private wanted = false;
  private disposed = false;
  private attempt: Promise<void> | null = null;
  private retry: { cancel(): void } | null = null;
  /** When each file was first seen printing, for prints this app did not start. */
  private observedStart: { fileName: string; at: number } | null = null;
  /**
   * A print seen running that this app did not start (started on the printer's screen, its web page, another
   * host). Its end is reported too, with the protocol's own outcome, so history counts it exactly instead of
   * guessing from the state. Kept across a lost link: the printer goes on printing without us.
   */
  private foreignJob: { fileName: string } | null = null;

  constructor(protected readonly deps: LanDriverDeps) {
    this.clock = deps.clock ?? systemClock;
    this.backoff = new Backoff(deps.backoff);
    this.guardCommands();
  }

  /**
   * A key revoked on the printer while connected (OctoPrint keeps its push socket open after a revoke and
   * answers every REST call 403) must not leave a printer that looks idle and fails each command, nor a queue
   * that uploads to it every few seconds. Every command of every protocol passes through here, whichever class
   * implements it: a refused key moves the printer to the key-refused state at once and closes its session.
   */
  private guardCommands(): void {
    const self = this as unknown as Record<GuardedCommand, (...args: unknown[]) => Promise<unknown>>;
    for (const name of GUARDED_COMMANDS) {
      const command = self[name];
      if (typeof command !== 'function') continue;
      self[name] = async (...args: unknown[]) => {
        try {
          return await command.apply(this, args);
        } catch (err) {
          if (err instanceof CredentialError) this.keyRefusedWhileConnected(err);
          throw err;
        }
      };
    }
  }

  private keyRefusedWhileConnected(err: CredentialError): void {
    if (this.link.kind !== 'up') return;
    const session = this.link.session;
    this.info(err.message);
    this.endJob({ kind: 'interrupted', reason: `${sentence(err.message)} The printer may still be printing on its own.`, atLine: null }, true);
    this.goDown(err);
    session.close();
  }

  /** Opens the protocol's connection and resolves once live status flows. Throws an AppError with a user-facing reason. */
  protected abstract openSession(): Promise<LanSession>;

  // ---------------------------------------------------------------- PrinterDriver: status

  status(): PrinterStatus {
    const status: PrinterStatus = { state: this.computeState(), temperatures: this.temperatures, position: this.position, firmware: this.firmware };
    if (this.light && this.link.kind === 'up') status.light = this.light;
    if (this.trays && this.link.kind === 'up') status.trays = this.trays;
    return status;
  }

  onStatus(listener: (status: PrinterStatus) => void): () => void {
    return this.events.on('status', listener);
  }

  onConsole(listener: (entry: ConsoleEntry) => void): () => void {
    return this.events.on('console', listener);
  }

  onJobEnd(listener: (end: JobEnd) => void): () => void {
    return this.events.on('job', listener);
  }

  // ---------------------------------------------------------------- connection supervisor

  async connect(): Promise<void> {
    if (this.disposed) throw new AppError('conflict', 'This printer connection was closed. Reopen the printer.');
    this.wanted = true;
    if (this.link.kind === 'up') return;
    if (this.attempt) return this.attempt;
    this.retry?.cancel();
    this.retry = null;
    return this.tryOnce();
  }

  async disconnect(): Promise<void> {
    this.wanted = false;
    this.retry?.cancel();
    this.retry = null;
    const link = this.link;
    this.link = { kind: 'down', reason: null };
    if (link.kind === 'up') link.session.close();
    this.endJob({ kind: 'interrupted', reason: 'Disconnected by the user. The printer may still be printing on its own.', atLine: null }, true);
    this.publish();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.disconnect().catch(() => undefined);
    this.disposed = true;
    this.events.clear();
    await this.release();
  }

  /** Frees protocol resources (agents, clients) on dispose. */
  protected async release(): Promise<void> {}

  private tryOnce(): Promise<void> {
    this.link = { kind: 'connecting' };
    this.protocolState = null;
    this.publish();
    const run = (async () => {
      let session: LanSession;
      try {
        session = await this.openSession();
      } catch (err) {
        const failure = err instanceof AppError ? err : new AppError('printer_offline', `Could not connect to ${this.deps.label}.`);
        if (this.link.kind === 'connecting') this.goDown(failure);
        throw failure;
      }
      if (!this.wanted || this.disposed) {
        session.close();
        return;
      }
      this.link = { kind: 'up', session };
      this.backoff.reset();
      this.publish();
      void session.closed.then((why) => this.onLost(session, why));
    })().finally(() => {
      this.attempt = null;
    });
    this.attempt = run;
    return run;
  }

  private onLost(session: LanSession, why: string | AppError): void {
    if (this.link.kind !== 'up' || this.link.session !== session) return;
    const reason = typeof why === 'string' ? why : why.message;
    this.info(`Connection lost: ${reason}`);
    this.endJob({ kind: 'interrupted', reason: `Lost contact with the printer: ${sentence(reason)} It may still be printing on its own.`, atLine: null }, true);
    this.goDown(why);
  }

  /**
   * Offline with the reason; retried with backoff unless the key is missing or refused, or the certificate was
   * refused (retrying cannot fix either: the user must act).
   */
  private goDown(why: string | AppError): void {
    const reason = typeof why === 'string' ? why : why.message;
    this.light = null;
    this.trays = null;
    if (why instanceof CredentialError) {
      this.link = { kind: 'down', reason, credential: { problem: why.problem, what: why.what } };
      this.publish();
      return;
    }
    if (why instanceof CertificateError) {
      this.link = { kind: 'down', reason, certificate: why.certificate };
      this.publish();
      return;
    }
    if (!this.wanted || this.disposed) {
      this.link = { kind: 'down', reason };
      this.publish();
      return;
    }
    const delay = this.backoff.next();
    this.link = { kind: 'down', reason: `${sentence(reason)} Retrying in ${Math.max(1, Math.round(delay / 1000))} s.` };
    this.retry = this.clock.setTimeout(() => {
      this.retry = null;
      if (this.wanted && !this.disposed && this.link.kind === 'down') this.tryOnce().catch(() => undefined);
    }, delay);
    this.publish();
  }

  private computeState(): PrinterState {
    switch (this.link.kind) {
      case 'down': {
        const { reason, credential, certificate } = this.link;
        return { kind: 'offline', reason, ...(credential ? { credential } : {}), ...(certificate ? { certificate } : {}) };
      }
      case 'connecting':
        return { kind: 'connecting' };
      case 'up':
        return this.protocolState ?? { kind: 'connecting' };
    }
  }

  // ---------------------------------------------------------------- for protocols

  protected isUp(): boolean {
    return this.link.kind === 'up';
  }

  /** Sets what the printer reports; a print this app started is marked as seen once it runs. */
  protected setState(state: PrinterState): void {
    this.protocolState = state;
    if (state.kind === 'printing' || state.kind === 'paused') {
      if (this.ownJob && sameFile(this.ownJob.fileName, state.job.fileName)) this.ownJob.seenActive = true;
      else if (!this.ownJob) this.foreignJob = { fileName: state.job.fileName };
    } else {
      this.observedStart = null;
    }
  }

  protected publish(): void {
    this.events.emit('status', this.status());
  }

  /** Builds the job figures from what a protocol reports; the start time is ours when we started it. */
  protected jobProgress(fileName: string, fraction: number, remainingSeconds: number | null, layer?: JobProgress['layer']): JobProgress {
    let startedAt: number;
    if (this.ownJob && sameFile(this.ownJob.fileName, fileName)) {
      startedAt = this.ownJob.startedAt;
      fileName = this.ownJob.displayName;
    } else {
      if (!this.observedStart || this.observedStart.fileName !== fileName) this.observedStart = { fileName, at: this.clock.now() };
      startedAt = this.observedStart.at;
    }
    const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
    return { fileName, fraction: clamped, linesSent: 0, linesTotal: null, startedAt, remainingSeconds, ...(layer ? { layer } : {}) };
  }

  /** Records that `startPrint` asked for this file, so its end reaches `onJobEnd`. */
  protected beginJob(fileName: string, displayName = fileName): void {
    this.ownJob = { fileName, displayName, startedAt: this.clock.now(), seenActive: false };
    this.foreignJob = null;
  }

  /** The printer may already report the print under its stored name (its report came before the upload's answer). */
  private recognizeOwnJob(): void {
    const job = this.ownJob;
    const state = this.protocolState;
    if (!job || !state || (state.kind !== 'printing' && state.kind !== 'paused') || !sameFile(job.fileName, state.job.fileName)) return;
    job.seenActive = true;
    this.observedStart = null;
    this.protocolState = { ...state, job: { ...state.job, fileName: job.displayName, startedAt: job.startedAt } };
    this.publish();
  }

  /** Forgets a job that never started (its upload or start command failed). */
  protected abandonJob(): void {
    this.ownJob = null;
  }

  protected hasOwnJob(): boolean {
    return this.ownJob !== null;
  }

  /**
   * Ends the print this app started. Protocol end states only count after the job was seen running
   * (`force` is for losing the link, which ends it whatever we saw).
   */
  protected endJob(outcome: JobOutcome, force = false): void {
    const job = this.ownJob;
    if (!job || (!job.seenActive && !force)) return;
    this.ownJob = null;
    this.events.emit('job', { fileName: job.displayName, outcome, at: this.clock.now() });
  }

  protected console(direction: ConsoleEntry['direction'], line: string): void {
    this.events.emit('console', { at: this.clock.now(), direction, line });
  }

  protected info(line: string): void {
    this.console('info', line);
  }

  protected requireUp(): void {
    if (this.disposed) throw new AppError('conflict', 'This printer connection was closed.');
    if (this.link.kind !== 'up') {
      const why = this.link.kind === 'down' && this.link.reason ? `: ${sentence(this.link.reason)}` : '.';
      throw new AppError('printer_offline', `${this.deps.label} is not connected${why}`);
    }
  }

  /** The printer's key; a CredentialError (shown with a form to enter it again) when it is not held here. */
  protected async requireSecret(what: string): Promise<string> {
    const secret = await this.optionalSecret(what);
    if (!secret) throw this.missingSecret(what);
    return secret;
  }

  /** The printer's key when it has one; a CredentialError when it has one this computer no longer holds. */
  protected async optionalSecret(what: string): Promise<string | null> {
    try {
      return this.deps.secret ? await this.deps.secret() : null;
    } catch (err) {
      if (err instanceof CredentialError) throw this.missingSecret(what);
      throw err;
    }
  }

  private missingSecret(what: string): CredentialError {
    return new CredentialError(
      'missing',
      what,
      `The ${what} for ${this.deps.label} was not saved on this computer (it was kept only until the app closed, or cannot be decrypted here). Enter it again to connect.`,
    );
  }

  /** The printer turned the key down: the same re-entry as a missing one, with the printer's reason. */
  protected refusedSecret(what: string, detail: string): CredentialError {
    return new CredentialError('refused', what, `${this.deps.label} refused the ${what}${detail ? ` (${detail})` : ''}. Enter the ${what} again.`);
  }

  /**
   * A printer that answered 401/403 when no key was sent did not refuse a key: it wants one. Says so and offers
   * to enter it (problem 'missing'); a refusal of a key that was sent passes through unchanged.
   */
  protected keyDemanded(err: unknown, secretSent: boolean): unknown {
    if (!(err instanceof CredentialError) || err.problem !== 'refused' || secretSent) return err;
    return new CredentialError(
      'missing',
      err.what,
      `${this.deps.label} needs ${/^[aeiou]/i.test(err.what) ? 'an' : 'a'} ${err.what}, and none is saved for this printer. Enter the printer's ${err.what} to connect.`,
    );
  }

  /** Maps a protocol's report onto the printer state, ending this app's print when the report says it ended. */
  protected applyPhase(phase: ReportedPhase, job: () => JobProgress): void {
    switch (phase.kind) {
      case 'printing':
      case 'paused':
        this.setState({ kind: phase.kind, job: job() });
        return;
      case 'busy':
        this.setState({ kind: 'busy', what: phase.what });
        return;
      case 'idle':
        this.setState({ kind: 'idle' });
        break;
      case 'error':
        this.setState({ kind: 'error', message: phase.message });
        break;
    }
    if (phase.ended && this.ownJob) this.endJob(phase.ended);
    else if (phase.ended && this.foreignJob) this.events.emit('job', { fileName: this.foreignJob.fileName, outcome: phase.ended, at: this.clock.now() });
    // Idle or in error, nothing runs: a later end state belongs to a print seen afresh.
    this.foreignJob = null;
  }

  protected unsupported(what: string): never {
    throw new AppError('unsupported', `${this.protocolName} does not let the app ${what}.`);
  }

  protected requirePrinting(): void {
    this.requireUp();
    const kind = this.protocolState?.kind;
    if (kind !== 'printing' && kind !== 'paused') throw new AppError('conflict', 'No print is running on this printer.');
  }

  protected requireIdleForPrint(): void {
    this.requireUp();
    const state = this.protocolState;
    if (!state) throw new AppError('conflict', `${this.deps.label} has not reported its state yet. Try again in a moment.`);
    if (state.kind === 'printing' || state.kind === 'paused') throw new AppError('conflict', `The printer is already printing ${state.job.fileName}.`);
    if (state.kind === 'error') throw new AppError('printer_error', `The printer reports an error: ${state.message}`);
  }

  // ---------------------------------------------------------------- commands (protocols override what they support)

  // Manual controls are G-code on every protocol that takes G-code text; such a protocol overrides only
  // `runGcode`. A protocol with its own endpoints (OctoPrint's REST) overrides the control itself.
  async setTemperature(heater: Heater, celsius: number): Promise<void> {
    checkTemperature(heater, celsius);
    await this.runGcode(gcode.temperature(heater, celsius), 'set temperatures');
  }
  async home(axes: readonly Axis[]): Promise<void> {
    await this.runGcode(gcode.home(axes), 'home the axes');
  }
  async jog(delta: Partial<Record<Axis, number>>, feed: number): Promise<void> {
    await this.runGcode(gcode.jog(delta, feed), 'move the head');
  }
  async extrude(mm: number, feed: number): Promise<void> {
    await this.runGcode(gcode.extrude(mm, feed), 'extrude');
  }
  async setFan(fraction: number): Promise<void> {
    await this.runGcode(gcode.fan(fraction), 'set the fan');
  }
  async motorsOff(): Promise<void> {
    await this.runGcode('M84', 'turn the motors off');
  }
  /** Runs G-code text on the printer; protocols without a G-code path keep this refusal. */
  protected async runGcode(_text: string | string[], what: string): Promise<void> {
    this.unsupported(what);
  }
  async sendCommand(_line: string): Promise<string[]> {
    this.unsupported('send raw G-code');
  }
  async emergencyStop(): Promise<void> {
    this.unsupported('stop the printer at once');
  }

  /**
   * Uploads a file and starts it; the job is recorded first and forgotten again if the upload or start fails.
   * The file goes up under a name every server accepts (`uploadName`); the server may store it under yet
   * another (OctoPrint's universal file names), and the job is followed under the name it says it stored,
   * while the user's name is what the printer screen and history show.
   */
  async startPrint(source: PrintSource): Promise<void> {
    this.requireIdleForPrint();
    const displayName = source.name.replace(/^.*[\\/]/, '');
    const fileName = uploadName(displayName);
    if (fileName !== displayName) this.info(`Uploading ${displayName} as ${fileName}: the printer does not accept some of its characters.`);
    this.beginJob(this.jobName(fileName), displayName);
    try {
      const stored = await this.uploadAndStart(source, fileName);
      if (stored && stored !== fileName && this.ownJob) {
        this.info(`The printer stored ${fileName} as ${stored}.`);
        this.ownJob.fileName = this.jobName(stored);
        this.recognizeOwnJob();
      }
    } catch (err) {
      this.abandonJob();
      throw err;
    }
  }
  /**
   * The protocol's upload and start; `fileName` is the name to upload under. Resolves with the name the server
   * says it stored, when it says one.
   */
  protected abstract uploadAndStart(source: PrintSource, fileName: string): Promise<string | void>;
  /** How the printer will name the job it reports for this file. */
  protected jobName(fileName: string): string {
    return fileName;
  }

  async pause(): Promise<void> {
    this.requirePrinting();
    await this.jobControl('pause');
  }
  async resume(): Promise<void> {
    this.requirePrinting();
    await this.jobControl('resume');
  }
  async cancel(): Promise<void> {
    this.requirePrinting();
    await this.jobControl('cancel');
  }
  /** The protocol's pause, resume or cancel of the running print (already checked to be running). */
  protected abstract jobControl(action: 'pause' | 'resume' | 'cancel'): Promise<void>;
}

/** Every PrinterDriver command a network printer can refuse for its key (see LanDriver.guardCommands). */
const GUARDED_COMMANDS = [
  'setTemperature',
  'home',
  'jog',
  'extrude',
  'setFan',
  'motorsOff',
  'sendCommand',
  'emergencyStop',
  'setLight',
  'startPrint',
  'pause',
  'resume',
  'cancel',
] as const satisfies readonly (keyof PrinterDriver)[];
type GuardedCommand = (typeof GUARDED_COMMANDS)[number];

/** A reason as a sentence inside a longer message: one final full stop, never "answering.)." */
export function sentence(reason: string): string {
  const trimmed = reason.trim().replace(/[.\s]+$/, '');
  return trimmed ? `${trimmed}.` : '';
}

/**
 * A file name every printer server takes. PrusaLink refuses `\ ? " % ¯ ° # ˇ` (400 "Forbidden Characters"),
 * SD cards (FAT) refuse `: * < > |`, and a slash would make a folder. Those become `_`; the rest is kept.
 */
export function uploadName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = name.replace(/[\\?"%¯°#ˇ/:*<>|\u0000-\u001f\u007f]/g, '_').trim();
  return safe.replace(/^\.+/, '') || 'print.gcode';
}

/** Printers report paths ("gcodes/sub/a.gcode") or bare names (Bambu's subtask); compare by base name. */
export function sameFile(a: string, b: string): boolean {
  const base = (s: string) =>
    s
      .split('/')
      .pop()!
      .toLowerCase()
      .replace(/\.(gcode\.3mf|3mf|gcode|bgcode|gco)$/, '');
  return base(a) === base(b);
}

/** Shared G-code builders for protocols that accept raw G-code. */
export const gcode = {
  temperature: (heater: Heater, celsius: number) => (heater === 'hotend' ? `M104 S${Math.round(celsius)}` : `M140 S${Math.round(celsius)}`),
  home: (axes: readonly Axis[]) => `G28${axes.length ? ` ${[...new Set(axes)].map((a) => a.toUpperCase()).join(' ')}` : ''}`,
  jog: (delta: Partial<Record<Axis, number>>, feed: number) => {
    const words = (['x', 'y', 'z'] as const)
      .filter((a) => delta[a] !== undefined && delta[a] !== 0 && Number.isFinite(delta[a]))
      .map((a) => `${a.toUpperCase()}${round3(delta[a]!)}`);
    if (!words.length) throw new AppError('invalid_input', 'Give at least one axis a non-zero distance.');
    return ['G91', `G1 ${words.join(' ')} F${Math.round(feed)}`, 'G90'];
  },
  extrude: (mm: number, feed: number) => ['G91', `G1 E${round3(mm)} F${Math.round(feed)}`, 'G90'],
  fan: (fraction: number) => (fraction <= 0 ? 'M107' : `M106 S${Math.round(Math.min(1, fraction) * 255)}`),
};

function round3(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

export function checkTemperature(heater: Heater, celsius: number): void {
  const max = heater === 'hotend' ? 300 : 130;
  if (!Number.isFinite(celsius) || celsius < 0 || celsius > max) throw new AppError('invalid_input', `The ${heater} temperature must be between 0 and ${max} °C.`);
}

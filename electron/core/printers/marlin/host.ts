import { AppError } from '../../errors';
import { systemClock, type Clock } from '../../ports/clock';
import type { ByteTransport } from './transport';
import { Emitter } from './emitter';
import { commandCode, frameLine, isBlockingCommand, isEmergencyCommand, stripComment, wireBytes } from './framing';
import { LineSplitter } from './line-splitter';
import { parseResponse, type FirmwareReport, type MarlinResponse, type ReportedPosition, type TemperatureReport } from './responses';

/**
 * How many lines may be in flight (sent, not yet acknowledged).
 * - `pingpong`: one; the safe default every firmware accepts.
 * - `lines`: a fixed count, optionally also bounded by the firmware's serial RX buffer in bytes
 *   (character counting), so a burst can never overflow it.
 * - `advancedOk`: sized from the ADVANCED_OK `B<free>` counts the firmware reports, bounded by `maxLines`;
 *   until (or unless) the firmware reports them, `fallbackLines` in flight (default 1, ping-pong), still
 *   bounded by `rxBufferBytes`. This is "use the firmware's buffer when it says how big it is, a configured
 *   window otherwise".
 */
export type SendWindow =
  { kind: 'pingpong' } | { kind: 'lines'; lines: number; rxBufferBytes?: number } | { kind: 'advancedOk'; maxLines?: number; rxBufferBytes?: number; fallbackLines?: number };

/**
 * The default: the firmware's own window when its ok carries ADVANCED_OK's P/B counts, one line per ok until
 * (unless) it does, never more bytes in flight than Marlin's stock 128-byte RX buffer holds.
 */
export const AUTO_WINDOW: SendWindow = { kind: 'advancedOk', fallbackLines: 1, rxBufferBytes: 128 };

export interface MarlinHostOptions {
  clock?: Clock;
  window?: SendWindow;
  /** `reset`: pulse DTR (when the link can) before the hello; `hello`: only send `M110 N0` until an ok. */
  handshake?: 'reset' | 'hello';
  connectTimeoutMs?: number;
  helloIntervalMs?: number;
  /**
   * After a DTR reset, how long to wait for the board's `start` before saying hello anyway (boards on
   * native USB do not reset and never print it). Capped at half of `connectTimeoutMs`. 0 does not wait.
   */
  startWaitMs?: number;
  /** When several hellos went out, how long to wait after an ok for answers to the others (see runHello). */
  helloSettleMs?: number;
  /**
   * How long the oldest unanswered line may go without an answer to our own commands (an `ok`, a `Resend`,
   * or `busy`) before a lost `ok` is assumed and the firmware is nudged. Other output (temperature reports,
   * `wait`, noise) does not count as an answer. Not armed while a blocking command runs.
   */
  communicationTimeoutMs?: number;
  /**
   * A `wait` (Marlin's NO_TIMEOUTS: the board has had nothing to do for a second) while a line is unanswered
   * means that line or its `ok` was lost, unless the line was written so recently that the `wait` may have
   * been printed before it arrived. This is that grace.
   */
  waitGraceMs?: number;
  /** Nudges in a row without an answer before the link is declared dead. */
  maxConsecutiveTimeouts?: number;
  /** Seconds between temperature reports (M155 when offered, else M105 polling). 0 turns reporting off. */
  temperatureIntervalS?: number;
  /**
   * Seconds between position reports (M154) when the firmware offers AUTOREPORT_POS; without it the position
   * is read with M114 after moves, as before. Defaults to `temperatureIntervalS`: both are the status refresh
   * of the printer screen, and a caller that turns status reporting off (the CLI, benchmarks) gets neither.
   * 0 turns them off.
   */
  positionIntervalS?: number;
  /** Whether `Resend` is followed by an `ok` the host must not count twice. `detect` learns it. */
  resendFollowedByOk?: 'detect' | 'yes' | 'no';
  /** How long `detect` waits for the ok after a resend request before concluding there is none. */
  resendOkWaitMs?: number;
  /** Sent lines kept for resends. */
  historySize?: number;
  /** Resend requests for the same line in a row before giving up (a bad cable or baud rate). */
  maxResendsOfOneLine?: number;
  /** Name of the link for messages, e.g. `/dev/ttyUSB0`. */
  linkName?: string;
}

export type HostState = { kind: 'closed' } | { kind: 'connecting' } | { kind: 'ready' } | { kind: 'halted'; message: string } | { kind: 'disconnected'; reason: string };

export type LineOrigin = 'user' | 'internal' | 'job';

export interface HostEvents {
  state: HostState;
  sent: { line: string; origin: LineOrigin | 'emergency' | 'hello' | 'nudge' | 'resend' };
  /** `for` is who sent the oldest command still waiting, the one this output most likely answers. */
  received: { line: string; response: MarlinResponse; for: LineOrigin | null };
  temperatures: TemperatureReport;
  position: ReportedPosition;
  firmware: { report: FirmwareReport; capabilities: Record<string, boolean> };
  action: { action: string; argument: string };
  /** Something worth telling the user that is not a line of traffic (timeouts, resends, resets). */
  notice: string;
}

/** The job streamer's side of the send queue: the host pulls job lines when it has room for them. */
export interface JobFeed {
  /** The next job line (comment-free, non-empty), or null when none is ready yet. */
  next(): { command: string; tag: number } | null;
  /** The firmware acknowledged the job line with this tag. */
  acknowledged(tag: number): void;
}

interface Entry {
  command: string;
  origin: LineOrigin;
  blocking: boolean;
  /** null for lines sent without a line number (emergency commands). */
  lineNumber: number | null;
  framed: string;
  bytes: number;
  responses: string[];
  tag: number;
  settle: ((result: { ok: true; responses: string[] } | { ok: false; error: AppError }) => void) | null;
}

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  helloIntervalMs: 1_000,
  // AVR boards print `start` 1–2 s after the DTR pulse (bootloader, then Marlin's setup).
  startWaitMs: 2_000,
  // Buffered hellos are answered back to back, milliseconds apart; this is ample even over USB latency timers.
  helloSettleMs: 300,
  communicationTimeoutMs: 10_000,
  // Marlin's NO_TIMEOUTS is 1000 ms: a `wait` says the board heard nothing for at least that long.
  waitGraceMs: 1_000,
  maxConsecutiveTimeouts: 5,
  temperatureIntervalS: 2,
  resendOkWaitMs: 500,
  historySize: 2048,
  maxResendsOfOneLine: 10,
};

/**
 * The Marlin host protocol engine over one ByteTransport: handshake, numbered and checksummed lines,
 * the send window, resend recovery, timeouts and nudges, temperature reporting, and the out-of-band
 * emergency path. It never throws from I/O callbacks; failures surface as rejected command promises,
 * a `halted`/`disconnected` state and `notice` events.
 */
export class MarlinHost {
  readonly events = new Emitter<HostEvents>();
  private readonly clock: Clock;
  private readonly opts: Required<Omit<MarlinHostOptions, 'clock' | 'window' | 'handshake' | 'linkName' | 'resendFollowedByOk'>>;
  private readonly handshake: 'reset' | 'hello';
  private readonly window: SendWindow;
  private readonly linkName: string;

  private transport: ByteTransport | null = null;
  private unsubscribe: (() => void)[] = [];
  private readonly splitter = new LineSplitter();
  private hostState: HostState = { kind: 'closed' };

  private nextLineNumber = 1;
  private readonly history = new Map<number, string>();
  private readonly inFlight: Entry[] = [];
  private bytesInFlight = 0;
  private readonly priority: Entry[] = [];
  private resendQueue: Entry[] = [];
  private jobFeed: JobFeed | null = null;
  private writeBuffer = '';
  private pumping = false;

  private readonly resendOkConfigured: 'detect' | 'yes' | 'no';
  private resendOk: 'detect' | 'yes' | 'no';
  private swallowNextOk = false;
  private resendOkTimer: { cancel(): void } | null = null;
  private duplicateResends: { line: number; remaining: number } | null = null;
  private lastResendLine = -1;
  private resendsOfLastLine = 0;
  private resendCount = 0;

  private commTimer: { cancel(): void } | null = null;
  private consecutiveTimeouts = 0;
  /** When a numbered line was last written (for reading a `wait`). */
  private lastLineWrittenAt = 0;
  /**
   * The numbered M105 nudge whose answer is still due. Marlin answers M105 with `ok T:…`, unlike any job
   * line, so its ok is recognised: it acknowledges everything before the nudge (the lost ok's line) and is
   * never counted for a later line when the lost ok turns up late after all.
   */
  private nudge: { lineNumber: number } | null = null;
  /**
   * `Error:… Last Line: N` says the board has lines up to N and wants N+1. It is normally followed by
   * `Resend: N+1`; if an ok comes first, the Resend line was lost to noise and this stands in for it.
   */
  private lineErrorWants: number | null = null;
  private pollTimer: { cancel(): void } | null = null;
  private advancedBufferSlots = 0;
  /**
   * ADVANCED_OK: how many in-flight lines (from the oldest) the last ok said are already in the firmware's
   * command queue, i.e. no longer in its RX buffer. Their bytes do not count against the RX budget.
   */
  private knownQueued = 0;

  private firmware: FirmwareReport | null = null;
  private capabilities: Record<string, boolean> = {};
  private autoReportingTemperatures = false;
  private autoReportingPosition = false;

  private handshakeWaiter: { onOk(): void; onStart(): void; onOther(): void } | null = null;
  /** A `start` that arrived while the DTR reset was still being awaited, before the hello was set up. */
  private startSeen = false;
  private drainWaiters: (() => void)[] = [];

  constructor(options: MarlinHostOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.window = options.window ?? AUTO_WINDOW;
    this.handshake = options.handshake ?? 'reset';
    this.linkName = options.linkName ?? 'the printer';
    this.resendOkConfigured = options.resendFollowedByOk ?? 'detect';
    this.resendOk = this.resendOkConfigured;
    this.opts = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      helloIntervalMs: options.helloIntervalMs ?? DEFAULTS.helloIntervalMs,
      startWaitMs: options.startWaitMs ?? DEFAULTS.startWaitMs,
      helloSettleMs: options.helloSettleMs ?? DEFAULTS.helloSettleMs,
      communicationTimeoutMs: options.communicationTimeoutMs ?? DEFAULTS.communicationTimeoutMs,
      waitGraceMs: options.waitGraceMs ?? DEFAULTS.waitGraceMs,
      maxConsecutiveTimeouts: options.maxConsecutiveTimeouts ?? DEFAULTS.maxConsecutiveTimeouts,
      temperatureIntervalS: options.temperatureIntervalS ?? DEFAULTS.temperatureIntervalS,
      positionIntervalS: options.positionIntervalS ?? options.temperatureIntervalS ?? DEFAULTS.temperatureIntervalS,
      resendOkWaitMs: options.resendOkWaitMs ?? DEFAULTS.resendOkWaitMs,
      historySize: options.historySize ?? DEFAULTS.historySize,
      maxResendsOfOneLine: options.maxResendsOfOneLine ?? DEFAULTS.maxResendsOfOneLine,
    };
  }

  state(): HostState {
    return this.hostState;
  }

  firmwareInfo(): { report: FirmwareReport; capabilities: Record<string, boolean> } | null {
    return this.firmware ? { report: this.firmware, capabilities: { ...this.capabilities } } : null;
  }

  /**
   * How lines are streamed now: into the command queue the firmware reports with ADVANCED_OK (`lines` is its
   * size; the RX budget still applies), a configured window of `lines`, or one line per ok.
   */
  windowInUse(): { lines: number; source: 'firmware' | 'configured' | 'one-per-ok' } {
    if (this.window.kind === 'advancedOk' && this.advancedBufferSlots > 0) return { lines: this.advancedBufferSlots, source: 'firmware' };
    const lines = this.maxLines();
    return { lines, source: lines > 1 ? 'configured' : 'one-per-ok' };
  }

  /** Resend requests seen since connect (a cable-quality figure). */
  resends(): number {
    return this.resendCount;
  }

  /** Lines sent but not yet acknowledged plus lines waiting to be sent (job lines not yet pulled excluded). */
  pendingCount(): number {
    return this.inFlight.length + this.priority.length + this.resendQueue.length;
  }

  /**
   * Opens the conversation: optional DTR reset (then silence until the board prints `start`), then
   * `M110 N0` until the first ok, then M115 and temperature and position reporting. Rejects with a clear
   * message when the board never answers.
   */
  async connect(transport: ByteTransport): Promise<void> {
    if (this.transport) await this.close();
    this.transport = transport;
    this.resetSession();
    this.setState({ kind: 'connecting' });
    this.unsubscribe.push(
      transport.onData((chunk) => this.onChunk(chunk)),
      transport.onClose((reason) => this.onTransportClosed(reason)),
    );
    let waitForStart = false;
    this.startSeen = false;
    if (this.handshake === 'reset' && transport.resetBoard) {
      try {
        await transport.resetBoard();
        waitForStart = true;
      } catch {
        // Boards on native USB cannot be reset this way; the hello below works for them too.
      }
    }
    await this.runHello(waitForStart);
    await this.afterHandshake();
  }

  /** Closes the link; pending commands fail with printer_offline. */
  async close(): Promise<void> {
    const transport = this.transport;
    this.detach();
    this.failAll(new AppError('printer_offline', 'The connection to the printer was closed.'));
    this.setState({ kind: 'closed' });
    if (transport) await transport.close().catch(() => undefined);
  }

  /**
   * Queues one command and resolves with the lines the firmware printed before its `ok`.
   * Emergency commands (M112, M108, M410, M876) are written at once, ahead of everything queued.
   */
  send(line: string, origin: LineOrigin = 'user'): Promise<string[]> {
    const command = stripComment(line);
    if (!command) return Promise.resolve([]);
    if (isEmergencyCommand(command)) return this.sendEmergency(command);
    if (this.hostState.kind === 'halted' && commandCode(command) === 'M999') return this.restartFromHalt(command);
    const ready = this.requireReady();
    if (ready) return Promise.reject(ready);
    return new Promise((resolve, reject) => {
      const entry = this.makeEntry(command, origin, -1);
      entry.settle = (r) => (r.ok ? resolve(r.responses) : reject(r.error));
      this.priority.push(entry);
      this.pump();
    });
  }

  /**
   * Writes an emergency command immediately, unnumbered, bypassing the queue and any resend in progress.
   * For M112 the firmware stops; the host then reports `halted` until it is reconnected.
   */
  async sendEmergency(command: string): Promise<string[]> {
    const transport = this.transport;
    if (!transport) throw new AppError('printer_offline', 'The printer is not connected.');
    const code = commandCode(command);
    this.events.emit('sent', { line: command, origin: 'emergency' });
    if (code === 'M112') {
      await transport.write(`${command}\n`).catch(() => undefined);
      this.halt('Emergency stop: the printer was killed (M112). Reset it (reconnect, or power-cycle it) before printing again.');
      return [];
    }
    // Marlin acts on these at once and then also queues the line, so an ok comes back for it in order:
    // account for it as an in-flight entry placed behind everything the firmware already has.
    return new Promise((resolve, reject) => {
      const entry = this.makeEntry(command, 'user', -1);
      entry.settle = (r) => (r.ok ? resolve(r.responses) : reject(r.error));
      entry.framed = command;
      entry.bytes = wireBytes(command);
      this.inFlight.push(entry);
      this.bytesInFlight += entry.bytes;
      this.writeRaw(`${command}\n`);
      this.ensureCommTimer();
    });
  }

  /** M999 clears Marlin's stopped state; the line numbering then starts again with the hello. */
  private async restartFromHalt(command: string): Promise<string[]> {
    if (!this.transport) throw new AppError('printer_offline', 'The printer is not connected.');
    this.events.emit('sent', { line: command, origin: 'user' });
    this.setState({ kind: 'connecting' });
    this.writeRaw(`${command}\n`);
    await this.runHello(false);
    await this.afterHandshake();
    return [];
  }

  /** Attaches (or with null detaches) the job line source. Detaching stops pulling at once. */
  setJobFeed(feed: JobFeed | null): void {
    this.jobFeed = feed;
    if (feed) this.pump();
  }

  /** Tells the host the feed has lines again after returning null. */
  kick(): void {
    this.pump();
  }

  /** Resolves when nothing is queued or in flight (job lines still inside the feed do not count). */
  drain(): Promise<void> {
    if (this.pendingCount() === 0 || this.hostState.kind !== 'ready') return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** True while a blocking command (M109, M190, G28, G29, M400, …) is queued or in flight. */
  blockingInProgress(): boolean {
    return this.inFlight.some((e) => e.blocking) || this.priority.some((e) => e.blocking);
  }

  // ---------------------------------------------------------------- handshake

  /**
   * Says hello (`N0 M110 N0`, repeated every `helloIntervalMs`) until the board answers, robust against a
   * board that is still booting:
   * - After a DTR reset the bootloader runs for 1–2 s. What is sent meanwhile is lost, or (some USB bridges
   *   and native-USB stacks) held and delivered once the firmware runs. So after a reset the host stays
   *   silent until the board prints `start`, then says hello at once. If no `start` comes within
   *   `startWaitMs` (a native-USB board that did not reset), or the board prints something else (it is
   *   plainly running), the hellos begin anyway. A `start` at any point restarts the handshake.
   * - Whenever more than one hello went out, any number of them may still be answered, and each late `ok`
   *   would be taken for the answer to the next command, shifting every later reply by one (firmware
   *   unknown, empty M114). Held-back hellos are answered back to back, so after the first ok the host
   *   waits for a quiet `helloSettleMs` (restarted by every further ok) and ignores the oks in it. Every
   *   hello sets the line number to 0, so it does not matter how many of them the firmware ran. With a
   *   single hello there is nothing to drain and the handshake ends on its ok.
   */
  private async runHello(waitForStart: boolean): Promise<void> {
    const started = this.clock.now();
    this.history.clear();
    this.nextLineNumber = 1;
    await new Promise<void>((resolve, reject) => {
      let helloTimer: { cancel(): void } | null = null;
      let startTimer: { cancel(): void } | null = null;
      let settleTimer: { cancel(): void } | null = null;
      let hellosSent = 0;
      let answered = false;
      let done = false;
      const finish = (err: Error | null) => {
        if (done) return;
        done = true;
        helloTimer?.cancel();
        startTimer?.cancel();
        settleTimer?.cancel();
        deadline.cancel();
        this.handshakeWaiter = null;
        if (err) reject(err);
        else resolve();
      };
      const sendHello = () => {
        helloTimer?.cancel();
        helloTimer = null;
        if (!this.transport || done) return;
        const hello = frameLine(0, 'M110 N0');
        hellosSent++;
        this.events.emit('sent', { line: hello, origin: 'hello' });
        this.writeRaw(`${hello}\n`);
        helloTimer = this.clock.setTimeout(sendHello, this.opts.helloIntervalMs);
      };
      const beginHellos = () => {
        startTimer?.cancel();
        startTimer = null;
        sendHello();
      };
      const settle = () => {
        settleTimer?.cancel();
        settleTimer = this.clock.setTimeout(() => finish(null), this.opts.helloSettleMs);
      };
      const deadline = this.clock.setTimeout(() => {
        // Still draining answers to extra hellos: the board did answer, so the handshake succeeded.
        if (answered) return finish(null);
        const seconds = Math.round((this.clock.now() - started) / 100) / 10;
        const err = new AppError(
          'timeout',
          `${this.linkName} did not answer within ${seconds} s. Check that the printer is switched on, that the baud rate is right, and that no other program (a slicer, OctoPrint) has the port open.`,
        );
        this.setState({ kind: 'disconnected', reason: err.message });
        finish(err);
      }, this.opts.connectTimeoutMs);
      this.handshakeWaiter = {
        onStart: () => {
          // The board (re)booted: earlier answers are void and it listens from now on.
          answered = false;
          settleTimer?.cancel();
          settleTimer = null;
          beginHellos();
        },
        onOk: () => {
          // An ok before any hello answers nothing of ours, but the board is clearly up: say hello.
          if (hellosSent === 0) return beginHellos();
          if (!answered) {
            answered = true;
            helloTimer?.cancel();
            helloTimer = null;
            if (hellosSent === 1) finish(null);
            else settle();
            return;
          }
          settle(); // the answer to a held-back hello
        },
        onOther: () => {
          if (startTimer) beginHellos();
        },
      };
      this.closeDuringHandshake = (reason) => finish(new AppError('printer_offline', reason));
      const startWait = Math.min(this.opts.startWaitMs, this.opts.connectTimeoutMs / 2);
      if (waitForStart && !this.startSeen && startWait > 0) startTimer = this.clock.setTimeout(beginHellos, startWait);
      else sendHello();
    }).finally(() => {
      this.closeDuringHandshake = null;
    });
    this.nextLineNumber = 1;
    this.setState({ kind: 'ready' });
  }

  private closeDuringHandshake: ((reason: string) => void) | null = null;

  private async afterHandshake(): Promise<void> {
    try {
      const lines = await this.send('M115', 'internal');
      const caps: Record<string, boolean> = {};
      let report: FirmwareReport | null = null;
      for (const line of lines) {
        const r = parseResponse(line);
        if (r.kind === 'firmware') report = r.report;
        else if (r.kind === 'capability') caps[r.name] = r.enabled;
      }
      // Capability lines may also have arrived outside the M115 answer (collected in onLine).
      this.capabilities = { ...this.capabilities, ...caps };
      this.firmware = report ?? this.firmware ?? { name: 'unknown', machineType: null, fields: {} };
      this.events.emit('firmware', { report: this.firmware, capabilities: { ...this.capabilities } });
    } catch (err) {
      if (this.hostState.kind !== 'ready') throw err;
      // Firmware without M115 still prints; it just gets polled.
    }
    await this.startReporting();
  }

  private async startReporting(): Promise<void> {
    const interval = this.opts.temperatureIntervalS;
    if (interval > 0 && this.capabilities.AUTOREPORT_TEMP) {
      try {
        await this.send(`M155 S${interval}`, 'internal');
        this.autoReportingTemperatures = true;
      } catch {
        this.autoReportingTemperatures = false;
      }
    }
    if (this.opts.positionIntervalS > 0 && this.capabilities.AUTOREPORT_POS) {
      try {
        await this.send(`M154 S${this.opts.positionIntervalS}`, 'internal');
        this.autoReportingPosition = true;
      } catch {
        this.autoReportingPosition = false;
      }
    }
    if (interval > 0 && !this.autoReportingTemperatures) {
      this.pollTimer = this.clock.setInterval(() => this.pollTemperatures(), interval * 1000);
      this.pollTemperatures();
    }
  }

  private pollTemperatures(): void {
    if (this.hostState.kind !== 'ready') return;
    // Never poll behind a blocking command: the poll would sit in the queue and the firmware
    // reports temperatures on its own while M109/M190 wait.
    if (this.blockingInProgress()) return;
    if (this.inFlight.some((e) => e.command === 'M105') || this.priority.some((e) => e.command === 'M105')) return;
    this.send('M105', 'internal').catch(() => undefined);
  }

  // ---------------------------------------------------------------- sending

  private makeEntry(command: string, origin: LineOrigin, tag: number): Entry {
    return { command, origin, blocking: isBlockingCommand(command), lineNumber: null, framed: '', bytes: 0, responses: [], tag, settle: null };
  }

  private requireReady(): AppError | null {
    const s = this.hostState;
    if (s.kind === 'ready') return null;
    if (s.kind === 'halted') return new AppError('printer_error', s.message);
    if (s.kind === 'connecting') return new AppError('printer_offline', 'The printer is still connecting.');
    return new AppError('printer_offline', s.kind === 'disconnected' ? s.reason : 'The printer is not connected.');
  }

  private maxLines(): number {
    const w = this.window;
    if (w.kind === 'pingpong') return 1;
    if (w.kind === 'lines') return Math.max(1, w.lines);
    // Until the firmware has reported its free slots, the configured fallback (ping-pong unless set).
    return this.advancedBufferSlots === 0 ? Math.max(1, w.fallbackLines ?? 1) : Math.max(1, w.maxLines ?? 16);
  }

  private rxBudget(): number | null {
    const w = this.window;
    return w.kind === 'pingpong' ? null : (w.rxBufferBytes ?? null);
  }

  private hasRoomFor(bytes: number): boolean {
    if (this.inFlight.length === 0) return true;
    if (this.inFlight.length >= this.maxLines()) return false;
    const budget = this.rxBudget();
    if (budget === null) return true;
    let inRx = this.bytesInFlight;
    if (this.window.kind === 'advancedOk') {
      const queued = Math.min(this.knownQueued, this.inFlight.length);
      for (let i = 0; i < queued; i++) inRx -= this.inFlight[i]!.bytes;
    }
    return inRx + bytes <= budget;
  }

  private nextEntry(): Entry | null {
    if (this.resendQueue.length) return this.resendQueue[0]!;
    if (this.priority.length) return this.priority[0]!;
    if (!this.jobFeed) return null;
    if (this.jobPeek && this.jobPeekFeed !== this.jobFeed) this.jobPeek = null;
    if (!this.jobPeek) {
      const next = this.jobFeed.next();
      if (next) {
        this.jobPeek = this.makeEntry(next.command, 'job', next.tag);
        this.jobPeekFeed = this.jobFeed;
      }
    }
    return this.jobPeek;
  }

  /** A job line pulled from the feed that did not fit the window yet; it goes first when there is room. */
  private jobPeek: Entry | null = null;
  private jobPeekFeed: JobFeed | null = null;

  private pump(): void {
    if (this.pumping || this.inChunk) return;
    this.pumping = true;
    try {
      while (this.hostState.kind === 'ready' && !this.swallowNextOk) {
        const entry = this.nextEntry();
        if (!entry) break;
        const isResend = this.resendQueue[0] === entry;
        if (!isResend && entry.lineNumber === null) {
          entry.lineNumber = this.nextLineNumber;
          entry.framed = frameLine(entry.lineNumber, entry.command);
          entry.bytes = wireBytes(entry.framed);
        }
        if (!this.hasRoomFor(entry.bytes)) {
          // Keep the number reserved only if it was just assigned and not sent: undo it.
          if (!isResend && entry.lineNumber === this.nextLineNumber) {
            entry.lineNumber = null;
          }
          break;
        }
        if (isResend) this.resendQueue.shift();
        else if (this.priority[0] === entry) this.priority.shift();
        else this.jobPeek = null;
        if (!isResend) {
          this.nextLineNumber++;
          this.remember(entry.lineNumber!, entry.framed);
        }
        this.inFlight.push(entry);
        this.bytesInFlight += entry.bytes;
        this.events.emit('sent', { line: entry.framed, origin: isResend ? 'resend' : entry.origin });
        this.writeBuffer += `${entry.framed}\n`;
      }
    } finally {
      this.pumping = false;
    }
    this.flushWrites();
    this.ensureCommTimer();
  }

  private remember(lineNumber: number, framed: string): void {
    this.history.set(lineNumber, framed);
    this.history.delete(lineNumber - this.opts.historySize);
  }

  private flushWrites(): void {
    if (!this.writeBuffer) return;
    const data = this.writeBuffer;
    this.writeBuffer = '';
    this.writeRaw(data);
  }

  private writeRaw(data: string): void {
    const transport = this.transport;
    if (!transport) return;
    this.lastLineWrittenAt = this.clock.now();
    transport.write(data).catch((err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      this.onTransportClosed(`Writing to ${this.linkName} failed: ${reason}`);
    });
  }

  // ---------------------------------------------------------------- receiving

  /** A chunk often holds many oks: answer them with one write instead of one write per ok. */
  private onChunk(chunk: string): void {
    this.inChunk = true;
    try {
      this.splitter.push(chunk, this.lineHandler);
    } finally {
      this.inChunk = false;
    }
    this.pump();
  }

  private inChunk = false;
  private readonly lineHandler = (line: string) => this.onLine(line);

  private onLine(raw: string): void {
    const response = parseResponse(raw);
    const head = this.inFlight[0];
    this.events.emit('received', { line: raw, response, for: head && !this.isAutoReport(response, head) ? head.origin : null });
    if (this.hostState.kind === 'connecting') {
      this.onHandshakeLine(response);
      return;
    }
    if (this.hostState.kind !== 'ready' && this.hostState.kind !== 'halted') return;
    if (response.kind === 'ok' || response.kind === 'resend' || response.kind === 'busy') this.answered();

    if (this.swallowNextOk && response.kind !== 'ok' && (response.kind === 'resend' || response.kind === 'error')) {
      // A second error before the ok we waited for: this firmware does not follow Resend with ok.
      this.learnResendWithoutOk();
    }

    switch (response.kind) {
      case 'ok':
        this.onOk(response);
        break;
      case 'resend':
        this.onResend(response.lineNumber);
        break;
      case 'temperature':
        this.events.emit('temperatures', response.report);
        this.collect(raw, response);
        break;
      case 'position':
        this.events.emit('position', response.position);
        this.collect(raw, response);
        break;
      case 'capability':
        this.capabilities[response.name] = response.enabled;
        this.collect(raw, response);
        break;
      case 'busy':
        // Alive and working (answered() restarted the silence timer); send nothing more.
        break;
      case 'error':
        if (response.fatal) this.halt(`The printer stopped: ${response.text}. Fix the cause, then reconnect (or send M999).`);
        else {
          this.noteLineError(response.text);
          this.collect(raw, response);
        }
        break;
      case 'start':
        this.onBoardReset();
        break;
      case 'action':
        this.events.emit('action', { action: response.action, argument: response.argument });
        break;
      case 'wait':
        this.onWait();
        break;
      default:
        this.collect(raw, response);
    }
  }

  private onHandshakeLine(response: MarlinResponse): void {
    if (response.kind === 'capability') this.capabilities[response.name] = response.enabled;
    const waiter = this.handshakeWaiter;
    if (!waiter) {
      // The board can print `start` before the reset call has even returned.
      if (response.kind === 'start') this.startSeen = true;
      return;
    }
    if (response.kind === 'ok') waiter.onOk();
    else if (response.kind === 'start') waiter.onStart();
    else waiter.onOther();
  }

  /** Output before an ok belongs to the oldest command in flight. */
  private collect(raw: string, response: MarlinResponse): void {
    const head = this.inFlight[0];
    if (!head || head.origin === 'job' || this.isAutoReport(response, head)) return;
    head.responses.push(raw.trim());
  }

  /**
   * Whether a report is one the firmware prints by itself (M155/M154), not the answer of the command waiting
   * for its ok: that command only asked for it if it is the matching query (or a heating wait, which prints
   * temperatures as it goes).
   */
  private isAutoReport(response: MarlinResponse, head: Entry): boolean {
    if (response.kind === 'temperature') return this.autoReportingTemperatures && !/^M10[59]|^M19[01]/.test(head.command);
    if (response.kind === 'position') return this.autoReportingPosition && commandCode(head.command) !== 'M114';
    return false;
  }

  private onOk(ok: Extract<MarlinResponse, { kind: 'ok' }>): void {
    if (ok.temperatures) this.events.emit('temperatures', ok.temperatures);
    if (ok.bufferFree !== null) this.advancedBufferSlots = Math.max(this.advancedBufferSlots, ok.bufferFree + 1);
    if (this.lineErrorWants !== null && !this.swallowNextOk) {
      // Error + ok with no Resend between: the Resend line was lost. This ok is the one that follows it.
      const wanted = this.lineErrorWants;
      this.lineErrorWants = null;
      this.onResend(wanted, { okArrived: true });
      return;
    }
    this.lineErrorWants = null;
    if (ok.temperatures && this.nudge && this.isNudgeAnswer()) {
      this.onNudgeAnswered(this.nudge.lineNumber);
      return;
    }
    if (this.swallowNextOk) {
      // The ok that pairs with the Resend just handled; the rejected line was already accounted for.
      this.swallowNextOk = false;
      this.resendOkTimer?.cancel();
      this.resendOkTimer = null;
      if (this.resendOk === 'detect') this.resendOk = 'yes';
      this.pump();
      return;
    }
    const extra = ok.text.slice(2).trim();
    if (ok.lineNumber !== null && this.inFlight[0]?.lineNumber !== null && this.inFlight.length > 0) {
      // ADVANCED_OK names the line it acknowledges: everything up to it is done, even if an ok went missing.
      let acked = 0;
      while (this.inFlight.length && this.inFlight[0]!.lineNumber !== null && this.inFlight[0]!.lineNumber <= ok.lineNumber) {
        this.acknowledge(this.inFlight[0]!, acked === 0 ? extra : '');
        acked++;
      }
      if (acked === 0 && this.inFlight[0] && this.inFlight[0].lineNumber === null) this.acknowledge(this.inFlight[0], extra);
    } else if (this.inFlight.length) {
      this.acknowledge(this.inFlight[0]!, extra);
    }
    // B counts free slots with the same convention as the largest B seen (the idle queue), so this is
    // the number of lines after the acknowledged one that the firmware has already taken out of RX.
    this.knownQueued = ok.bufferFree !== null ? Math.max(0, this.advancedBufferSlots - ok.bufferFree - 1) : 0;
    this.afterProgress();
  }

  private acknowledge(entry: Entry, okExtra: string): void {
    const index = this.inFlight.indexOf(entry);
    if (index !== -1) this.inFlight.splice(index, 1);
    this.bytesInFlight -= entry.bytes;
    if (entry.lineNumber !== null && entry.lineNumber === this.lastResendLine) this.resendsOfLastLine = 0;
    if (entry.origin === 'job') {
      this.jobFeed?.acknowledged(entry.tag);
      return;
    }
    // `ok T:…` (M105) and other firmware put the answer on the ok line; keep it, minus ADVANCED_OK counters.
    if (okExtra && !/^(?:N\d+\s*)?(?:P\d+\s*)?(?:B\d+\s*)?$/.test(okExtra)) entry.responses.push(okExtra);
    entry.settle?.({ ok: true, responses: entry.responses });
  }

  private afterProgress(): void {
    this.pump();
    if (this.pendingCount() === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Whether an `ok T:…` answers the nudge rather than an M105 of ours sent before it. */
  private isNudgeAnswer(): boolean {
    const nudge = this.nudge!;
    return !this.inFlight.some((e) => e.lineNumber !== null && e.lineNumber < nudge.lineNumber && commandCode(e.command) === 'M105');
  }

  /** The board ran the nudge, so it has every line before it: those whose ok was lost are done. */
  private onNudgeAnswered(nudgeLine: number): void {
    this.nudge = null;
    while (this.inFlight.length && (this.inFlight[0]!.lineNumber === null || this.inFlight[0]!.lineNumber < nudgeLine)) {
      this.acknowledge(this.inFlight[0]!, '');
    }
    this.knownQueued = 0;
    this.afterProgress();
  }

  private noteLineError(text: string): void {
    const last = /Last Line:\s*(\d+)/i.exec(text);
    if (last) this.lineErrorWants = Number(last[1]) + 1;
  }

  /**
   * Resend: N means the board has every line before N and wants N next.
   * - N not sent yet (OctoPrint's virtual printer asks for the next line to simulate noise, and a host
   *   misled by noise may get there too): everything in flight was received; acknowledge it and send on.
   * - N in flight, or acknowledged already by a miscounted ok: send N and everything after it again.
   * `okArrived`: the ok that follows the Resend already came (the Resend line itself was lost to noise).
   */
  private onResend(requested: number, how: { okArrived?: boolean } = {}): void {
    this.lineErrorWants = null;
    this.nudge = null;
    if (requested >= this.nextLineNumber) {
      this.onResendOfUnsentLine(requested, how.okArrived ?? false);
      return;
    }
    this.resendCount++;
    const dup = this.duplicateResends;
    if (dup && dup.line === requested && dup.remaining > 0) {
      // The firmware rejects every line that followed the bad one; those repeats ask for the same line.
      dup.remaining--;
      if (how.okArrived) this.pump();
      else this.expectResendOk();
      return;
    }
    if (requested === this.lastResendLine) this.resendsOfLastLine++;
    else {
      this.lastResendLine = requested;
      this.resendsOfLastLine = 1;
    }
    if (this.resendsOfLastLine > this.opts.maxResendsOfOneLine) {
      this.halt(`The printer asked for line ${requested} ${this.resendsOfLastLine - 1} times in a row. The connection is unreliable: check the USB cable and the baud rate.`);
      return;
    }
    if (requested < this.nextLineNumber && !this.history.has(requested)) {
      this.halt(`The printer asked for line ${requested} again, which is older than the ${this.opts.historySize} lines kept for resends.`);
      return;
    }
    // Lines before the requested one were received; the requested line and everything after it were not.
    const rejected = this.inFlight.filter((e) => e.lineNumber !== null && e.lineNumber >= requested);
    for (const e of rejected) {
      this.inFlight.splice(this.inFlight.indexOf(e), 1);
      this.bytesInFlight -= e.bytes;
    }
    const byNumber = new Map(rejected.map((e) => [e.lineNumber!, e]));
    const queue: Entry[] = [];
    for (let n = Math.max(requested, 1); n < this.nextLineNumber; n++) {
      const entry = byNumber.get(n);
      if (entry) queue.push(entry);
      else {
        // Acknowledged by count although the firmware never got it (an ok was mis-attributed): send it again.
        const framed = this.history.get(n);
        if (framed === undefined) continue;
        const orphan = this.makeEntry(framed, 'internal', -1);
        orphan.lineNumber = n;
        orphan.framed = framed;
        orphan.bytes = wireBytes(framed);
        queue.push(orphan);
      }
    }
    this.resendQueue = queue;
    this.knownQueued = 0;
    this.duplicateResends = { line: requested, remaining: Math.max(0, rejected.length - 1) };
    this.events.emit('notice', `The printer asked for line ${requested} again (transmission error); resending.`);
    if (!how.okArrived) this.expectResendOk();
    this.pump();
  }

  private onResendOfUnsentLine(requested: number, okArrived: boolean): void {
    this.events.emit('notice', `The printer asked for line ${requested}, which was not sent yet: it has every line before it, so carrying on.`);
    this.resendQueue = [];
    this.duplicateResends = null;
    while (this.inFlight.length && (this.inFlight[0]!.lineNumber === null || this.inFlight[0]!.lineNumber < requested)) {
      this.acknowledge(this.inFlight[0]!, '');
    }
    this.knownQueued = 0;
    if (!okArrived) this.expectResendOk();
    this.afterProgress();
  }

  private expectResendOk(): void {
    if (this.resendOk === 'no') {
      this.pump();
      return;
    }
    this.swallowNextOk = true;
    if (this.resendOk === 'detect') {
      this.resendOkTimer?.cancel();
      this.resendOkTimer = this.clock.setTimeout(() => this.learnResendWithoutOk(), this.opts.resendOkWaitMs);
    }
  }

  private learnResendWithoutOk(): void {
    this.resendOkTimer?.cancel();
    this.resendOkTimer = null;
    this.swallowNextOk = false;
    if (this.resendOk === 'detect') this.resendOk = 'no';
    this.pump();
  }

  // ---------------------------------------------------------------- timeouts

  /**
   * The silence timer runs from the last answer to our own commands, not from the last byte: a board that
   * prints temperatures or `wait` every second must not keep a lost line waiting forever. Armed when a line
   * goes out with nothing armed, restarted by answers (see answered), never restarted by other output.
   */
  private ensureCommTimer(): void {
    if (this.hostState.kind !== 'ready' || this.inFlight.length === 0 || this.blockingInFlight()) {
      this.commTimer?.cancel();
      this.commTimer = null;
      return;
    }
    this.commTimer ??= this.clock.setTimeout(() => this.onCommTimeout(), this.opts.communicationTimeoutMs);
  }

  /**
   * A blocking command may legitimately run for many minutes, and a nudge sent behind it would be answered
   * only after it, so its ok would be counted twice: no timeout while one is in flight.
   */
  private blockingInFlight(): boolean {
    return this.inFlight.some((e) => e.blocking);
  }

  /** An ok, a Resend or a busy: the board is answering us. The silence count starts again. */
  private answered(): void {
    this.consecutiveTimeouts = 0;
    this.commTimer?.cancel();
    this.commTimer = null;
    this.ensureCommTimer();
  }

  private onCommTimeout(): void {
    this.commTimer = null;
    if (this.hostState.kind !== 'ready' || this.inFlight.length === 0) return;
    const seconds = this.opts.communicationTimeoutMs / 1000;
    this.assumeLostOk(`No answer from the printer for ${seconds} s; assuming a lost "ok" and nudging it.`);
  }

  /**
   * `wait`: the board has had nothing to do for a while. With a line unanswered (and written long enough
   * ago that the board must have had it), that line or its ok was lost: act now, not after the timeout.
   */
  private onWait(): void {
    if (this.hostState.kind !== 'ready' || this.inFlight.length === 0 || this.blockingInFlight()) return;
    if (this.clock.now() - this.lastLineWrittenAt < this.opts.waitGraceMs) return;
    this.assumeLostOk('The printer says it is waiting for commands while a line is unanswered; assuming a lost "ok" and nudging it.');
  }

  private assumeLostOk(notice: string): void {
    this.consecutiveTimeouts++;
    if (this.consecutiveTimeouts > this.opts.maxConsecutiveTimeouts) {
      const reason = `${this.linkName} stopped answering (no reply to ${this.opts.maxConsecutiveTimeouts} nudges). Check the cable and the printer, then reconnect.`;
      this.disconnectWith(reason);
      return;
    }
    this.events.emit('notice', notice);
    this.sendNudge();
    this.commTimer?.cancel();
    this.commTimer = this.clock.setTimeout(() => this.onCommTimeout(), this.opts.communicationTimeoutMs);
  }

  /**
   * The silence has two causes the host cannot tell apart: the firmware ran the last line and its `ok` was
   * lost, or the line itself never arrived. The nudge is an M105 under the next line number, which Marlin
   * answers correctly in both cases:
   * - ok lost: the firmware's last line is the one before the nudge, so it runs the M105 and its `ok` stands
   *   in for the lost one (the nudge is not counted in flight; it only consumes a line number).
   * - line lost: the nudge's number is one too far, so Marlin answers `Error:Line Number is not Last Line
   *   Number+1`, `Resend: <lost line>` (and ok), and the normal resend path sends the lost line and the
   *   nudge again (the nudge from history, with its own ok). An unnumbered M105 would instead be answered
   *   with an ok that acknowledges the lost line: harmless mid-job, where the next numbered line exposes the
   *   gap, but the last line of a job would be reported done though it never ran.
   * While a resend is being sorted out (its ok awaited, lines queued for resending) the numbering is in
   * flux, so the nudge stays unnumbered there; its ok is then the one the resend logic is waiting for.
   */
  private sendNudge(): void {
    if (this.swallowNextOk || this.resendQueue.length > 0) {
      this.events.emit('sent', { line: 'M105', origin: 'nudge' });
      this.writeRaw('M105\n');
      return;
    }
    const lineNumber = this.nextLineNumber++;
    const framed = frameLine(lineNumber, 'M105');
    this.remember(lineNumber, framed);
    this.nudge = { lineNumber };
    this.events.emit('sent', { line: framed, origin: 'nudge' });
    this.writeRaw(`${framed}\n`);
  }

  // ---------------------------------------------------------------- failures

  private onBoardReset(): void {
    if (this.hostState.kind !== 'ready') return;
    this.events.emit('notice', 'The printer restarted (it printed "start"). Anything in progress was lost; reconnecting.');
    this.failAll(new AppError('printer_error', 'The printer restarted while this was in progress.'));
    this.stopTimers();
    this.setState({ kind: 'connecting' });
    const transport = this.transport;
    if (!transport) return;
    // `start` means the board is up and listening: hello at once, no reset wait.
    this.runHello(false)
      .then(() => this.afterHandshake())
      .catch((err: unknown) => this.disconnectWith(err instanceof Error ? err.message : String(err)));
  }

  private halt(message: string): void {
    if (this.hostState.kind === 'halted') return;
    this.stopTimers();
    this.setState({ kind: 'halted', message });
    this.failAll(new AppError('printer_error', message));
  }

  private disconnectWith(reason: string): void {
    const transport = this.transport;
    this.detach();
    this.setState({ kind: 'disconnected', reason });
    this.failAll(new AppError('printer_offline', reason));
    transport?.close().catch(() => undefined);
  }

  private onTransportClosed(reason: string | null): void {
    if (!this.transport) return;
    const message = reason ?? `The connection to ${this.linkName} was closed.`;
    this.closeDuringHandshake?.(message);
    this.detach();
    this.failAll(new AppError('printer_offline', message));
    this.setState(reason === null && this.hostState.kind === 'closed' ? { kind: 'closed' } : { kind: 'disconnected', reason: message });
  }

  private detach(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.transport = null;
    this.stopTimers();
  }

  private stopTimers(): void {
    this.commTimer?.cancel();
    this.commTimer = null;
    this.pollTimer?.cancel();
    this.pollTimer = null;
    this.resendOkTimer?.cancel();
    this.resendOkTimer = null;
  }

  private failAll(error: AppError): void {
    const entries = [...this.inFlight, ...this.priority, ...this.resendQueue];
    this.inFlight.length = 0;
    this.priority.length = 0;
    this.resendQueue = [];
    this.bytesInFlight = 0;
    this.jobPeek = null;
    this.swallowNextOk = false;
    this.duplicateResends = null;
    this.nudge = null;
    this.lineErrorWants = null;
    for (const e of entries) e.settle?.({ ok: false, error });
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  private resetSession(): void {
    this.splitter.reset();
    this.history.clear();
    this.nextLineNumber = 1;
    this.swallowNextOk = false;
    this.duplicateResends = null;
    this.lastResendLine = -1;
    this.resendsOfLastLine = 0;
    this.resendCount = 0;
    this.consecutiveTimeouts = 0;
    this.advancedBufferSlots = 0;
    this.knownQueued = 0;
    this.capabilities = {};
    this.firmware = null;
    this.autoReportingTemperatures = false;
    this.autoReportingPosition = false;
    this.resendOk = this.resendOkConfigured;
  }

  private setState(state: HostState): void {
    this.hostState = state;
    this.events.emit('state', state);
  }
}

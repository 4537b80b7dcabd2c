import { AppError } from '../../errors';
import { systemClock } from '../../ports/clock';
import { Acknowledgements, type AckContext } from './acknowledgements';
import { Emitter } from './emitter';
import { commandCode, isEmergencyCommand, stripComment, wireBytes } from './framing';
import { HelloHandshake, type HandshakeContext } from './hello-handshake';
import type { HostEvents, HostState, LineOrigin } from './host-events';
import { AUTO_WINDOW, hostTimings, type MarlinHostOptions } from './host-options';
import { InFlightLedger, outgoingLine } from './in-flight';
import { LineNumbering } from './line-numbering';
import { LineSender, type SenderContext } from './line-sender';
import { LineSplitter } from './line-splitter';
import { ResendRecovery, type ResendContext } from './resend-recovery';
import { parseResponse, type FirmwareReport, type MarlinResponse } from './responses';
import { SendQueue, type JobFeed } from './send-queue';
import { SilenceWatchdog, type WatchdogContext } from './silence-watchdog';
import { StatusReporting, type ReportingContext } from './status-reporting';
import type { ByteTransport } from './transport';

export type { HostEvents, HostState, LineOrigin } from './host-events';
export { AUTO_WINDOW, type MarlinHostOptions, type SendWindow } from './host-options';
export type { JobFeed } from './send-queue';

/**
 * The Marlin host protocol engine over one ByteTransport: handshake, numbered and checksummed lines,
 * the send window, resend recovery, timeouts and nudges, temperature reporting, and the out-of-band
 * emergency path. It never throws from I/O callbacks; failures surface as rejected command promises,
 * a `halted`/`disconnected` state and `notice` events.
 *
 * This class coordinates; each concern has its own module: `HelloHandshake`, `SendQueue`, `LineNumbering`
 * and `LineSender` (what goes out next, under which number), `InFlightLedger` (in-flight.ts: the send window
 * and which lines an answer acknowledges), `Acknowledgements` (what an ok means), `ResendRecovery`,
 * `SilenceWatchdog` (lost oks and nudges) and `StatusReporting` (M115, temperature and position reports).
 */
export class MarlinHost {
  readonly events = new Emitter<HostEvents>();
  private readonly handshakeMode: 'reset' | 'hello';
  private readonly linkName: string;

  private transport: ByteTransport | null = null;
  private unsubscribe: (() => void)[] = [];
  private readonly splitter = new LineSplitter();
  private hostState: HostState = { kind: 'closed' };

  private readonly numbering: LineNumbering;
  private readonly ledger: InFlightLedger;
  private readonly queue = new SendQueue();
  private readonly recovery: ResendRecovery;
  private readonly watchdog: SilenceWatchdog;
  private readonly handshake: HelloHandshake;
  private readonly reporting: StatusReporting;
  private readonly acks: Acknowledgements;
  private readonly sender: LineSender;
  private inChunk = false;
  private drainWaiters: (() => void)[] = [];

  constructor(options: MarlinHostOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.handshakeMode = options.handshake ?? 'reset';
    const linkName = (this.linkName = options.linkName ?? 'the printer');
    const opts = hostTimings(options);
    const ledger = (this.ledger = new InFlightLedger(options.window ?? AUTO_WINDOW));
    const numbering = (this.numbering = new LineNumbering(opts.historySize));
    const queue = this.queue;
    // One port for every part: each takes what its own context interface names.
    const port: AckContext & ResendContext & WatchdogContext & HandshakeContext & ReportingContext & SenderContext = {
      ...opts,
      clock,
      linkName,
      ledger,
      numbering,
      queue,
      isReady: () => this.hostState.kind === 'ready',
      linked: () => this.transport !== null,
      maySend: () => this.hostState.kind === 'ready' && !this.recovery.awaitingOk,
      resendInProgress: () => this.recovery.awaitingOk || queue.resending,
      pollWouldWait: () => this.blockingInProgress() || ledger.some((e) => e.command === 'M105') || queue.someCommand((e) => e.command === 'M105'),
      send: (line, origin) => this.send(line, origin),
      write: (data) => this.writeRaw(data),
      sent: (event) => this.events.emit('sent', event),
      sentNudge: (line) => this.events.emit('sent', { line, origin: 'nudge' }),
      sentHello: (line) => this.events.emit('sent', { line, origin: 'hello' }),
      notice: (message) => this.events.emit('notice', message),
      identified: (info) => this.events.emit('firmware', info),
      acknowledge: (line, okExtra) => this.acks.acknowledge(line, okExtra),
      temperatures: (report) => this.events.emit('temperatures', report),
      afterProgress: () => this.afterProgress(),
      afterPass: () => this.watchdog.ensureArmed(),
      pump: () => this.pump(),
      forgetNudge: () => this.watchdog.forgetNudge(),
      halt: (message) => this.halt(message),
      disconnect: (reason) => this.disconnectWith(reason),
      gaveUp: (reason) => this.setState({ kind: 'disconnected', reason }),
    };
    this.sender = new LineSender(port);
    this.recovery = new ResendRecovery(port, options.resendFollowedByOk ?? 'detect');
    this.watchdog = new SilenceWatchdog(port);
    this.handshake = new HelloHandshake(port);
    this.reporting = new StatusReporting(port);
    this.acks = new Acknowledgements(port, this.recovery, this.watchdog);
  }

  state(): HostState {
    return this.hostState;
  }

  firmwareInfo(): { report: FirmwareReport; capabilities: Record<string, boolean> } | null {
    return this.reporting.info();
  }

  /**
   * How lines are streamed now: into the command queue the firmware reports with ADVANCED_OK (`lines` is its
   * size; the RX budget still applies), a configured window of `lines`, or one line per ok.
   */
  windowInUse(): { lines: number; source: 'firmware' | 'configured' | 'one-per-ok' } {
    return this.ledger.windowInUse();
  }

  /** Resend requests seen since connect (a cable-quality figure). */
  resends(): number {
    return this.recovery.count();
  }

  /** Lines sent but not yet acknowledged plus lines waiting to be sent (job lines not yet pulled excluded). */
  pendingCount(): number {
    return this.ledger.size + this.queue.size;
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
    this.handshake.forgetStart();
    if (this.handshakeMode === 'reset' && transport.resetBoard) {
      try {
        await transport.resetBoard();
        waitForStart = true;
      } catch {
        // Boards on native USB cannot be reset this way; the hello below works for them too.
      }
    }
    await this.hello(waitForStart);
    await this.reporting.identify();
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
      const entry = outgoingLine(command, origin, -1);
      entry.settle = (r) => (r.ok ? resolve(r.responses) : reject(r.error));
      this.queue.push(entry);
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
      const entry = outgoingLine(command, 'user', -1);
      entry.settle = (r) => (r.ok ? resolve(r.responses) : reject(r.error));
      entry.framed = command;
      entry.bytes = wireBytes(command);
      this.ledger.add(entry);
      this.writeRaw(`${command}\n`);
      this.watchdog.ensureArmed();
    });
  }

  /** M999 clears Marlin's stopped state; the line numbering then starts again with the hello. */
  private async restartFromHalt(command: string): Promise<string[]> {
    if (!this.transport) throw new AppError('printer_offline', 'The printer is not connected.');
    this.events.emit('sent', { line: command, origin: 'user' });
    this.setState({ kind: 'connecting' });
    this.writeRaw(`${command}\n`);
    await this.hello(false);
    await this.reporting.identify();
    return [];
  }

  /** Attaches (or with null detaches) the job line source. Detaching stops pulling at once. */
  setJobFeed(feed: JobFeed | null): void {
    this.queue.setFeed(feed);
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
    return this.ledger.some((e) => e.blocking) || this.queue.someCommand((e) => e.blocking);
  }

  /** The hello; a board that answers it expects line 1 next. */
  private async hello(waitForStart: boolean): Promise<void> {
    this.numbering.restart();
    await this.handshake.run(waitForStart);
    this.numbering.rewind();
    this.setState({ kind: 'ready' });
  }

  private requireReady(): AppError | null {
    const s = this.hostState;
    if (s.kind === 'ready') return null;
    if (s.kind === 'halted') return new AppError('printer_error', s.message);
    if (s.kind === 'connecting') return new AppError('printer_offline', 'The printer is still connecting.');
    return new AppError('printer_offline', s.kind === 'disconnected' ? s.reason : 'The printer is not connected.');
  }

  // ---------------------------------------------------------------- sending

  /** Sends what the window has room for, in queue order, as one write; while a chunk is read, once after it. */
  private pump(): void {
    if (!this.inChunk) this.sender.pump();
  }

  private writeRaw(data: string): void {
    const transport = this.transport;
    if (!transport) return;
    this.watchdog.wrote();
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

  private readonly lineHandler = (line: string) => this.onLine(line);

  private onLine(raw: string): void {
    const response = parseResponse(raw);
    const head = this.ledger.oldest();
    this.events.emit('received', { line: raw, response, for: head && !this.reporting.isAutoReport(response, head.command) ? head.origin : null });
    if (this.hostState.kind === 'connecting') {
      if (response.kind === 'capability') this.reporting.noteCapability(response.name, response.enabled);
      this.handshake.onLine(response);
      return;
    }
    if (this.hostState.kind !== 'ready' && this.hostState.kind !== 'halted') return;
    if (response.kind === 'ok' || response.kind === 'resend' || response.kind === 'busy') this.watchdog.answered();
    if (response.kind === 'resend' || response.kind === 'error') this.recovery.errorWhileAwaitingOk();

    switch (response.kind) {
      case 'ok':
        this.acks.onOk(response);
        break;
      case 'resend':
        this.recovery.onResend(response.lineNumber);
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
        this.reporting.noteCapability(response.name, response.enabled);
        this.collect(raw, response);
        break;
      case 'busy':
        // Alive and working (the watchdog heard an answer); send nothing more.
        break;
      case 'error':
        if (response.fatal) this.halt(`The printer stopped: ${response.text}. Fix the cause, then reconnect (or send M999).`);
        else {
          this.recovery.noteLineError(response.text);
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
        this.watchdog.onWait();
        break;
      default:
        this.collect(raw, response);
    }
  }

  /** Output before an ok belongs to the oldest command in flight. */
  private collect(raw: string, response: MarlinResponse): void {
    const head = this.ledger.oldest();
    if (!head || head.origin === 'job' || this.reporting.isAutoReport(response, head.command)) return;
    head.responses.push(raw.trim());
  }

  private afterProgress(): void {
    this.pump();
    if (this.pendingCount() === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
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
    this.hello(false)
      .then(() => this.reporting.identify())
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
    this.handshake.linkClosed(message);
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
    this.watchdog.stop();
    this.reporting.stopPolling();
    this.recovery.stopTimer();
  }

  private failAll(error: AppError): void {
    const entries = [...this.ledger.clear(), ...this.queue.clear()];
    this.recovery.abandon();
    this.watchdog.forgetNudge();
    for (const e of entries) e.settle?.({ ok: false, error });
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  private resetSession(): void {
    this.splitter.reset();
    this.numbering.restart();
    this.recovery.reset();
    this.watchdog.reset();
    this.ledger.resetWindow();
    this.reporting.reset();
  }

  private setState(state: HostState): void {
    this.hostState = state;
    this.events.emit('state', state);
  }
}

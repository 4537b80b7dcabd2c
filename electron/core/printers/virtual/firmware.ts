import { systemClock, type Clock } from '../../ports/clock';
import { AutoReports } from './auto-reports';
import { positionReport, powerOnState, type BoardConfig, type CommandContext, type MachineState } from './command-context';
import { FirmwareFaults } from './fault-injection';
import type { FirmwareState, FirmwareStats, VirtualFirmwareOptions } from './firmware-options';
import { checkLine } from './line-check';
import { MainLoop, type QueuedLine } from './main-loop';
import { Planner } from './planner';
import { VIRTUAL_FIRMWARE_VERSION } from './reporting-commands';
import { isEol, SerialInput } from './serial-input';
import { SerialOutput } from './serial-output';
import { Thermal } from './thermal';

export type { FirmwareState, FirmwareStats, VirtualFirmwareOptions } from './firmware-options';
export { VIRTUAL_FIRMWARE_VERSION } from './reporting-commands';

/** `N12 G1 X5*34` → `G1 X5`. */
const commandText = (raw: string) =>
  raw
    .replace(/^\s*N-?\d+\s*/, '')
    .replace(/\*\d*\s*$/, '')
    .trim();

/**
 * A simulated Marlin 2.1 board, faithful where a host can tell the difference:
 * - Serial input goes through an RX ring buffer (default 128 bytes). Marlin reads it only between
 *   commands and only while its command queue (BUFSIZE, default 4) has room, so a host that streams
 *   without waiting for `ok` overruns it; bytes arriving at a full buffer are dropped, as the UART ISR does.
 * - Line numbers and checksums are checked when a line is read, with Marlin's messages; after an error
 *   the RX buffer is flushed (pipelined lines are lost) and `Resend: <last+1>` and `ok` follow.
 * - `ok` is sent after a command completes; G0/G1 complete once the move is in the planner
 *   (BLOCK_BUFFER_SIZE 16, 15 usable), so the queue backs up when moves are slower than the stream.
 * - M112/M108/M410 are acted on as the bytes arrive (EMERGENCY_PARSER), even while the queue is blocked.
 * - `echo:busy: processing` is sent every M113 interval (default 2 s) while one command blocks.
 * Time comes from an injectable Clock, so tests advance simulated time without waiting.
 *
 * This class is the board itself (power, reset, kill, what it knows) and its public surface; the rest has its
 * own module: serial input (serial-input.ts, line checks in line-check.ts) and output (serial-output.ts),
 * the main loop over the command queue (main-loop.ts), the G-code handlers by topic (command-table.ts:
 * motion, temperature, SD, reporting, misc), auto-reports, injected faults (fault-injection.ts, with
 * line-noise.ts), the planner and the heaters.
 */
export class VirtualFirmware {
  readonly clock: Clock;
  readonly baudRate: number | null;

  private readonly board: BoardConfig;
  private readonly defaultKeepaliveMs: number;
  private readonly bootMs: number;
  private readonly faults: FirmwareFaults;
  private readonly idleWaitMs: number;
  private readonly resetsOnFirstInput: boolean;
  private heardHost = false;
  private lastInputAt = 0;
  private idleWaitTimer: { cancel(): void } | null = null;
  private readonly recordCommands: boolean;
  private readonly commands: string[] = [];

  private readonly output: SerialOutput;
  private readonly input: SerialInput;
  private readonly executedListeners = new Set<(n: number) => void>();

  private status: FirmwareState = 'running';
  private readonly executed: number[] = [];
  private readonly statistics: FirmwareStats = { rxDroppedBytes: 0, lineErrors: 0, injectedChecksumErrors: 0, idleWaits: 0 };
  private lastN = 0;

  private readonly loop: MainLoop;
  private readonly planner: Planner;
  private readonly thermal: Thermal;
  private readonly m: MachineState;
  private readonly commandContext: CommandContext;

  private readonly autoReports: AutoReports;
  private bootTimer: { cancel(): void } | null = null;

  constructor(opts: VirtualFirmwareOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.baudRate = opts.baudRate ?? null;
    const rxCapacity = opts.rxBufferBytes ?? 128;
    const bufsize = opts.commandBufferLines ?? 4;
    this.board = {
      advancedOk: opts.advancedOk ?? false,
      autoReport: opts.autoReport ?? true,
      residencyMs: (opts.heaters?.residencyS ?? 10) * 1000,
      machineName: opts.machineName ?? 'Virtual Marlin',
    };
    this.defaultKeepaliveMs = opts.busyIntervalMs ?? 2000;
    this.m = powerOnState(this.defaultKeepaliveMs);
    this.bootMs = opts.bootMs ?? 0;
    this.faults = new FirmwareFaults(opts.faults);
    this.idleWaitMs = opts.idleWaitMs ?? 0;
    this.resetsOnFirstInput = opts.resetsOnFirstInput ?? false;
    this.recordCommands = opts.recordCommands ?? false;
    this.output = new SerialOutput(this.clock, () => this.status === 'closed');
    this.input = new SerialInput(rxCapacity, (code) => {
      if (code === '112') this.kill();
      else if (code === '108') this.m.waitForHeatup = false;
      else this.quickstop();
    });
    this.lastInputAt = this.clock.now();
    if (this.idleWaitMs > 0) this.idleWaitTimer = this.clock.setInterval(() => this.idleWait(), this.idleWaitMs);
    if (rxCapacity < 1 || bufsize < 1) throw new RangeError('rxBufferBytes and commandBufferLines must be at least 1.');
    this.planner = new Planner((opts.plannerBlocks ?? 16) - 1);
    this.thermal = new Thermal(opts.heaters ?? {}, this.clock.now());
    this.autoReports = new AutoReports(
      this.clock,
      () => this.status === 'running',
      (report) => this.output.enter(() => this.output.emit(report())),
      {
        temperature: () => {
          this.thermal.advanceTo(this.clock.now());
          return this.thermal.report();
        },
        position: () => positionReport(this.m.pos),
      },
    );
    this.commandContext = {
      m: this.m,
      board: this.board,
      clock: this.clock,
      thermal: this.thermal,
      planner: this.planner,
      emit: (line) => this.output.emit(line),
      okWith: (line) => this.loop.okWith(line),
      lastLineNumber: () => this.lastN,
      setLastLineNumber: (n) => {
        this.lastN = n;
      },
      kill: () => this.kill(),
      quickstop: () => this.quickstop(),
      autoReport: (kind, seconds) => this.autoReports.set(kind, seconds),
    };
    this.loop = new MainLoop({
      faults: this.faults,
      output: this.output,
      m: this.m,
      commands: this.commandContext,
      bufsize,
      okLatencyMs: opts.okLatencyMs ?? 0,
      advancedOk: this.board.advancedOk,
      clock: this.clock,
      planner: this.planner,
      thermal: this.thermal,
      running: () => this.status === 'running',
      readSerial: () => this.readSerial(),
      executed: (line) => this.recordExecuted(line),
      lastLineNumber: () => this.lastN,
    });
  }

  // ---------------------------------------------------------------- public surface

  /** Bytes from the host, as they arrive at the board's UART. */
  write(data: string): void {
    if (this.resetsOnFirstInput && !this.heardHost) {
      this.heardHost = true;
      this.reset();
      if (this.status !== 'running') return;
    }
    this.lastInputAt = this.clock.now();
    this.output.enter(() => {
      for (let i = 0; i < data.length; i++) {
        if (this.status !== 'running') return; // booting, halted or unplugged boards lose what arrives
        const c = data[i]!;
        this.input.emergencyParse(c);
        if (this.status !== 'running') return;
        if (!this.input.receive(c)) {
          this.statistics.rxDroppedBytes++;
          continue;
        }
        // The real main loop is far faster than the UART: give it a turn after every complete line.
        if (isEol(c)) this.loop.pump();
      }
      this.loop.pump();
    });
  }

  onOutput(listener: (chunk: string) => void): () => void {
    return this.output.onOutput(listener);
  }

  onDisconnect(listener: () => void): () => void {
    return this.output.onDisconnect(listener);
  }

  /** Called with each N-numbered line once it has executed (used by `--exec-log`). */
  onLineExecuted(listener: (n: number) => void): () => void {
    this.executedListeners.add(listener);
    return () => this.executedListeners.delete(listener);
  }

  /** Board reset (DTR pulse or power cycle): everything volatile is lost, then `start` and the banner. */
  reset(): void {
    if (this.status === 'closed') return;
    this.output.enter(() => {
      this.stopTimers();
      this.input.reset();
      this.lastN = 0;
      this.loop.clear();
      this.planner.clear();
      this.thermal.advanceTo(this.clock.now());
      this.thermal.allOff();
      Object.assign(this.m, powerOnState(this.defaultKeepaliveMs));
      if (this.bootMs > 0) {
        this.status = 'booting';
        this.bootTimer = this.clock.setTimeout(() => {
          this.bootTimer = null;
          this.output.enter(() => {
            this.status = 'running';
            this.banner();
          });
        }, this.bootMs);
      } else {
        this.status = 'running';
        this.banner();
      }
    });
  }

  get executedLines(): readonly number[] {
    return this.executed;
  }

  /** Executed numbered commands without their number and checksum (with `recordCommands`). */
  get executedCommands(): readonly string[] {
    return this.commands;
  }

  /** How often each kind of line noise struck. */
  get noiseStruck(): ReturnType<FirmwareFaults['noiseStruck']> {
    return this.faults.noiseStruck();
  }

  get temperatures(): { hotend: { actual: number; target: number }; bed: { actual: number; target: number } } {
    this.thermal.advanceTo(this.clock.now());
    const { hotend, bed } = this.thermal;
    return { hotend: { actual: hotend.actual, target: hotend.target }, bed: { actual: bed.actual, target: bed.target } };
  }

  /** The commanded position (Marlin's current_position: where the last accepted move ends). */
  get position(): { x: number; y: number; z: number; e: number } {
    return { ...this.m.pos };
  }

  get state(): FirmwareState {
    return this.status;
  }

  /** Whether the steppers are energised (M17 or a move; M84/M18 release them). */
  get motorsEnabled(): boolean {
    return this.m.motorsOn;
  }

  get fanSpeed(): number {
    return this.m.fan;
  }

  get progress(): number | null {
    return this.m.progressPct;
  }

  get stats(): Readonly<FirmwareStats> {
    return { ...this.statistics };
  }

  /** Last accepted line number (what `Last Line:` reports). */
  get lastLineNumber(): number {
    return this.lastN;
  }

  close(): void {
    this.stopTimers();
    this.idleWaitTimer?.cancel();
    this.idleWaitTimer = null;
    this.status = 'closed';
    this.loop.clear();
  }

  private banner(): void {
    const emit = (line: string) => this.output.emit(line);
    emit('start');
    emit(`echo:${VIRTUAL_FIRMWARE_VERSION}`);
    emit('echo: Last Updated: 2024-06-11 | Author: (AutoPrintFarm virtual board)');
    emit(`echo: Free Memory: 2680  PlannerBufferBytes: 1232`);
    emit('echo:SD card ok');
  }

  // ---------------------------------------------------------------- serial input

  /** Marlin's get_serial_commands(): moves complete lines from RX into the queue while it has room. */
  private readSerial(): void {
    this.input.read(
      () => this.loop.hasRoom && this.status === 'running',
      (line) => this.acceptLine(line),
    );
  }

  /** Queues a line that passes Marlin's checks (line-check.ts); false when it was rejected. */
  private acceptLine(line: string): boolean {
    const verdict = checkLine(line, this.lastN, this.faults);
    if (verdict.kind === 'disconnect') {
      this.disconnect();
      return false;
    }
    if (verdict.kind === 'reject') {
      if (verdict.injected) this.statistics.injectedChecksumErrors++;
      return this.lineError(verdict.reason, verdict);
    }
    const { n, noise } = verdict;
    if (n !== null) this.lastN = verdict.lineNumber;
    this.loop.push(noise ? { raw: line, n, noise } : { raw: line, n });
    return true;
  }

  private lineError(reason: string, how: { garbleResend?: boolean } = {}): false {
    this.statistics.lineErrors++;
    this.output.emit(`Error:${reason}${this.lastN}`);
    this.input.flushAfterError();
    // A garbled `Resend:` reaches the host as noise it cannot read (`Re§end: 5`).
    this.output.emit(how.garbleResend ? `Re\u00a7end: ${this.lastN + 1}` : `Resend: ${this.lastN + 1}`);
    this.output.emit('ok');
    return false;
  }

  // ---------------------------------------------------------------- the main loop

  private recordExecuted(line: QueuedLine): void {
    const n = line.n!;
    this.executed.push(n);
    if (this.recordCommands) this.commands.push(commandText(line.raw));
    for (const l of [...this.executedListeners]) l(n);
  }

  /** NO_TIMEOUTS: an idle board with nothing arriving says `wait`. */
  private idleWait(): void {
    if (this.status !== 'running' || !this.loop.idle || this.input.pending) return;
    if (this.clock.now() - this.lastInputAt < this.idleWaitMs) return;
    this.statistics.idleWaits++;
    this.output.enter(() => this.output.emit('wait'));
  }

  private stopTimers(): void {
    this.loop.stopWake();
    this.autoReports.stop();
    this.bootTimer?.cancel();
    this.bootTimer = null;
  }

  private kill(): void {
    this.thermal.advanceTo(this.clock.now());
    this.thermal.allOff();
    this.planner.clear();
    this.loop.clear();
    this.input.drop();
    this.stopTimers();
    this.status = 'killed';
    this.output.emit('Error:Printer halted. kill() called!');
  }

  private disconnect(): void {
    this.loop.clear();
    this.input.drop();
    this.stopTimers();
    this.status = 'disconnected';
    this.output.disconnectAfterOutput();
  }

  private quickstop(): void {
    const now = this.clock.now();
    const physical = this.planner.physicalPosition(now);
    this.planner.clear();
    if (physical) this.m.pos = physical;
  }
}

import { systemClock, type Clock } from '../../ports/clock';
import { parseCommand, strtol, xorChecksum, type ParsedCommand } from './gcode-line';
import { Planner, type Axes } from './planner';
import { garbageLine, isIncomingNoise, LineNoisePlan, type AnswerNoise, type LineNoiseOptions } from './line-noise';
import { createPrng } from './prng';
import { Thermal } from './thermal';

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
 */
export interface VirtualFirmwareOptions {
  clock?: Clock;
  /** Processing delay before each `ok`, in ms (the board is busy meanwhile). Default 0. */
  okLatencyMs?: number;
  /** Serial RX ring buffer size. Default 128 (AVR RX_BUFFER_SIZE). Bytes arriving when it is full are dropped. */
  rxBufferBytes?: number;
  /** Command queue depth (BUFSIZE). Default 4. */
  commandBufferLines?: number;
  /** Simulated link speed in bits/s (10 bits per byte); null = unlimited. Honoured by the links, not by write(). */
  baudRate?: number | null;
  /** ADVANCED_OK: `ok N<line> P<planner free> B<queue free>`. Default false. */
  advancedOk?: boolean;
  /** M155 temperature and M154 position auto-reports. Default true. */
  autoReport?: boolean;
  heaters?: {
    hotendRateCPerS?: number;
    bedRateCPerS?: number;
    ambientC?: number;
    /** How long M109/M190 hold within 1 °C before they finish (TEMP_RESIDENCY_TIME). Default 10 s. */
    residencyS?: number;
  };
  faults?: {
    /** Probability (0..1) that a numbered line is treated as corrupted: checksum error and Resend. */
    checksumErrorRate?: number;
    /** Line numbers whose `ok` is never sent (once each; a later re-execution answers normally). */
    dropOkAtLines?: number[];
    /** Line N keeps the board busy for the given ms before it runs (busy messages meanwhile). */
    busyAtLines?: Record<number, number>;
    /** The link drops when line N is read (the line is not executed). */
    disconnectAtLine?: number;
    /** Seed for the fault dice. Default 1. */
    seed?: number;
    /** Line N makes the board silent for the given ms before it runs: no busy messages, nothing at all. */
    silentAtLines?: Record<number, number>;
    /** Serial line noise of every real kind (see line-noise.ts). */
    noise?: LineNoiseOptions;
  };
  /**
   * Marlin's NO_TIMEOUTS: while the command queue is empty and nothing arrives for this long, print `wait`
   * (again every interval). 0 (the default, as in Marlin's default configuration) prints nothing.
   */
  idleWaitMs?: number;
  /**
   * The board resets when the host first talks to it, as a board whose DTR resets it on open does when the
   * link cannot show the reset (a pty): what arrives while it boots (`bootMs`) is lost, then `start`.
   */
  resetsOnFirstInput?: boolean;
  /** Keep the text of every executed numbered command (`executedCommands`), for exactly-once checks. */
  recordCommands?: boolean;
  /** Host keepalive interval (M113) in ms; 0 disables busy messages. Default 2000. */
  busyIntervalMs?: number;
  /** Planner depth (BLOCK_BUFFER_SIZE). Default 16. */
  plannerBlocks?: number;
  /** Boot time after reset(); bytes arriving meanwhile are lost, then `start` is sent. Default 0. */
  bootMs?: number;
  machineName?: string;
}

export type FirmwareState = 'running' | 'booting' | 'killed' | 'disconnected' | 'closed';

export interface FirmwareStats {
  /** Bytes lost because the RX buffer was full. */
  rxDroppedBytes: number;
  /** Line errors reported (each followed by a Resend). */
  lineErrors: number;
  /** Checksum errors caused by the fault dice. */
  injectedChecksumErrors: number;
  /** `wait` lines printed while idle (NO_TIMEOUTS). */
  idleWaits: number;
}

type Wait = { kind: 'until'; at: number } | { kind: 'planner-slot' } | { kind: 'planner-idle' };
type Task = Generator<Wait, void, void>;

interface QueuedLine {
  raw: string;
  /** The `N` the line carried, or null for an unnumbered line. */
  n: number | null;
  /** Noise that will strike the answer once the line has run. */
  noise?: AnswerNoise;
}

interface Running {
  line: QueuedLine;
  task: Task;
  wait: Wait | null;
  busyNextAt: number;
  /** Replaces the plain `ok` (M105 answers `ok T:...`). */
  customOk: string | null;
  /** A silent wait prints no busy messages. */
  silent: boolean;
}

const MAX_CMD_SIZE = 96;
const DEFAULT_FEEDRATE_MM_S = 25;
const MAX_FEEDRATE_MM_S: Axes = { x: 300, y: 300, z: 5, e: 25 };
const STEPS_PER_MM: Axes = { x: 80, y: 80, z: 400, e: 500 };
const BED = { x: 220, y: 220, z: 250 };
const HOMING_FEED_MM_S = { x: 50, y: 50, z: 4 };
const TEMP_WINDOW = 1;
const TEMP_HYSTERESIS = 3;
const MIN_COOLING_SLOPE_DEG = 1.5;
const MIN_COOLING_SLOPE_MS = 60_000;
const EXTRUDE_MINTEMP = 170;
const HEAT_POLL_MS = 100;
const UUID = 'cede2a2f-41a2-4748-9b12-c55c62f367ff';
export const VIRTUAL_FIRMWARE_VERSION = 'Marlin 2.1.2.4';

const isEol = (c: string) => c === '\n' || c === '\r';
/** How far apart the two reads of a split `ok` arrive. */
const SPLIT_GAP_MS = 20;
/** `N12 G1 X5*34` → `G1 X5`. */
const commandText = (raw: string) =>
  raw
    .replace(/^\s*N-?\d+\s*/, '')
    .replace(/\*\d*\s*$/, '')
    .trim();

export class VirtualFirmware {
  readonly clock: Clock;
  readonly baudRate: number | null;

  private readonly okLatencyMs: number;
  private readonly rxCapacity: number;
  private readonly bufsize: number;
  private readonly advancedOk: boolean;
  private readonly autoReport: boolean;
  private readonly residencyMs: number;
  private readonly defaultKeepaliveMs: number;
  private readonly bootMs: number;
  private readonly machineName: string;
  private readonly faults: {
    checksumErrorRate: number;
    dropOkAt: Set<number>;
    busyAt: Map<number, number>;
    disconnectAt: number | null;
    silentAt: Map<number, number>;
  };
  private readonly dice: () => number;
  private readonly noise: LineNoisePlan;
  private readonly idleWaitMs: number;
  private readonly resetsOnFirstInput: boolean;
  private heardHost = false;
  private lastInputAt = 0;
  private idleWaitTimer: { cancel(): void } | null = null;
  private readonly recordCommands: boolean;
  private readonly commands: string[] = [];
  /** While an `ok` is being delivered in two reads, the rest of it, and output held back behind it. */
  private splitting: { rest: string } | null = null;

  private readonly outputListeners = new Set<(chunk: string) => void>();
  private readonly disconnectListeners = new Set<() => void>();
  private readonly executedListeners = new Set<(n: number) => void>();

  private status: FirmwareState = 'running';
  private readonly executed: number[] = [];
  private readonly statistics: FirmwareStats = { rxDroppedBytes: 0, lineErrors: 0, injectedChecksumErrors: 0, idleWaits: 0 };

  // Serial input: the RX ring buffer, the line being assembled, and the emergency parser's own view.
  private rx = '';
  private rxHead = 0;
  private lineBuf = '';
  private lineSkipping = false;
  private epLine = '';
  private lastN = 0;

  private queue: QueuedLine[] = [];
  private current: Running | null = null;
  private readonly planner: Planner;
  private readonly thermal: Thermal;

  private pos: Axes = { x: 0, y: 0, z: 0, e: 0 };
  private homed = { x: false, y: false, z: false };
  private relativeXyz = false;
  private eMode: 'follow' | 'relative' | 'absolute' = 'follow';
  private feedrateMmS = DEFAULT_FEEDRATE_MM_S;
  private fan = 0;
  private progressPct: number | null = null;
  private motorsOn = false;
  private keepaliveMs: number;
  private waitForHeatup = false;
  /** M302: the hotend temperature below which E moves are refused, and whether cold extrusion is allowed anyway. */
  private extrudeMinTemp = EXTRUDE_MINTEMP;
  private allowColdExtrude = false;

  private wake: { at: number; timer: { cancel(): void } } | null = null;
  private tempReport: { cancel(): void } | null = null;
  private posReport: { cancel(): void } | null = null;
  private bootTimer: { cancel(): void } | null = null;

  private out = '';
  private depth = 0;
  private pumping = false;
  private repump = false;
  private pendingDisconnect = false;

  constructor(opts: VirtualFirmwareOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.baudRate = opts.baudRate ?? null;
    this.okLatencyMs = opts.okLatencyMs ?? 0;
    this.rxCapacity = opts.rxBufferBytes ?? 128;
    this.bufsize = opts.commandBufferLines ?? 4;
    this.advancedOk = opts.advancedOk ?? false;
    this.autoReport = opts.autoReport ?? true;
    this.residencyMs = (opts.heaters?.residencyS ?? 10) * 1000;
    this.defaultKeepaliveMs = opts.busyIntervalMs ?? 2000;
    this.keepaliveMs = this.defaultKeepaliveMs;
    this.bootMs = opts.bootMs ?? 0;
    this.machineName = opts.machineName ?? 'Virtual Marlin';
    const f = opts.faults ?? {};
    this.faults = {
      checksumErrorRate: f.checksumErrorRate ?? 0,
      dropOkAt: new Set(f.dropOkAtLines ?? []),
      busyAt: new Map(Object.entries(f.busyAtLines ?? {}).map(([k, v]) => [Number(k), v])),
      disconnectAt: f.disconnectAtLine ?? null,
      silentAt: new Map(Object.entries(f.silentAtLines ?? {}).map(([k, v]) => [Number(k), v])),
    };
    this.dice = createPrng(f.seed ?? 1);
    this.noise = new LineNoisePlan(f.noise);
    this.idleWaitMs = opts.idleWaitMs ?? 0;
    this.resetsOnFirstInput = opts.resetsOnFirstInput ?? false;
    this.recordCommands = opts.recordCommands ?? false;
    this.lastInputAt = this.clock.now();
    if (this.idleWaitMs > 0) this.idleWaitTimer = this.clock.setInterval(() => this.idleWait(), this.idleWaitMs);
    if (this.rxCapacity < 1 || this.bufsize < 1) throw new RangeError('rxBufferBytes and commandBufferLines must be at least 1.');
    this.planner = new Planner((opts.plannerBlocks ?? 16) - 1);
    this.thermal = new Thermal(opts.heaters ?? {}, this.clock.now());
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
    this.enter(() => {
      for (let i = 0; i < data.length; i++) {
        if (this.status !== 'running') return; // booting, halted or unplugged boards lose what arrives
        const c = data[i]!;
        this.emergencyParse(c);
        if (this.status !== 'running') return;
        if (this.rx.length - this.rxHead >= this.rxCapacity) {
          this.statistics.rxDroppedBytes++;
          continue;
        }
        this.rx += c;
        // The real main loop is far faster than the UART: give it a turn after every complete line.
        if (isEol(c)) this.pump();
      }
      this.pump();
    });
  }

  onOutput(listener: (chunk: string) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  onDisconnect(listener: () => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  /** Called with each N-numbered line once it has executed (used by `--exec-log`). */
  onLineExecuted(listener: (n: number) => void): () => void {
    this.executedListeners.add(listener);
    return () => this.executedListeners.delete(listener);
  }

  /** Board reset (DTR pulse or power cycle): everything volatile is lost, then `start` and the banner. */
  reset(): void {
    if (this.status === 'closed') return;
    this.enter(() => {
      this.stopTimers();
      this.rx = '';
      this.rxHead = 0;
      this.lineBuf = '';
      this.lineSkipping = false;
      this.epLine = '';
      this.lastN = 0;
      this.queue = [];
      this.current = null;
      this.planner.clear();
      this.thermal.advanceTo(this.clock.now());
      this.thermal.allOff();
      this.pos = { x: 0, y: 0, z: 0, e: 0 };
      this.homed = { x: false, y: false, z: false };
      this.relativeXyz = false;
      this.eMode = 'follow';
      this.feedrateMmS = DEFAULT_FEEDRATE_MM_S;
      this.fan = 0;
      this.progressPct = null;
      this.motorsOn = false;
      this.keepaliveMs = this.defaultKeepaliveMs;
      this.waitForHeatup = false;
      this.extrudeMinTemp = EXTRUDE_MINTEMP;
      this.allowColdExtrude = false;
      if (this.bootMs > 0) {
        this.status = 'booting';
        this.bootTimer = this.clock.setTimeout(() => {
          this.bootTimer = null;
          this.enter(() => {
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
  get noiseStruck(): ReturnType<LineNoisePlan['struck']> {
    return this.noise.struck();
  }

  get temperatures(): { hotend: { actual: number; target: number }; bed: { actual: number; target: number } } {
    this.thermal.advanceTo(this.clock.now());
    const { hotend, bed } = this.thermal;
    return { hotend: { actual: hotend.actual, target: hotend.target }, bed: { actual: bed.actual, target: bed.target } };
  }

  /** The commanded position (Marlin's current_position: where the last accepted move ends). */
  get position(): { x: number; y: number; z: number; e: number } {
    return { ...this.pos };
  }

  get state(): FirmwareState {
    return this.status;
  }

  /** Whether the steppers are energised (M17 or a move; M84/M18 release them). */
  get motorsEnabled(): boolean {
    return this.motorsOn;
  }

  get fanSpeed(): number {
    return this.fan;
  }

  get progress(): number | null {
    return this.progressPct;
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
    this.queue = [];
    this.current = null;
  }

  // ---------------------------------------------------------------- output plumbing

  /** Runs `fn` and sends the output it produced as one chunk once the outermost call returns. */
  private enter(fn: () => void): void {
    this.depth++;
    try {
      fn();
    } finally {
      this.depth--;
      if (this.depth === 0) this.flush();
    }
  }

  private emit(line: string): void {
    this.out += `${line}\n`;
  }

  private flush(): void {
    if (this.out && !this.splitting) {
      const chunk = this.out;
      this.out = '';
      for (const l of [...this.outputListeners]) l(chunk);
    }
    if (this.pendingDisconnect) {
      this.pendingDisconnect = false;
      for (const l of [...this.disconnectListeners]) l();
    }
  }

  private banner(): void {
    this.emit('start');
    this.emit(`echo:${VIRTUAL_FIRMWARE_VERSION}`);
    this.emit('echo: Last Updated: 2024-06-11 | Author: (AutoPrintFarm virtual board)');
    this.emit(`echo: Free Memory: 2680  PlannerBufferBytes: 1232`);
    this.emit('echo:SD card ok');
  }

  // ---------------------------------------------------------------- serial input

  /** EMERGENCY_PARSER: sees every byte as it arrives, before (and regardless of) the RX buffer. */
  private emergencyParse(c: string): void {
    if (!isEol(c)) {
      if (this.epLine.length < MAX_CMD_SIZE) this.epLine += c;
      return;
    }
    let s = this.epLine.trimStart();
    this.epLine = '';
    const n = /^N\s*-?\d+\s*/.exec(s);
    if (n) s = s.slice(n[0].length);
    const m = /^M(\d+)(?!\d)/.exec(s);
    if (!m) return;
    if (m[1] === '112') this.kill();
    else if (m[1] === '108') this.waitForHeatup = false;
    else if (m[1] === '410') this.quickstop();
  }

  /** Marlin's get_serial_commands(): moves complete lines from RX into the queue while it has room. */
  private readSerial(): void {
    try {
      while (this.queue.length < this.bufsize && this.rxHead < this.rx.length && this.status === 'running') {
        const c = this.rx[this.rxHead++]!;
        if (isEol(c)) {
          this.lineSkipping = false;
          const line = this.lineBuf;
          this.lineBuf = '';
          if (line === '') continue;
          if (!this.acceptLine(line)) return;
        } else if (!this.lineSkipping) {
          if (c === ';')
            this.lineSkipping = true; // comment to end of line
          else if (c === '\b') this.lineBuf = this.lineBuf.slice(0, -1);
          else {
            this.lineBuf += c;
            if (this.lineBuf.length >= MAX_CMD_SIZE - 1) this.lineSkipping = true; // overflow: rest is dropped
          }
        }
      }
    } finally {
      if (this.rxHead > 0) {
        this.rx = this.rx.slice(this.rxHead);
        this.rxHead = 0;
      }
    }
  }

  /** Validates one received line exactly as Marlin does; false when it was rejected. */
  private acceptLine(line: string): boolean {
    const command = line.replace(/^ +/, '');
    let n: number | null = null;
    if (command.startsWith('N')) {
      n = strtol(command.slice(1));
      if (this.faults.disconnectAt !== null && n === this.faults.disconnectAt) {
        this.faults.disconnectAt = null;
        this.disconnect();
        return false;
      }
      const isM110 = command.includes('M110');
      let npos = command;
      if (isM110) {
        const n2 = command.indexOf('N', 4);
        if (n2 !== -1) npos = command.slice(n2);
      }
      const gcodeN = strtol(npos.slice(1));
      if (gcodeN !== this.lastN + 1 && !isM110) return this.lineError('Line Number is not Last Line Number+1, Last Line: ');
      const star = command.lastIndexOf('*');
      if (star === -1) return this.lineError('No Checksum with line number, Last Line: ');
      if (strtol(command.slice(star + 1)) !== xorChecksum(command.slice(0, star))) {
        return this.lineError('checksum mismatch, Last Line: ');
      }
      if (this.faults.checksumErrorRate > 0 && this.dice() < this.faults.checksumErrorRate) {
        this.statistics.injectedChecksumErrors++;
        return this.lineError('checksum mismatch, Last Line: ');
      }
      const noise = isM110 ? null : this.noise.draw(gcodeN);
      if (noise === 'checksum') return this.lineError('checksum mismatch, Last Line: ');
      if (noise === 'line-number') return this.lineError('Line Number is not Last Line Number+1, Last Line: ');
      if (noise === 'lost-resend') return this.lineError('checksum mismatch, Last Line: ', { garbleResend: true });
      this.lastN = gcodeN;
      if (noise && !isIncomingNoise(noise)) {
        this.queue.push({ raw: line, n, noise });
        return true;
      }
    }
    this.queue.push({ raw: line, n });
    return true;
  }

  private lineError(reason: string, how: { garbleResend?: boolean } = {}): false {
    this.statistics.lineErrors++;
    this.emit(`Error:${reason}${this.lastN}`);
    // Marlin empties the RX buffer here, so lines the host pipelined behind the bad one are lost too.
    this.rxHead = this.rx.length;
    this.lineBuf = '';
    this.lineSkipping = false;
    // A garbled `Resend:` reaches the host as noise it cannot read (`Re§end: 5`).
    this.emit(how.garbleResend ? `Re\u00a7end: ${this.lastN + 1}` : `Resend: ${this.lastN + 1}`);
    this.emit('ok');
    return false;
  }

  // ---------------------------------------------------------------- the main loop

  private pump(): void {
    if (this.pumping) {
      this.repump = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.repump = false;
        this.runLoop();
      } while (this.repump);
    } finally {
      this.pumping = false;
    }
    this.scheduleWake();
  }

  private runLoop(): void {
    const now = this.clock.now();
    this.thermal.advanceTo(now);
    for (;;) {
      if (this.status !== 'running') return;
      if (!this.current) {
        this.readSerial();
        const next = this.queue[0];
        if (this.status !== 'running' || !next) return;
        this.current = { line: next, task: this.taskFor(next), wait: null, busyNextAt: now + this.keepaliveMs, customOk: null, silent: false };
      }
      if (!this.advanceCurrent(now)) return;
    }
  }

  /** Runs the current command as far as it can go now; true when it finished. */
  private advanceCurrent(now: number): boolean {
    const cur = this.current!;
    if (cur.wait && !cur.silent && this.keepaliveMs > 0 && now >= cur.busyNextAt) {
      this.emit('echo:busy: processing');
      cur.busyNextAt = now + this.keepaliveMs;
    }
    for (;;) {
      if (cur.wait && !this.satisfied(cur.wait, now)) return false;
      const step = cur.task.next();
      if (this.current !== cur) return false; // killed or reset while running
      if (step.done) {
        this.finish(cur);
        return true;
      }
      cur.wait = step.value;
    }
  }

  private finish(cur: Running): void {
    this.current = null;
    const n = cur.line.n;
    if (n !== null) {
      this.executed.push(n);
      if (this.recordCommands) this.commands.push(commandText(cur.line.raw));
      for (const l of [...this.executedListeners]) l(n);
    }
    const drop = n !== null && this.faults.dropOkAt.delete(n);
    if (!drop) this.answer(cur.customOk ?? this.okLine(cur.line), cur.line);
    this.queue.shift();
  }

  /** Sends the ok for a line that ran, through whatever noise strikes it. */
  private answer(ok: string, line: QueuedLine): void {
    switch (line.noise) {
      case undefined:
        return this.emit(ok);
      case 'lost-ok':
        return;
      case 'double-ok':
        this.emit(ok);
        return this.emit(ok);
      case 'garbage':
        this.emit(garbageLine(this.dice));
        return this.emit(ok);
      case 'future-resend':
        // OctoPrint's virtual printer: the line was taken, yet the next one (not sent yet) is asked for.
        this.emit(`Error:Line Number is not Last Line Number+1, Last Line: ${this.lastN}`);
        this.emit(`Resend: ${this.lastN + 1}`);
        return this.emit('ok');
      case 'split-ok':
        return this.splitAnswer(ok);
    }
  }

  /** Delivers `ok` in two reads a few ms apart; other output waits behind it, as it would on the wire. */
  private splitAnswer(ok: string): void {
    if (this.splitting) return this.emit(ok);
    const head = this.out + ok.slice(0, 1);
    this.out = '';
    for (const l of [...this.outputListeners]) l(head);
    this.splitting = { rest: `${ok.slice(1)}\n` };
    this.clock.setTimeout(() => {
      const split = this.splitting;
      this.splitting = null;
      if (!split || this.status === 'closed') return;
      this.enter(() => {
        this.out = split.rest + this.out;
      });
    }, SPLIT_GAP_MS);
  }

  /** NO_TIMEOUTS: an idle board with nothing arriving says `wait`. */
  private idleWait(): void {
    if (this.status !== 'running' || this.current || this.queue.length || this.rx.length > this.rxHead) return;
    if (this.clock.now() - this.lastInputAt < this.idleWaitMs) return;
    this.statistics.idleWaits++;
    this.enter(() => this.emit('wait'));
  }

  /** `ok`, or with ADVANCED_OK `ok N<n> P<planner free> B<queue free>`; B counts the finishing command as still queued, as Marlin does. */
  private okLine(line: QueuedLine): string {
    if (!this.advancedOk) return 'ok';
    const n = /^N([-+]?\d*)/.exec(line.raw);
    const nPart = n ? ` N${n[1]}` : '';
    return `ok${nPart} P${this.planner.movesFree(this.clock.now())} B${this.bufsize - this.queue.length}`;
  }

  private satisfied(w: Wait, now: number): boolean {
    switch (w.kind) {
      case 'until':
        return now >= w.at;
      case 'planner-slot':
        return !this.planner.isFull(now);
      case 'planner-idle':
        return this.planner.idleAt(now) === null;
    }
  }

  private wakeAt(w: Wait, now: number): number {
    switch (w.kind) {
      case 'until':
        return w.at;
      case 'planner-slot':
        return this.planner.nextFreeAt(now) ?? now;
      case 'planner-idle':
        return this.planner.idleAt(now) ?? now;
    }
  }

  private scheduleWake(): void {
    const cur = this.current;
    if (this.status !== 'running' || !cur?.wait) {
      this.wake?.timer.cancel();
      this.wake = null;
      return;
    }
    const now = this.clock.now();
    let at = this.wakeAt(cur.wait, now);
    if (this.keepaliveMs > 0) at = Math.min(at, cur.busyNextAt);
    if (this.wake?.at === at) return;
    this.wake?.timer.cancel();
    const timer = this.clock.setTimeout(
      () => {
        if (this.wake?.timer !== timer) return;
        this.wake = null;
        this.enter(() => this.pump());
      },
      Math.max(0, at - now),
    );
    this.wake = { at, timer };
  }

  private stopTimers(): void {
    this.wake?.timer.cancel();
    this.wake = null;
    this.tempReport?.cancel();
    this.tempReport = null;
    this.posReport?.cancel();
    this.posReport = null;
    this.bootTimer?.cancel();
    this.bootTimer = null;
  }

  private kill(): void {
    this.thermal.advanceTo(this.clock.now());
    this.thermal.allOff();
    this.planner.clear();
    this.queue = [];
    this.current = null;
    this.rx = '';
    this.rxHead = 0;
    this.stopTimers();
    this.status = 'killed';
    this.emit('Error:Printer halted. kill() called!');
  }

  private disconnect(): void {
    this.queue = [];
    this.current = null;
    this.rx = '';
    this.rxHead = 0;
    this.stopTimers();
    this.status = 'disconnected';
    this.pendingDisconnect = true;
  }

  private quickstop(): void {
    const now = this.clock.now();
    const physical = this.planner.physicalPosition(now);
    this.planner.clear();
    if (physical) this.pos = physical;
  }

  // ---------------------------------------------------------------- commands

  private *taskFor(line: QueuedLine): Task {
    const busyMs = line.n !== null ? this.faults.busyAt.get(line.n) : undefined;
    if (busyMs) yield { kind: 'until', at: this.clock.now() + busyMs };
    const silentMs = line.n !== null ? this.faults.silentAt.get(line.n) : undefined;
    if (silentMs) {
      this.faults.silentAt.delete(line.n!);
      this.current!.silent = true;
      yield { kind: 'until', at: this.clock.now() + silentMs };
      this.current!.silent = false;
    }
    yield* this.execute(parseCommand(line.raw));
    if (this.okLatencyMs > 0) yield { kind: 'until', at: this.clock.now() + this.okLatencyMs };
  }

  private *execute(cmd: ParsedCommand): Task {
    const p = cmd.params;
    const num = (k: string): number | undefined => {
      const v = p.get(k);
      return v === undefined || v === null ? undefined : v;
    };
    const unknown = () => this.emit(`echo:Unknown command: "${cmd.text}"`);
    if (cmd.letter === 'G') {
      switch (cmd.code) {
        case 0:
        case 1:
          return yield* this.move(cmd);
        case 4: {
          yield { kind: 'planner-idle' };
          const ms = num('P') ?? (num('S') ?? 0) * 1000;
          if (ms > 0) yield { kind: 'until', at: this.clock.now() + ms };
          return;
        }
        case 28:
          return yield* this.home(cmd);
        case 29:
          return yield* this.probeMesh();
        case 90:
          this.relativeXyz = false;
          this.eMode = 'follow';
          return;
        case 91:
          this.relativeXyz = true;
          this.eMode = 'follow';
          return;
        case 92:
          for (const axis of ['x', 'y', 'z', 'e'] as const) {
            const v = num(axis.toUpperCase());
            if (v !== undefined) this.pos[axis] = v;
          }
          return;
        default:
          return unknown();
      }
    }
    if (cmd.letter === 'M') {
      switch (cmd.code) {
        case 17:
          this.motorsOn = true;
          return;
        case 18:
        case 84:
          yield { kind: 'planner-idle' };
          this.motorsOn = false;
          return;
        case 20:
          this.emit('Begin file list');
          this.emit('End file list');
          return;
        case 21:
          this.emit('echo:SD card ok');
          return;
        case 27:
          this.emit('Not SD printing');
          return;
        case 73:
          if (num('P') !== undefined) this.progressPct = num('P')!;
          return;
        case 82:
          this.eMode = 'absolute';
          return;
        case 83:
          this.eMode = 'relative';
          return;
        case 104:
          if (num('S') !== undefined) this.thermal.hotend.setTarget(num('S')!);
          return;
        case 140:
          if (num('S') !== undefined) this.thermal.bed.setTarget(num('S')!);
          return;
        case 109:
        case 190: {
          const heater = cmd.code === 109 ? this.thermal.hotend : this.thermal.bed;
          const noWaitForCooling = num('S') !== undefined;
          const value = num('S') ?? num('R');
          this.thermal.advanceTo(this.clock.now());
          if (value !== undefined) heater.setTarget(value);
          const heating = heater.target > heater.actual;
          if (heating || !noWaitForCooling) yield* this.waitForHeater(cmd.code === 109 ? 'hotend' : 'bed', noWaitForCooling);
          return;
        }
        case 105:
          this.thermal.advanceTo(this.clock.now());
          this.current!.customOk = `ok${this.thermal.report()}`;
          return;
        case 106:
          this.fan = Math.max(0, Math.min(255, Math.round(num('S') ?? 255)));
          return;
        case 107:
          this.fan = 0;
          return;
        case 108:
          this.waitForHeatup = false;
          return;
        case 110:
          if (num('N') !== undefined) this.lastN = num('N')!;
          return;
        case 112:
          this.kill();
          return;
        case 113:
          if (num('S') !== undefined) this.keepaliveMs = Math.max(0, Math.min(60, num('S')!)) * 1000;
          else this.emit(`echo:M113 S${this.keepaliveMs / 1000}`);
          return;
        case 114:
          this.emit(this.positionReport());
          return;
        case 115:
          for (const l of this.capabilityReport()) this.emit(l);
          return;
        case 117:
          return;
        case 118: {
          let text = cmd.rest;
          let prefix = '';
          for (let m = /^([AEP])([01])?\s*/.exec(text); m; m = /^([AEP])([01])?\s*/.exec(text)) {
            if (m[1] === 'A' && m[2] !== '0') prefix = '//';
            if (m[1] === 'E' && m[2] !== '0') prefix = 'echo:';
            text = text.slice(m[0].length);
          }
          this.emit(`${prefix}${text}`);
          return;
        }
        case 154:
        case 155: {
          if (!this.autoReport) return unknown();
          const s = num('S');
          if (s === undefined) return;
          if (cmd.code === 155) {
            this.tempReport?.cancel();
            this.tempReport = s > 0 ? this.clock.setInterval(() => this.autoReportTemperature(), s * 1000) : null;
          } else {
            this.posReport?.cancel();
            this.posReport = s > 0 ? this.clock.setInterval(() => this.autoReportPosition(), s * 1000) : null;
          }
          return;
        }
        case 302: {
          // Marlin's M302: S sets the minimum extrusion temperature (S0 allows cold extrusion), P1/P0
          // allows or forbids it outright; without either it reports the setting.
          const s = num('S');
          const pFlag = num('P');
          if (s !== undefined) {
            this.extrudeMinTemp = s;
            this.allowColdExtrude = s === 0;
          }
          if (pFlag !== undefined) this.allowColdExtrude = this.extrudeMinTemp === 0 || pFlag !== 0;
          else if (s === undefined) {
            this.emit(`echo:Cold extrudes are ${this.allowColdExtrude ? 'en' : 'dis'}abled (min temp ${this.extrudeMinTemp}C)`);
          }
          return;
        }
        case 400:
          yield { kind: 'planner-idle' };
          return;
        case 410:
          this.quickstop();
          return;
        case 999:
          // Marlin answers M999 with a resend request for the next line, then its own ok.
          this.emit(`Resend: ${this.lastN + 1}`);
          this.emit('ok');
          return;
        case 75:
        case 76:
        case 77:
        case 92:
        case 201:
        case 203:
        case 204:
        case 205:
        case 220:
        case 221:
        case 500:
        case 501:
        case 502:
        case 503:
        case 900:
          return; // accepted settings and job-timer commands: nothing to simulate
        default:
          return unknown();
      }
    }
    if (cmd.letter === 'T') {
      if (cmd.code !== 0) this.emit(`echo:T${cmd.code} Invalid extruder`);
      return;
    }
    return unknown();
  }

  private *move(cmd: ParsedCommand): Task {
    const p = cmd.params;
    const f = p.get('F');
    if (f !== undefined && f !== null && f > 0) this.feedrateMmS = f / 60;
    const target = { ...this.pos };
    let any = false;
    for (const axis of ['x', 'y', 'z', 'e'] as const) {
      const v = p.get(axis.toUpperCase());
      if (v === undefined || v === null) continue;
      any = true;
      const relative = axis === 'e' && this.eMode !== 'follow' ? this.eMode === 'relative' : this.relativeXyz;
      target[axis] = relative ? this.pos[axis] + v : v;
    }
    if (!any) return;
    this.thermal.advanceTo(this.clock.now());
    let de = target.e - this.pos.e;
    if (de !== 0 && !this.allowColdExtrude && this.thermal.hotend.actual < this.extrudeMinTemp) {
      this.emit('echo: cold extrusion prevented');
      de = 0;
    }
    const d = { x: target.x - this.pos.x, y: target.y - this.pos.y, z: target.z - this.pos.z, e: de };
    const xyz = Math.hypot(d.x, d.y, d.z);
    const length = xyz > 0 ? xyz : Math.abs(d.e);
    if (length === 0) {
      this.pos = target;
      return;
    }
    // Constant speed: the programmed feedrate, slowed so no axis exceeds its maximum.
    let speed = this.feedrateMmS;
    for (const axis of ['x', 'y', 'z', 'e'] as const) {
      const axisSpeed = (Math.abs(d[axis]) / length) * speed;
      if (axisSpeed > MAX_FEEDRATE_MM_S[axis]) speed *= MAX_FEEDRATE_MM_S[axis] / axisSpeed;
    }
    if (this.planner.isFull(this.clock.now())) yield { kind: 'planner-slot' };
    const from = { ...this.pos };
    this.planner.add(this.clock.now(), from, target, (length / speed) * 1000);
    this.pos = target;
    this.motorsOn = true;
  }

  private *home(cmd: ParsedCommand): Task {
    yield { kind: 'planner-idle' };
    const asked = (['x', 'y', 'z'] as const).filter((a) => cmd.params.has(a.toUpperCase()));
    const axes = asked.length ? asked : (['x', 'y', 'z'] as const);
    let ms = 0;
    for (const axis of axes) {
      // An unhomed axis could be anywhere; assume it starts mid-travel (Z: a little above the bed).
      const distance = this.homed[axis] ? Math.abs(this.pos[axis]) : axis === 'z' ? 10 : BED[axis] / 2;
      ms += (distance / HOMING_FEED_MM_S[axis]) * 1000 + 1000; // plus the slow second bump
    }
    yield { kind: 'until', at: this.clock.now() + ms };
    for (const axis of axes) {
      this.pos[axis] = 0;
      this.homed[axis] = true;
    }
    this.motorsOn = true;
    this.emit(this.positionReport());
  }

  private *probeMesh(): Task {
    yield { kind: 'planner-idle' };
    yield { kind: 'until', at: this.clock.now() + 9 * 1500 }; // 3x3 grid, ~1.5 s per probe point
  }

  /** Marlin's wait_for_hotend()/wait_for_bed(): M109/M190 S waits only to heat, R also waits to cool. */
  private *waitForHeater(which: 'hotend' | 'bed', noWaitForCooling: boolean): Task {
    const heater = this.thermal[which];
    let target = -1;
    let wantsToCool = false;
    let residencyStart: number | null = null;
    let nextReport = 0;
    let oldTemp = 9999;
    let coolCheckAt = 0;
    this.waitForHeatup = true;
    for (;;) {
      const now = this.clock.now();
      this.thermal.advanceTo(now);
      if (target !== heater.target) {
        wantsToCool = heater.target < heater.actual;
        target = heater.target;
        if (noWaitForCooling && wantsToCool) break;
      }
      if (now >= nextReport) {
        nextReport = now + 1000;
        const w = residencyStart === null ? '?' : String(Math.max(0, Math.floor((this.residencyMs - (now - residencyStart)) / 1000)));
        this.emit(`${this.thermal.report()} W:${w}`);
      }
      const diff = Math.abs(target - heater.actual);
      if (residencyStart === null) {
        if (diff < TEMP_WINDOW) residencyStart = now;
      } else if (diff > TEMP_HYSTERESIS) {
        residencyStart = now;
      }
      if (wantsToCool) {
        // Give up if it is not cooling (e.g. M109 R0 at room temperature) rather than wait forever.
        if (coolCheckAt === 0 || now >= coolCheckAt) {
          if (oldTemp - heater.actual < MIN_COOLING_SLOPE_DEG) break;
          coolCheckAt = now + MIN_COOLING_SLOPE_MS;
          oldTemp = heater.actual;
        }
      }
      if (!this.waitForHeatup) break;
      if (residencyStart !== null && now - residencyStart >= this.residencyMs) break;
      yield { kind: 'until', at: now + HEAT_POLL_MS };
    }
    this.waitForHeatup = false;
  }

  private autoReportTemperature(): void {
    if (this.status !== 'running') return;
    this.enter(() => {
      this.thermal.advanceTo(this.clock.now());
      this.emit(this.thermal.report());
    });
  }

  private autoReportPosition(): void {
    if (this.status !== 'running') return;
    this.enter(() => this.emit(this.positionReport()));
  }

  private positionReport(): string {
    const { x, y, z, e } = this.pos;
    const count = (v: number, axis: 'x' | 'y' | 'z') => Math.round(v * STEPS_PER_MM[axis]);
    return `X:${x.toFixed(2)} Y:${y.toFixed(2)} Z:${z.toFixed(2)} E:${e.toFixed(2)} Count X:${count(x, 'x')} Y:${count(y, 'y')} Z:${count(z, 'z')}`;
  }

  private capabilityReport(): string[] {
    const cap = (name: string, on: boolean) => `Cap:${name}:${on ? 1 : 0}`;
    return [
      `FIRMWARE_NAME:${VIRTUAL_FIRMWARE_VERSION} (AutoPrintFarm virtual board) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:${this.machineName} EXTRUDER_COUNT:1 UUID:${UUID}`,
      cap('SERIAL_XON_XOFF', false),
      cap('BINARY_FILE_TRANSFER', false),
      cap('EEPROM', false),
      cap('VOLUMETRIC', true),
      cap('AUTOREPORT_POS', this.autoReport),
      cap('AUTOREPORT_TEMP', this.autoReport),
      cap('PROGRESS', false),
      cap('PRINT_JOB', true),
      cap('AUTOLEVEL', true),
      cap('RUNOUT', false),
      cap('Z_PROBE', true),
      cap('LEVELING_DATA', true),
      cap('BUILD_PERCENT', true),
      cap('SOFTWARE_POWER', false),
      cap('TOGGLE_LIGHTS', false),
      cap('CASE_LIGHT_BRIGHTNESS', false),
      cap('EMERGENCY_PARSER', true),
      cap('HOST_ACTION_COMMANDS', true),
      cap('PROMPT_SUPPORT', false),
      cap('SDCARD', true),
      cap('REPEAT', false),
      cap('SD_WRITE', false),
      cap('AUTOREPORT_SD_STATUS', false),
      cap('LONG_FILENAME', true),
      cap('LFN_WRITE', false),
      cap('CUSTOM_FIRMWARE_UPLOAD', false),
      cap('EXTENDED_M20', true),
      cap('THERMAL_PROTECTION', true),
      cap('MOTION_MODES', false),
      cap('ARCS', false),
      cap('BABYSTEPPING', false),
      cap('CHAMBER_TEMPERATURE', false),
      cap('COOLER_TEMPERATURE', false),
      cap('MEATPACK', false),
      cap('CONFIG_EXPORT', false),
      // Not a real Marlin capability line (Marlin never advertises ADVANCED_OK; hosts spot it in the
      // `ok` format). A host must treat its absence as "unknown", not "off".
      cap('ADVANCED_OK', this.advancedOk),
      `area:{full:{min:{x:0.00,y:0.00,z:0.00},max:{x:${BED.x.toFixed(2)},y:${BED.y.toFixed(2)},z:${BED.z.toFixed(2)}}},work:{min:{x:0.00,y:0.00,z:0.00},max:{x:${BED.x.toFixed(2)},y:${BED.y.toFixed(2)},z:${BED.z.toFixed(2)}}}}`,
    ];
  }
}

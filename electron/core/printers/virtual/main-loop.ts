import type { Clock } from '../../ports/clock';
import { waitSatisfied, wakeTime, type CommandContext, type MachineState, type Task, type Wait } from './command-context';
import { executeCommand } from './command-table';
import { answerThroughNoise, type FirmwareFaults } from './fault-injection';
import { parseCommand } from './gcode-line';
import type { AnswerNoise } from './line-noise';
import type { Planner } from './planner';
import type { SerialOutput } from './serial-output';
import type { Thermal } from './thermal';

export interface QueuedLine {
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

export interface MainLoopContext {
  clock: Clock;
  planner: Planner;
  thermal: Thermal;
  faults: FirmwareFaults;
  output: SerialOutput;
  m: MachineState;
  commands: CommandContext;
  /** BUFSIZE: command queue depth. */
  bufsize: number;
  okLatencyMs: number;
  advancedOk: boolean;
  running(): boolean;
  /** Moves complete lines from the RX buffer into the queue while it has room. */
  readSerial(): void;
  /** A numbered line has run (before its ok goes out). */
  executed(line: QueuedLine): void;
  lastLineNumber(): number;
}

/**
 * Marlin's main loop over its command queue: runs the oldest command as far as it can go now (a command waits
 * for time, a planner slot or an idle planner), prints `busy` while one blocks, answers `ok` when it is done
 * (through any noise or fault set for its line), reads more lines from serial when there is room, and sets a
 * timer for when the waiting command may go on.
 */
export class MainLoop {
  private queue: QueuedLine[] = [];
  private current: Running | null = null;
  private wake: { at: number; timer: { cancel(): void } } | null = null;
  private pumping = false;
  private repump = false;

  constructor(private readonly c: MainLoopContext) {}

  get hasRoom(): boolean {
    return this.queue.length < this.c.bufsize;
  }

  /** Nothing queued and nothing running. */
  get idle(): boolean {
    return !this.current && this.queue.length === 0;
  }

  push(line: QueuedLine): void {
    this.queue.push(line);
  }

  /** Everything queued or running is lost (reset, kill, unplug). */
  clear(): void {
    this.queue = [];
    this.current = null;
  }

  /** Replaces the plain `ok` of the running command. */
  okWith(line: string): void {
    this.current!.customOk = line;
  }

  stopWake(): void {
    this.wake?.timer.cancel();
    this.wake = null;
  }

  pump(): void {
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
    const now = this.c.clock.now();
    this.c.thermal.advanceTo(now);
    for (;;) {
      if (!this.c.running()) return;
      if (!this.current) {
        this.c.readSerial();
        const next = this.queue[0];
        if (!this.c.running() || !next) return;
        this.current = { line: next, task: this.taskFor(next), wait: null, busyNextAt: now + this.c.m.keepaliveMs, customOk: null, silent: false };
      }
      if (!this.advanceCurrent(now)) return;
    }
  }

  /** Runs the current command as far as it can go now; true when it finished. */
  private advanceCurrent(now: number): boolean {
    const cur = this.current!;
    const { keepaliveMs } = this.c.m;
    if (cur.wait && !cur.silent && keepaliveMs > 0 && now >= cur.busyNextAt) {
      this.c.output.emit('echo:busy: processing');
      cur.busyNextAt = now + keepaliveMs;
    }
    for (;;) {
      if (cur.wait && !waitSatisfied(cur.wait, this.c.planner, now)) return false;
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
    if (n !== null) this.c.executed(cur.line);
    const drop = n !== null && this.c.faults.dropsOkOf(n);
    if (!drop) answerThroughNoise(cur.customOk ?? this.okLine(cur.line), cur.line.noise, this.c.output, this.c.faults.dice, this.c.lastLineNumber());
    this.queue.shift();
  }

  /** `ok`, or with ADVANCED_OK `ok N<n> P<planner free> B<queue free>`; B counts the finishing command as still queued, as Marlin does. */
  private okLine(line: QueuedLine): string {
    if (!this.c.advancedOk) return 'ok';
    const n = /^N([-+]?\d*)/.exec(line.raw);
    const nPart = n ? ` N${n[1]}` : '';
    return `ok${nPart} P${this.c.planner.movesFree(this.c.clock.now())} B${this.c.bufsize - this.queue.length}`;
  }

  private scheduleWake(): void {
    const cur = this.current;
    if (!this.c.running() || !cur?.wait) {
      this.stopWake();
      return;
    }
    const { clock } = this.c;
    const now = clock.now();
    let at = wakeTime(cur.wait, this.c.planner, now);
    if (this.c.m.keepaliveMs > 0) at = Math.min(at, cur.busyNextAt);
    if (this.wake?.at === at) return;
    this.wake?.timer.cancel();
    const timer = clock.setTimeout(
      () => {
        if (this.wake?.timer !== timer) return;
        this.wake = null;
        this.c.output.enter(() => this.pump());
      },
      Math.max(0, at - now),
    );
    this.wake = { at, timer };
  }

  /** A queued line as it runs: the faults set for its line number first, then its command, then any ok latency. */
  private *taskFor(line: QueuedLine): Task {
    const { clock, faults } = this.c;
    const busyMs = line.n !== null ? faults.busyMsAt(line.n) : undefined;
    if (busyMs) yield { kind: 'until', at: clock.now() + busyMs };
    const silentMs = line.n !== null ? faults.takeSilentMsAt(line.n) : undefined;
    if (silentMs) {
      this.current!.silent = true;
      yield { kind: 'until', at: clock.now() + silentMs };
      this.current!.silent = false;
    }
    yield* executeCommand(parseCommand(line.raw), this.c.commands);
    if (this.c.okLatencyMs > 0) yield { kind: 'until', at: clock.now() + this.c.okLatencyMs };
  }
}

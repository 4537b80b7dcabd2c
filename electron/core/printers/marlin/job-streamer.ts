import { AppError } from '../../errors';
import { systemClock, type Clock } from '../../ports/clock';
import type { PrintSource } from '../driver';
import { Emitter } from './emitter';
import { LayerCounter } from '../../gcode/layer-markers';
import { commandCode, stripComment } from './framing';
import type { HostState, JobFeed, MarlinHost } from './host';
import { parsePosition, type ReportedPosition } from './responses';

/**
 * G-code the streamer runs around a pause, a resume and a cancel. Resume lines may use {x} {y} {z} {e} {f},
 * the position and feed rate saved when pausing; a line whose placeholders cannot be filled is skipped.
 */
export interface JobScripts {
  pause: string[];
  resume: string[];
  cancel: string[];
  /** Turn the heaters off while paused and heat back up (waiting) before resuming. */
  heatersOffOnPause: boolean;
}

export const DEFAULT_JOB_SCRIPTS: JobScripts = {
  // Lift the nozzle off the print so it does not melt a blob into it.
  pause: ['G91', 'G1 Z10 F600', 'G90'],
  resume: ['G90', 'G1 X{x} Y{y} F3000', 'G1 Z{z} F600', 'G92 E{e}', 'G1 F{f}'],
  cancel: ['M104 S0', 'M140 S0', 'M107', 'M84'],
  heatersOffOnPause: false,
};

export type JobPhase = 'printing' | 'pausing' | 'paused' | 'resuming' | 'cancelling' | 'finished';

export type JobOutcome =
  | { kind: 'completed'; lines: number }
  | { kind: 'cancelled'; atLine: number }
  /** `atLine` is the first line of the file (1-based) the printer did not confirm: where a restart would pick up. */
  | { kind: 'interrupted'; atLine: number; reason: string };

export interface JobSnapshot {
  fileName: string;
  phase: JobPhase;
  bytesTotal: number;
  bytesAcked: number;
  /** 0..1 by bytes acknowledged. */
  fraction: number;
  linesSent: number;
  linesAcked: number;
  /** Known once the whole file has been read. */
  linesTotal: number | null;
  /** Last file line (1-based) the printer acknowledged; 0 before the first. */
  lastAckedFileLine: number;
  /** The layer of the last line the printer acknowledged (0 before the first layer marker). */
  layer: number;
  startedAt: number;
}

export interface JobEvents {
  progress: JobSnapshot;
  phase: JobPhase;
  finished: JobOutcome;
  notice: string;
}

export interface JobStreamerOptions {
  clock?: Clock;
  scripts?: Partial<JobScripts>;
  /** Heater targets to restore after a pause that turned them off. */
  currentTargets?: () => { hotend: number; bed: number };
  /** Lines read ahead of the sender. */
  readAheadLines?: number;
  /** Minimum time between `progress` events. */
  progressIntervalMs?: number;
}

interface QueuedLine {
  command: string;
  fileLine: number;
  byteEnd: number;
  /** The layer the file is in at this line (0 before the first layer marker). */
  layer: number;
}

interface Modes {
  relative: boolean;
  relativeE: boolean;
  feedrate: number | null;
}

/**
 * Streams one PrintSource through a MarlinHost: reads ahead, strips comments and blank lines, counts
 * progress by acknowledged bytes and lines, and runs pause/resume/cancel scripts. A fatal printer error or
 * a lost link ends the job as `interrupted` at the first unconfirmed line; it never throws out of a callback.
 */
export class JobStreamer {
  readonly events = new Emitter<JobEvents>();
  readonly done: Promise<JobOutcome>;
  private resolveDone!: (outcome: JobOutcome) => void;

  private readonly clock: Clock;
  private readonly scripts: JobScripts;
  private readonly readAhead: number;
  private readonly progressIntervalMs: number;

  private phase: JobPhase = 'printing';
  private readonly startedAt: number;
  private iterator: AsyncIterator<Uint8Array, unknown> | null = null;
  private reading = false;
  private eof = false;
  private partial = '';
  private fileLine = 0;
  private bytesRead = 0;

  private readonly queue: QueuedLine[] = [];
  private queueHead = 0;
  private readonly sent: (QueuedLine & { tag: number })[] = [];
  private sentHead = 0;
  private nextTag = 0;

  private linesSent = 0;
  private linesAcked = 0;
  private bytesAcked = 0;
  private lastAckedFileLine = 0;
  /** Layers are counted as the file is read; the one shown is that of the last line the printer acknowledged. */
  private readonly layers = new LayerCounter();
  private ackedLayer = 0;
  private linesTotal: number | null = null;
  private lastProgressAt = 0;
  private readonly modes: Modes = { relative: false, relativeE: false, feedrate: null };
  private saved: { position: ReportedPosition | null; modes: Modes; targets: { hotend: number; bed: number } | null } | null = null;
  private unsubscribeHost: () => void = () => undefined;

  private readonly feed: JobFeed = {
    next: () => this.nextLine(),
    acknowledged: (tag) => this.onAck(tag),
  };

  constructor(
    private readonly host: MarlinHost,
    private readonly source: PrintSource,
    options: JobStreamerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.scripts = { ...DEFAULT_JOB_SCRIPTS, ...options.scripts };
    this.readAhead = options.readAheadLines ?? 4000;
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
    this.currentTargets = options.currentTargets ?? null;
    this.startedAt = this.clock.now();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  private readonly currentTargets: (() => { hotend: number; bed: number }) | null;

  /** Starts streaming. The outcome arrives on `done` (which never rejects). */
  start(): void {
    const state = this.host.state();
    if (state.kind !== 'ready') {
      this.finish({ kind: 'interrupted', atLine: 1, reason: hostProblem(state) });
      return;
    }
    this.unsubscribeHost = this.host.events.on('state', (s) => this.onHostState(s));
    try {
      this.iterator = this.source.open()[Symbol.asyncIterator]();
    } catch (err) {
      this.finish({ kind: 'interrupted', atLine: 1, reason: `Could not read ${this.source.name}: ${messageOf(err)}` });
      return;
    }
    this.fill();
    this.host.setJobFeed(this.feed);
  }

  /** How many layers the file has, when its analysis found them. */
  get layersInFile(): number | null {
    return this.source.layers ?? null;
  }

  snapshot(): JobSnapshot {
    const total = this.source.size;
    return {
      fileName: this.source.name,
      phase: this.phase,
      bytesTotal: total,
      bytesAcked: this.bytesAcked,
      fraction: this.phase === 'finished' && this.linesTotal !== null && this.linesAcked === this.linesTotal ? 1 : total > 0 ? Math.min(1, this.bytesAcked / total) : 0,
      linesSent: this.linesSent,
      linesAcked: this.linesAcked,
      linesTotal: this.linesTotal,
      lastAckedFileLine: this.lastAckedFileLine,
      layer: this.ackedLayer,
      startedAt: this.startedAt,
    };
  }

  /** Stops sending, lets the lines already sent finish, saves the position, then runs the pause script. */
  async pause(): Promise<void> {
    if (this.phase !== 'printing') throw new AppError('conflict', `The job cannot be paused while ${this.phase}.`);
    this.setPhase('pausing');
    this.host.setJobFeed(null);
    try {
      await this.host.drain();
      const position = await this.readPosition();
      const targets = this.scripts.heatersOffOnPause && this.currentTargets ? this.currentTargets() : null;
      this.saved = { position, modes: { ...this.modes }, targets };
      await this.runScript(this.scripts.pause);
      if (targets) await this.runScript(['M104 S0', 'M140 S0']);
      if (this.isActive()) this.setPhase('paused');
    } catch (err) {
      this.interruptFromError(err);
    }
  }

  /** Heats back up if the pause cooled down, runs the resume script (back to the saved position), and streams on. */
  async resume(): Promise<void> {
    if (this.phase !== 'paused') throw new AppError('conflict', `The job cannot be resumed while ${this.phase}.`);
    this.setPhase('resuming');
    try {
      const saved = this.saved;
      const lines: string[] = [];
      if (saved?.targets) {
        const { hotend, bed } = saved.targets;
        if (bed > 0) lines.push(`M140 S${bed}`);
        if (hotend > 0) lines.push(`M104 S${hotend}`);
        if (bed > 0) lines.push(`M190 S${bed}`);
        if (hotend > 0) lines.push(`M109 S${hotend}`);
      }
      lines.push(...fillPlaceholders(this.scripts.resume, saved));
      if (saved) {
        // Put the file's own modes back, so its next relative move is not read as absolute.
        if (saved.modes.relative) lines.push('G91');
        if (saved.modes.relativeE) lines.push('M83');
      }
      await this.runScript(lines);
      if (!this.isActive()) return;
      this.saved = null;
      this.setPhase('printing');
      this.host.setJobFeed(this.feed);
    } catch (err) {
      this.interruptFromError(err);
    }
  }

  /** Stops sending, breaks out of a heating wait, lets queued lines finish, then runs the cancel script. */
  async cancel(): Promise<void> {
    if (!this.isActive() || this.phase === 'cancelling') return;
    this.setPhase('cancelling');
    this.host.setJobFeed(null);
    try {
      // M108 ends an M109/M190 wait at once; otherwise cancel would wait for the heater.
      if (this.host.blockingInProgress()) await this.host.send('M108', 'internal').catch(() => undefined);
      await this.host.drain();
      await this.runScript(this.scripts.cancel);
      this.finish({ kind: 'cancelled', atLine: this.lastAckedFileLine + 1 });
    } catch (err) {
      this.interruptFromError(err);
    }
  }

  /** Marks the job interrupted (used by the driver on disconnect; the host's state changes do this too). */
  interrupt(reason: string): void {
    if (!this.isActive()) return;
    this.finish({ kind: 'interrupted', atLine: this.lastAckedFileLine + 1, reason });
  }

  // ---------------------------------------------------------------- feed

  private nextLine(): { command: string; tag: number } | null {
    if (this.phase !== 'printing') return null;
    if (this.queueHead >= this.queue.length) {
      this.fill();
      return null;
    }
    const line = this.queue[this.queueHead]!;
    this.queue[this.queueHead] = undefined as unknown as QueuedLine;
    this.queueHead++;
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    if (this.queue.length - this.queueHead < this.readAhead / 2) this.fill();
    const tag = this.nextTag++;
    this.sent.push({ ...line, tag });
    this.linesSent++;
    return { command: line.command, tag };
  }

  private onAck(tag: number): void {
    while (this.sentHead < this.sent.length) {
      const record = this.sent[this.sentHead]!;
      if (record.tag > tag) break;
      this.sentHead++;
      this.linesAcked++;
      this.bytesAcked = record.byteEnd;
      this.lastAckedFileLine = record.fileLine;
      this.ackedLayer = record.layer;
      this.trackModes(record.command);
    }
    if (this.sentHead > 1024 && this.sentHead * 2 > this.sent.length) {
      this.sent.splice(0, this.sentHead);
      this.sentHead = 0;
    }
    const now = this.clock.now();
    if (now - this.lastProgressAt >= this.progressIntervalMs) {
      this.lastProgressAt = now;
      this.events.emit('progress', this.snapshot());
    }
    this.checkCompleted();
  }

  private checkCompleted(): void {
    if (this.phase !== 'printing' || !this.eof) return;
    if (this.queueHead < this.queue.length || this.sentHead < this.sent.length) return;
    this.finish({ kind: 'completed', lines: this.linesAcked });
  }

  private trackModes(command: string): void {
    const code = commandCode(command);
    if (code === 'G90') {
      this.modes.relative = false;
      this.modes.relativeE = false;
    } else if (code === 'G91') {
      this.modes.relative = true;
      this.modes.relativeE = true;
    } else if (code === 'M82') this.modes.relativeE = false;
    else if (code === 'M83') this.modes.relativeE = true;
    else if (code === 'G0' || code === 'G1') {
      const f = /F(\d+(?:\.\d+)?)/i.exec(command);
      if (f) this.modes.feedrate = Number(f[1]);
    }
  }

  // ---------------------------------------------------------------- reading

  private fill(): void {
    if (this.reading || this.eof || !this.iterator || !this.isActive()) return;
    if (this.queue.length - this.queueHead >= this.readAhead) return;
    this.reading = true;
    void this.readMore().finally(() => {
      this.reading = false;
    });
  }

  private async readMore(): Promise<void> {
    const iterator = this.iterator!;
    try {
      while (this.isActive() && !this.eof && this.queue.length - this.queueHead < this.readAhead) {
        const { value, done } = await iterator.next();
        if (done) {
          this.splitLines('', true);
          this.eof = true;
          this.linesTotal = this.linesSent + (this.queue.length - this.queueHead);
          break;
        }
        this.bytesRead += value.byteLength;
        // latin1 keeps one character per byte, so character offsets are byte offsets for progress.
        this.splitLines(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1'), false);
      }
    } catch (err) {
      this.interrupt(`Reading ${this.source.name} failed: ${messageOf(err)}`);
      return;
    }
    if (this.phase === 'printing') this.host.kick();
    this.checkCompleted();
  }

  private splitLines(text: string, final: boolean): void {
    const data = this.partial + text;
    const offset = this.bytesRead - data.length;
    let start = 0;
    for (;;) {
      const nl = data.indexOf('\n', start);
      if (nl === -1) break;
      this.addLine(data.slice(start, nl), offset + nl + 1);
      start = nl + 1;
    }
    this.partial = data.slice(start);
    if (final && this.partial) {
      this.addLine(this.partial, this.bytesRead);
      this.partial = '';
    }
  }

  private addLine(raw: string, byteEnd: number): void {
    this.fileLine++;
    const layer = this.layers.see(raw);
    const command = stripComment(raw);
    if (!command) return;
    // M110 in a file would renumber the firmware's lines under the host's feet.
    if (commandCode(command) === 'M110') return;
    this.queue.push({ command, fileLine: this.fileLine, byteEnd, layer });
  }

  // ---------------------------------------------------------------- helpers

  private async readPosition(): Promise<ReportedPosition | null> {
    try {
      const lines = await this.host.send('M114', 'internal');
      for (const line of lines) {
        const p = parsePosition(line);
        if (p) return p;
      }
    } catch (err) {
      if (this.host.state().kind !== 'ready') throw err;
    }
    return null;
  }

  private async runScript(lines: readonly string[]): Promise<void> {
    const sends = lines.map((l) => this.host.send(l, 'internal'));
    await Promise.all(sends);
  }

  private onHostState(state: HostState): void {
    if (state.kind === 'ready') return;
    this.interrupt(hostProblem(state));
  }

  private interruptFromError(err: unknown): void {
    this.interrupt(err instanceof AppError || err instanceof Error ? err.message : String(err));
  }

  private isActive(): boolean {
    return this.phase !== 'finished';
  }

  private setPhase(phase: JobPhase): void {
    this.phase = phase;
    this.events.emit('phase', phase);
  }

  private finish(outcome: JobOutcome): void {
    if (this.phase === 'finished') return;
    this.host.setJobFeed(null);
    this.unsubscribeHost();
    this.setPhase('finished');
    void this.iterator?.return?.().catch(() => undefined);
    this.events.emit('progress', this.snapshot());
    this.events.emit('finished', outcome);
    this.resolveDone(outcome);
  }
}

function fillPlaceholders(lines: readonly string[], saved: { position: ReportedPosition | null; modes: Modes } | null): string[] {
  const values: Record<string, number | null> = {
    x: saved?.position?.x ?? null,
    y: saved?.position?.y ?? null,
    z: saved?.position?.z ?? null,
    e: saved?.position?.e ?? null,
    f: saved?.modes.feedrate ?? null,
  };
  const out: string[] = [];
  for (const line of lines) {
    let missing = false;
    const filled = line.replace(/\{([xyzef])\}/g, (_, key: string) => {
      const v = values[key];
      if (v === null || v === undefined) {
        missing = true;
        return '';
      }
      return String(Math.round(v * 1000) / 1000);
    });
    if (!missing) out.push(filled);
  }
  return out;
}

function hostProblem(state: HostState): string {
  switch (state.kind) {
    case 'halted':
      return state.message;
    case 'disconnected':
      return state.reason;
    case 'connecting':
      // Only a `start` from the board moves a ready host back to connecting.
      return 'The printer restarted during the print (its board reset: a power dip, a firmware crash or a watchdog), so the print cannot go on. Check the printer before printing again.';
    case 'closed':
      return 'The connection to the printer was closed.';
    case 'ready':
      return 'The printer is ready.';
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

import { EventEmitter } from 'node:events';

export type SimJobState = 'printing' | 'paused';
export type SimOutcome = 'complete' | 'cancelled' | 'error';

export interface SimJob {
  file: string;
  progress: number;
  state: SimJobState;
  elapsedS: number;
}

/**
 * The printer behind every LAN stand-in: heaters, a job and its progress, the files it holds and the G-code
 * it was sent. Tests drive it directly (`heatUp`, `advance`, `finish`); `autoRun` makes it live on its own
 * for the e2e run and the benchmark. Every change emits 'change'.
 */
export class SimPrinter extends EventEmitter {
  hotend = { actual: 22, target: 0 };
  bed = { actual: 21, target: 0 };
  position = { x: 0, y: 0, z: 0, e: 0 };
  fan = 0;
  job: SimJob | null = null;
  lastOutcome: { file: string; outcome: SimOutcome; message?: string } | null = null;
  readonly files = new Map<string, Buffer>();
  readonly gcode: string[] = [];
  light: 'on' | 'off' = 'off';
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly name = 'Sim') {
    super();
    this.setMaxListeners(100);
  }

  /** Runs the printer by itself: heaters approach their targets, a job advances 2 % a tick, temperatures wobble. */
  autoRun(tickMs: number): void {
    this.stopAuto();
    let n = 0;
    this.timer = setInterval(() => {
      n++;
      const wobble = Math.sin(n / 3) * 0.3;
      for (const h of [this.hotend, this.bed]) h.actual = Math.round((h.actual + (Math.max(22, h.target) - h.actual) * 0.3 + wobble) * 10) / 10;
      if (this.job?.state === 'printing') {
        this.job.progress = Math.min(1, this.job.progress + 0.02);
        this.job.elapsedS += tickMs / 1000;
        if (this.job.progress >= 1) return this.finish();
      }
      this.emit('change');
    }, tickMs);
    this.timer.unref();
  }

  stopAuto(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  runGcode(script: string): string[] {
    const replies: string[] = [];
    for (const raw of script.split('\n')) {
      const line = raw.replace(/;.*$/, '').trim();
      if (!line) continue;
      this.gcode.push(line);
      const [code, ...words] = line.toUpperCase().split(/\s+/);
      const arg = (letter: string) => {
        const w = words.find((x) => x.startsWith(letter));
        return w === undefined ? undefined : Number(w.slice(1));
      };
      switch (code) {
        case 'M104':
        case 'M109':
          this.hotend.target = arg('S') ?? 0;
          break;
        case 'M140':
        case 'M190':
          this.bed.target = arg('S') ?? 0;
          break;
        case 'M106':
          this.fan = (arg('S') ?? 255) / 255;
          break;
        case 'M107':
          this.fan = 0;
          break;
        case 'G28':
          this.position = { ...this.position, x: 0, y: 0, z: 0 };
          break;
        case 'M105':
          replies.push(`ok T:${this.hotend.actual} /${this.hotend.target} B:${this.bed.actual} /${this.bed.target}`);
          break;
      }
    }
    this.emit('change');
    return replies;
  }

  heatUp(): void {
    this.hotend.actual = this.hotend.target;
    this.bed.actual = this.bed.target;
    this.emit('change');
  }

  setTemperatures(hotend: number, bed: number): void {
    this.hotend.actual = hotend;
    this.bed.actual = bed;
    this.emit('change');
  }

  start(file: string): void {
    if (this.job) throw new Error(`already printing ${this.job.file}`);
    if (!this.files.has(file)) throw new Error(`no such file ${file}`);
    this.job = { file, progress: 0, state: 'printing', elapsedS: 0 };
    this.emit('change');
  }

  advance(progress: number): void {
    if (!this.job) throw new Error('no job');
    this.job.progress = progress;
    this.job.elapsedS += 10;
    this.emit('change');
  }

  pause(): void {
    if (this.job) this.job.state = 'paused';
    this.emit('change');
  }

  resume(): void {
    if (this.job) this.job.state = 'printing';
    this.emit('change');
  }

  cancel(): void {
    this.end('cancelled');
  }

  finish(): void {
    this.end('complete');
  }

  fail(message: string): void {
    this.end('error', message);
  }

  private end(outcome: SimOutcome, message?: string): void {
    if (!this.job) return;
    this.lastOutcome = { file: this.job.file, outcome, ...(message ? { message } : {}) };
    this.job = null;
    this.emit('change');
  }
}

/** The layers every stand-in print has, and the one it is on: what Klipper's print_stats.info and Bambu's layer_num say. */
export const SIM_LAYERS = 50;
export function simLayer(p: SimPrinter): number | null {
  return p.job ? Math.max(1, Math.ceil(p.job.progress * SIM_LAYERS)) : null;
}

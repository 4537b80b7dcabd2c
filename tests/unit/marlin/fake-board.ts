import { parseFramedLine } from '../../../electron/core/printers/marlin/framing';
import type { ByteTransport } from '../../../electron/core/printers/marlin/transport';

/**
 * A small scripted Marlin stand-in for host tests: it checks line numbers and checksums like Marlin,
 * answers the handful of commands the host uses, and exposes hooks to corrupt lines, drop oks and hold
 * commands. Replies are delivered asynchronously, as a real link would.
 */
export interface FakeBoardOptions {
  resendForm?: 'Resend: ' | 'Resend:' | 'rs ';
  okAfterResend?: boolean;
  advancedOk?: boolean;
  capabilities?: Record<string, boolean>;
  /** Return true to treat this received line as garbled (checksum mismatch). */
  corrupt?: (lineNumber: number, attempt: number) => boolean;
  /** Return true to execute the line but lose its ok. */
  dropOk?: (lineNumber: number) => boolean;
  /** Answer to give before `ok`, or 'hold' to keep the command running until release(). */
  handle?: (command: string) => string[] | 'hold' | undefined;
  /** Answer the hello only after this many hellos (simulates a bootloader eating the first ones). */
  ignoreHellos?: number;
  /** Print `start` when resetBoard is called. */
  resettable?: boolean;
}

export class FakeBoard implements ByteTransport {
  readonly received: string[] = [];
  readonly executed: string[] = [];
  private lastN = 0;
  private attempts = new Map<number, number>();
  private dataListeners = new Set<(chunk: string) => void>();
  private closeListeners = new Set<(reason: string | null) => void>();
  private rx = '';
  private held: { command: string; lineNumber: number | null } | null = null;
  private backlog: string[] = [];
  private hellos = 0;
  closed = false;
  resets = 0;

  constructor(private readonly opts: FakeBoardOptions = {}) {}

  async write(data: string): Promise<void> {
    if (this.closed) throw new Error('port closed');
    this.rx += data;
    let nl: number;
    while ((nl = this.rx.indexOf('\n')) !== -1) {
      const line = this.rx.slice(0, nl);
      this.rx = this.rx.slice(nl + 1);
      this.received.push(line);
      this.onLine(line);
    }
  }

  onData(listener: (chunk: string) => void): () => void {
    this.dataListeners.add(listener);
    return () => void this.dataListeners.delete(listener);
  }

  onClose(listener: (reason: string | null) => void): () => void {
    this.closeListeners.add(listener);
    return () => void this.closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.finish(null);
  }

  async resetBoard(): Promise<void> {
    this.resets++;
    this.lastN = 0;
    if (this.opts.resettable) this.emit('start', 'echo:Marlin fake');
  }

  /** Simulates the cable being pulled. */
  unplug(): void {
    this.finish('The device was unplugged.');
  }

  /** Sends lines from the "firmware" as if printed unprompted. */
  emit(...lines: string[]): void {
    const chunk = lines.map((l) => `${l}\n`).join('');
    setImmediate(() => {
      if (this.closed) return;
      for (const l of this.dataListeners) l(chunk);
    });
  }

  /** Finishes a held command with its ok, then processes what queued behind it. */
  release(extra: string[] = []): void {
    const held = this.held;
    if (!held) throw new Error('nothing held');
    this.held = null;
    this.executed.push(held.command);
    this.emit(...extra, this.ok(held.lineNumber));
    const backlog = this.backlog;
    this.backlog = [];
    for (const line of backlog) this.onLine(line);
  }

  isHolding(): boolean {
    return this.held !== null;
  }

  private finish(reason: string | null): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners) l(reason);
  }

  private ok(lineNumber: number | null): string {
    return this.opts.advancedOk ? `ok${lineNumber !== null ? ` N${lineNumber}` : ''} P15 B3` : 'ok';
  }

  private resend(n: number): string {
    return `${this.opts.resendForm ?? 'Resend: '}${n}`;
  }

  private onLine(line: string): void {
    if (this.held) {
      // Emergency-parser commands act at once even while a command blocks.
      if (/^M108\b/.test(line)) {
        this.release();
        this.executed.push('M108');
        this.emit(this.ok(null));
        return;
      }
      this.backlog.push(line);
      return;
    }
    let command = line.trim();
    let lineNumber: number | null = null;
    if (command.startsWith('N')) {
      const framed = parseFramedLine(command);
      const n = Number(/^N(\d+)/.exec(command)?.[1] ?? NaN);
      const attempt = (this.attempts.get(n) ?? 0) + 1;
      this.attempts.set(n, attempt);
      const isHello = framed?.command.startsWith('M110');
      if (!framed || (!isHello && this.opts.corrupt?.(n, attempt))) {
        this.emit(`Error:checksum mismatch, Last Line: ${this.lastN}`, this.resend(this.lastN + 1), ...(this.opts.okAfterResend === false ? [] : ['ok']));
        return;
      }
      if (isHello) {
        this.hellos++;
        if (this.hellos <= (this.opts.ignoreHellos ?? 0)) return;
        this.lastN = Number(/N(\d+)\s*$/.exec(framed.command)?.[1] ?? 0);
        this.emit(this.ok(n));
        return;
      }
      if (n !== this.lastN + 1) {
        this.emit(`Error:Line Number is not Last Line Number+1, Last Line: ${this.lastN}`, this.resend(this.lastN + 1), ...(this.opts.okAfterResend === false ? [] : ['ok']));
        return;
      }
      this.lastN = n;
      lineNumber = n;
      command = framed.command;
    }
    const custom = this.opts.handle?.(command);
    if (custom === 'hold') {
      this.held = { command, lineNumber };
      return;
    }
    this.executed.push(command);
    const answer = custom ?? this.builtin(command);
    if (lineNumber !== null && this.opts.dropOk?.(lineNumber)) {
      if (answer.length) this.emit(...answer);
      return;
    }
    if (/^M105\b/.test(command) && !custom) {
      this.emit(`ok T:20.0 /0.0 B:20.0 /0.0 @:0 B@:0`);
      return;
    }
    this.emit(...answer, this.ok(lineNumber));
  }

  private builtin(command: string): string[] {
    if (/^M115\b/.test(command)) {
      const caps = this.opts.capabilities ?? { AUTOREPORT_TEMP: false, EMERGENCY_PARSER: true };
      return [
        'FIRMWARE_NAME:Marlin 2.1.2 (fake) SOURCE_CODE_URL:https://example.invalid PROTOCOL_VERSION:1.0 MACHINE_TYPE:Fake3D EXTRUDER_COUNT:1',
        ...Object.entries(caps).map(([k, v]) => `Cap:${k}:${v ? 1 : 0}`),
      ];
    }
    if (/^M114\b/.test(command)) return ['X:10.00 Y:20.00 Z:5.00 E:1.50 Count X:800 Y:1600 Z:2000'];
    return [];
  }
}

import { garbageLine, LineNoisePlan, type AnswerNoise, type LineNoise } from './line-noise';
import type { VirtualFirmwareOptions } from './firmware-options';
import { createPrng } from './prng';

/**
 * The faults a test can ask the board for, by line number or by dice: corrupted lines, lost oks, busy or silent
 * stretches, a link that drops, and serial noise (line-noise.ts decides which noise strikes which line).
 */
export class FirmwareFaults {
  private readonly checksumErrorRate: number;
  private readonly dropOkAt: Set<number>;
  private readonly busyAt: Map<number, number>;
  private disconnectAt: number | null;
  private readonly silentAt: Map<number, number>;
  readonly dice: () => number;
  private readonly noise: LineNoisePlan;

  constructor(f: NonNullable<VirtualFirmwareOptions['faults']> = {}) {
    this.checksumErrorRate = f.checksumErrorRate ?? 0;
    this.dropOkAt = new Set(f.dropOkAtLines ?? []);
    this.busyAt = new Map(Object.entries(f.busyAtLines ?? {}).map(([k, v]) => [Number(k), v]));
    this.disconnectAt = f.disconnectAtLine ?? null;
    this.silentAt = new Map(Object.entries(f.silentAtLines ?? {}).map(([k, v]) => [Number(k), v]));
    this.dice = createPrng(f.seed ?? 1);
    this.noise = new LineNoisePlan(f.noise);
  }

  /** Whether the link drops as the line numbered `n` is read (once). */
  disconnectsAt(n: number): boolean {
    if (this.disconnectAt === null || n !== this.disconnectAt) return false;
    this.disconnectAt = null;
    return true;
  }

  /** The fault dice's verdict on a numbered line: read as a checksum error. */
  corruptsLine(): boolean {
    return this.checksumErrorRate > 0 && this.dice() < this.checksumErrorRate;
  }

  noiseFor(n: number): LineNoise | null {
    return this.noise.draw(n);
  }

  /** Whether the ok of the line numbered `n` is lost (once). */
  dropsOkOf(n: number): boolean {
    return this.dropOkAt.delete(n);
  }

  busyMsAt(n: number): number | undefined {
    return this.busyAt.get(n);
  }

  /** How long the board goes silent before the line numbered `n` (once). */
  takeSilentMsAt(n: number): number | undefined {
    const ms = this.silentAt.get(n);
    if (ms) this.silentAt.delete(n);
    return ms;
  }

  noiseStruck(): ReturnType<LineNoisePlan['struck']> {
    return this.noise.struck();
  }
}

/** Sends the ok for a line that ran, through whatever noise strikes it. */
export function answerThroughNoise(
  ok: string,
  noise: AnswerNoise | undefined,
  out: { emit(line: string): void; splitOk(ok: string): void },
  dice: () => number,
  lastLineNumber: number,
): void {
  switch (noise) {
    case undefined:
      return out.emit(ok);
    case 'lost-ok':
      return;
    case 'double-ok':
      out.emit(ok);
      return out.emit(ok);
    case 'garbage':
      out.emit(garbageLine(dice));
      return out.emit(ok);
    case 'future-resend':
      // OctoPrint's virtual printer: the line was taken, yet the next one (not sent yet) is asked for.
      out.emit(`Error:Line Number is not Last Line Number+1, Last Line: ${lastLineNumber}`);
      out.emit(`Resend: ${lastLineNumber + 1}`);
      return out.emit('ok');
    case 'split-ok':
      return out.splitOk(ok);
  }
}

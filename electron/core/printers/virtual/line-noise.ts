import { createPrng } from './prng';

/**
 * Kinds of serial line noise a real USB link produces, as the board experiences them. Each is
 * something a host meets in the wild; a correct host gets every line executed exactly once and in order
 * through any of them.
 * - `checksum`: the line arrives damaged; Marlin answers `Error:checksum mismatch`, `Resend: N`, `ok`.
 * - `line-number`: the line's number arrives damaged; `Error:Line Number is not Last Line Number+1`, `Resend: N`, `ok`.
 * - `lost-resend`: the line arrives damaged and the `Resend:` line of the answer is garbled on the way back,
 *   so the host sees an error and an `ok`. The board asks for the line again when the next one arrives: a
 *   resend of a line the host counted as done (an old line).
 * - `future-resend`: the line runs, then the board answers `Error:…`, `Resend: N+1`, `ok`, asking for a line
 *   not sent yet (OctoPrint's virtual printer does this to simulate noise).
 * - `lost-ok`: the line runs; its `ok` never arrives.
 * - `double-ok`: the line runs; its `ok` arrives twice.
 * - `garbage`: the line runs; a line of garbage bytes arrives before its `ok`.
 * - `split-ok`: the line runs; its `ok` arrives in two reads, a few milliseconds apart.
 */
export const LINE_NOISES = ['checksum', 'line-number', 'lost-resend', 'future-resend', 'lost-ok', 'double-ok', 'garbage', 'split-ok'] as const;
export type LineNoise = (typeof LINE_NOISES)[number];

/** Noise that strikes a line as it is read (it is rejected and not executed). */
export type IncomingNoise = Extract<LineNoise, 'checksum' | 'line-number' | 'lost-resend'>;
/** Noise that strikes the answer to a line that ran. */
export type AnswerNoise = Exclude<LineNoise, IncomingNoise>;

export const isIncomingNoise = (n: LineNoise): n is IncomingNoise => n === 'checksum' || n === 'line-number' || n === 'lost-resend';

export interface LineNoiseOptions {
  /** Noise for given line numbers, once each (a resent line arrives clean). */
  atLines?: Record<number, LineNoise>;
  /** Probability (0..1) that a numbered line meets noise, drawn from `kinds`. */
  rate?: number;
  /** Kinds the random noise draws from. Default: all of them. */
  kinds?: readonly LineNoise[];
  /** Seed for the noise dice. Default 7. */
  seed?: number;
}

/** Decides which noise, if any, strikes each numbered line the board reads. Reproducible for a seed. */
export class LineNoisePlan {
  private readonly atLines: Map<number, LineNoise>;
  private readonly rate: number;
  private readonly kinds: readonly LineNoise[];
  private readonly dice: () => number;
  private readonly counts = new Map<LineNoise, number>();

  constructor(opts: LineNoiseOptions = {}) {
    this.atLines = new Map(Object.entries(opts.atLines ?? {}).map(([k, v]) => [Number(k), v]));
    this.rate = opts.rate ?? 0;
    this.kinds = opts.kinds?.length ? opts.kinds : LINE_NOISES;
    this.dice = createPrng(opts.seed ?? 7);
    if (this.rate < 0 || this.rate > 1) throw new RangeError('The noise rate must be between 0 and 1.');
  }

  /** The noise for line `n` as it is read now, or null. */
  draw(n: number): LineNoise | null {
    const planned = this.atLines.get(n);
    if (planned) {
      this.atLines.delete(n);
      return this.count(planned);
    }
    if (this.rate === 0 || this.dice() >= this.rate) return null;
    return this.count(this.kinds[Math.floor(this.dice() * this.kinds.length)]!);
  }

  /** How many times each kind struck so far. */
  struck(): Readonly<Record<LineNoise, number>> {
    return Object.fromEntries(LINE_NOISES.map((k) => [k, this.counts.get(k) ?? 0])) as Record<LineNoise, number>;
  }

  private count(noise: LineNoise): LineNoise {
    this.counts.set(noise, (this.counts.get(noise) ?? 0) + 1);
    return noise;
  }
}

/** Bytes a noisy link delivers instead of text: high bytes, control characters, no line ending. */
export function garbageLine(dice: () => number): string {
  const length = 3 + Math.floor(dice() * 12);
  // A leading high byte: noise that happened to spell `ok` or `Resend: 5` would fool any host.
  let s = String.fromCharCode(0x80 + Math.floor(dice() * 0x80));
  for (let i = 1; i < length; i++) {
    const pick = dice();
    // Mostly high (latin1) bytes, some control bytes and punctuation; never CR or LF.
    const code = pick < 0.6 ? 0x80 + Math.floor(dice() * 0x80) : pick < 0.8 ? [0, 1, 7, 0x13, 0x1b][Math.floor(dice() * 5)]! : 0x21 + Math.floor(dice() * 0x5e);
    s += String.fromCharCode(code);
  }
  return s;
}

import type { Clock } from '../../ports/clock';

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

/** The options with their defaults filled in, except those the host reads once (clock, window, handshake, link name, resend ok). */
export type HostTimings = Required<Omit<MarlinHostOptions, 'clock' | 'window' | 'handshake' | 'linkName' | 'resendFollowedByOk'>>;

export function hostTimings(options: MarlinHostOptions): HostTimings {
  return {
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

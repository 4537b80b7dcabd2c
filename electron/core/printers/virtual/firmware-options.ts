import type { Clock } from '../../ports/clock';
import type { LineNoiseOptions } from './line-noise';

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

import type { Clock } from '../../ports/clock';

/**
 * One direction of a serial cable at a given baud rate (8N1: 10 bits per byte). Bytes leave in the
 * order they were sent and arrive no sooner than the line rate allows. Delivery happens in slices of
 * a few bytes so a receiver sees data trickle in as it would from a UART, not a whole burst at once;
 * a slice also ends after every newline, so a receiver has a line as soon as its last byte is due
 * (a UART does not hold the end of one line back until more bytes arrive).
 *
 * Each delivery carries the simulated time its last byte arrived. Node timers fire a millisecond or
 * more late, and the clock may count whole milliseconds, but a real receiver sees the byte when it
 * arrives: `send(data, at)` lets a receiver answer "as of" that time (see `createCable`), so timer
 * lateness does not turn into round-trip time the simulated hardware would not have.
 */
const SLICE_BYTES = 16;

type Deliver = (chunk: string, arrivedAt: number) => void;

export class SimulatedWire {
  private pending: { data: string; at: number }[] = [];
  private pendingHead = 0;
  private freeAt = 0;
  private timer: { cancel(): void } | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly baudRate: number | null,
    private readonly deliver: Deliver,
  ) {}

  /**
   * Puts `data` on the wire. `at` is when the sender handed it over (default: now); it may lie in the
   * past when the sender is answering a delivery the event loop ran late. Bytes never start before the
   * wire is free, so order and the line rate always hold.
   */
  send(data: string, at?: number): void {
    if (this.closed || data.length === 0) return;
    if (this.baudRate === null) {
      // Unlimited speed still crosses an event-loop turn: a host that answers every `ok` with a write
      // must not recurse into the firmware, nor starve timers with an endless microtask chain.
      this.pending.push({ data, at: 0 });
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.flushAll();
      });
      return;
    }
    const msPerByte = 10_000 / this.baudRate;
    let t = Math.max(at ?? this.clock.now(), this.freeAt);
    let start = 0;
    while (start < data.length) {
      const eol = data.indexOf('\n', start);
      const end = Math.min(start + SLICE_BYTES, eol === -1 ? data.length : eol + 1);
      t += (end - start) * msPerByte;
      this.pending.push({ data: data.slice(start, end), at: t });
      start = end;
    }
    this.freeAt = t;
    this.arm();
  }

  /** Bytes still on the wire (sent, not yet delivered). */
  get bytesInFlight(): number {
    let n = 0;
    for (let i = this.pendingHead; i < this.pending.length; i++) n += this.pending[i]!.data.length;
    return n;
  }

  /** Forgets bytes on the wire, as a board reset loses whatever was arriving. */
  discard(): void {
    this.pending = [];
    this.pendingHead = 0;
    this.freeAt = 0;
    this.timer?.cancel();
    this.timer = null;
  }

  close(): void {
    this.closed = true;
    this.discard();
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = null;
  }

  private arm(): void {
    if (this.timer || this.pendingHead >= this.pending.length) return;
    const wait = Math.max(0, this.pending[this.pendingHead]!.at - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.flushDue(this.clock.now());
      this.arm();
    }, wait);
  }

  /** Delivers every due slice on its own, each with its own arrival time. */
  private flushDue(now: number): void {
    while (!this.closed && this.pendingHead < this.pending.length && this.pending[this.pendingHead]!.at <= now) {
      const slice = this.pending[this.pendingHead++]!;
      this.deliver(slice.data, slice.at);
    }
    this.compact();
  }

  private flushAll(): void {
    let chunk = '';
    for (let i = this.pendingHead; i < this.pending.length; i++) chunk += this.pending[i]!.data;
    this.pending = [];
    this.pendingHead = 0;
    if (chunk && !this.closed) this.deliver(chunk, this.clock.now());
  }

  private compact(): void {
    if (this.pendingHead === this.pending.length) {
      this.pending = [];
      this.pendingHead = 0;
    } else if (this.pendingHead > 1024) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
  }
}

/** Both directions of one cable. Whatever either end sends while handling a delivery is sent "as of" that delivery. */
export interface SimulatedCable {
  /** Host → board. */
  readonly toBoard: SimulatedWire;
  /** Board → host. */
  readonly toHost: SimulatedWire;
  /** When the code running now is answering a delivery: its arrival plus the time spent on it since; otherwise now. */
  now(): number;
}

/**
 * Two wires whose ends react at the simulated time a delivery arrived, as hardware does, rather than
 * when a late Node timer got round to it. The time an end spends in its handler still counts (as the
 * clock advanced during it), so a slow host is still measured as slow.
 */
export function createCable(clock: Clock, baudRate: number | null, ends: { board: (chunk: string) => void; host: (chunk: string) => void }): SimulatedCable {
  let reacting: { arrivedAt: number; startedAt: number } | null = null;
  const now = () => (reacting ? reacting.arrivedAt + Math.max(0, clock.now() - reacting.startedAt) : clock.now());
  const handler =
    (end: (chunk: string) => void): Deliver =>
    (chunk, arrivedAt) => {
      const outer = reacting;
      reacting = { arrivedAt: Math.min(arrivedAt, clock.now()), startedAt: clock.now() };
      try {
        end(chunk);
      } finally {
        reacting = outer;
      }
    };
  return {
    toBoard: new SimulatedWire(clock, baudRate, handler(ends.board)),
    toHost: new SimulatedWire(clock, baudRate, handler(ends.host)),
    now,
  };
}

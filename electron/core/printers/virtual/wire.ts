import type { Clock } from '../../ports/clock';

/**
 * One direction of a serial cable at a given baud rate (8N1: 10 bits per byte). Bytes leave in the
 * order they were sent and arrive no sooner than the line rate allows. Delivery happens in slices of
 * a few bytes so a receiver sees data trickle in as it would from a UART, not a whole burst at once.
 */
const SLICE_BYTES = 16;

export class SimulatedWire {
  private pending: { data: string; at: number }[] = [];
  private freeAt = 0;
  private timer: { cancel(): void } | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly baudRate: number | null,
    private readonly deliver: (chunk: string) => void,
  ) {}

  send(data: string): void {
    if (this.closed || data.length === 0) return;
    if (this.baudRate === null) {
      // Unlimited speed still crosses an event-loop turn: a host that answers every `ok` with a write
      // must not recurse into the firmware, nor starve timers with an endless microtask chain.
      this.pending.push({ data, at: 0 });
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.flushDue(Number.POSITIVE_INFINITY);
      });
      return;
    }
    const msPerByte = 10_000 / this.baudRate;
    let t = Math.max(this.clock.now(), this.freeAt);
    for (let i = 0; i < data.length; i += SLICE_BYTES) {
      const slice = data.slice(i, i + SLICE_BYTES);
      t += slice.length * msPerByte;
      this.pending.push({ data: slice, at: t });
    }
    this.freeAt = t;
    this.arm();
  }

  /** Bytes still on the wire (sent, not yet delivered). */
  get bytesInFlight(): number {
    return this.pending.reduce((n, p) => n + p.data.length, 0);
  }

  /** Forgets bytes on the wire, as a board reset loses whatever was arriving. */
  discard(): void {
    this.pending = [];
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
    if (this.timer || this.pending.length === 0) return;
    const wait = Math.max(0, this.pending[0]!.at - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.flushDue(this.clock.now());
      this.arm();
    }, wait);
  }

  private flushDue(now: number): void {
    let chunk = '';
    while (this.pending.length && this.pending[0]!.at <= now) chunk += this.pending.shift()!.data;
    if (chunk && !this.closed) this.deliver(chunk);
  }
}

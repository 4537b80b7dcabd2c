/**
 * The motion planner as timing only: each move is a block that runs after the one before it at
 * constant speed (no acceleration). It exists so the command queue backs up the way a real board's
 * does when the host streams faster than the machine moves.
 */
export interface Axes {
  x: number;
  y: number;
  z: number;
  e: number;
}

interface Block {
  from: Axes;
  to: Axes;
  startAt: number;
  endAt: number;
}

export class Planner {
  private blocks: Block[] = [];

  /** `usableBlocks` is BLOCK_BUFFER_SIZE - 1: Marlin's ring buffer always keeps one slot empty. */
  constructor(private readonly usableBlocks: number) {}

  private prune(now: number): void {
    let i = 0;
    while (i < this.blocks.length && this.blocks[i]!.endAt <= now) i++;
    if (i) this.blocks.splice(0, i);
  }

  movesPlanned(now: number): number {
    this.prune(now);
    return this.blocks.length;
  }

  movesFree(now: number): number {
    return this.usableBlocks - this.movesPlanned(now);
  }

  isFull(now: number): boolean {
    return this.movesFree(now) <= 0;
  }

  /** When the oldest block finishes (a slot frees up); null when nothing is planned. */
  nextFreeAt(now: number): number | null {
    this.prune(now);
    return this.blocks[0]?.endAt ?? null;
  }

  /** When the last block finishes; null when idle. */
  idleAt(now: number): number | null {
    this.prune(now);
    return this.blocks.at(-1)?.endAt ?? null;
  }

  add(now: number, from: Axes, to: Axes, durationMs: number): void {
    this.prune(now);
    const startAt = Math.max(now, this.blocks.at(-1)?.endAt ?? now);
    this.blocks.push({ from: { ...from }, to: { ...to }, startAt, endAt: startAt + durationMs });
  }

  /** Where the tool physically is now, interpolated inside the running block; null when idle. */
  physicalPosition(now: number): Axes | null {
    this.prune(now);
    const b = this.blocks[0];
    if (!b) return null;
    if (now <= b.startAt) return { ...b.from };
    const f = (now - b.startAt) / (b.endAt - b.startAt);
    const lerp = (a: number, c: number) => a + (c - a) * f;
    return { x: lerp(b.from.x, b.to.x), y: lerp(b.from.y, b.to.y), z: lerp(b.from.z, b.to.z), e: lerp(b.from.e, b.to.e) };
  }

  /** Drops every planned move (quickstop / kill / reset). */
  clear(): void {
    this.blocks = [];
  }
}

/**
 * A small kinematic print-time estimate, planned the way firmware plans: every move is a trapezoid (accelerate,
 * cruise, decelerate); corner speeds follow Marlin's junction-deviation rule; a look-ahead buffer of moves gets a
 * backward pass (so the head brakes in time for a stop or a sharp corner many short segments ahead) and a forward
 * pass (so it cannot accelerate faster than it can).
 *
 * Honest limits: the look-ahead is 128 moves (like a large firmware buffer; moves are committed 64 at a time),
 * jerk, input shaping and pressure advance are ignored, per-axis limits only apply when the file sets them with
 * M203, and heater waits are counted by the caller rather than timed.
 */
import { JUNCTION_DEVIATION_MM } from './limits';

const EPS = 1e-9;
const CAPACITY = 128;
const COMMIT = 64;

/** Seconds to cover `d` mm with cruise speed `v`, acceleration `a`, starting at `v0` and ending at `v1` (mm/s). */
export function trapezoidSeconds(d: number, v: number, a: number, v0: number, v1: number): number {
  if (d <= EPS || v <= EPS) return 0;
  if (v0 > v) v0 = v;
  if (v1 > v) v1 = v;
  const twoAD = 2 * a * d;
  const v0s = v0 * v0;
  const v1s = v1 * v1;
  if (v0s > v1s + twoAD) {
    // Cannot brake to v1 within the move: brake all the way through it.
    return (2 * d) / (v0 + Math.sqrt(v0s - twoAD));
  }
  if (v1s > v0s + twoAD) return (2 * d) / (v0 + Math.sqrt(v0s + twoAD));
  const vs = v * v;
  const accelDist = (vs - v0s) / (2 * a);
  const decelDist = (vs - v1s) / (2 * a);
  if (accelDist + decelDist <= d) return (v - v0) / a + (v - v1) / a + (d - accelDist - decelDist) / v;
  const peak = Math.sqrt((twoAD + v0s + v1s) / 2);
  return (peak - v0) / a + (peak - v1) / a;
}

export class TimeEstimator {
  seconds = 0;
  private readonly len = new Float64Array(CAPACITY);
  private readonly speed = new Float64Array(CAPACITY);
  private readonly accel = new Float64Array(CAPACITY);
  /** Squared entry speed: first the junction limit, then what the passes allow. */
  private readonly entryMax2 = new Float64Array(CAPACITY);
  private readonly entry2 = new Float64Array(CAPACITY);
  private count = 0;
  /** Entry speed² of the first buffered move, fixed when the move before it was committed. */
  private fixedEntry2 = 0;
  private pUx = 0;
  private pUy = 0;
  private pUz = 0;
  private pSpeed = 0;
  private pAccel = 0;
  private hasPrev = false;

  constructor(private readonly junctionDeviation = JUNCTION_DEVIATION_MM) {}

  /**
   * Adds a move. dx/dy/dz are the head's travel in mm; when they are all zero the move is extruder-only and
   * `de` is its length. `speed` is the commanded feedrate in mm/s, `accel` the acceleration in mm/s².
   */
  add(dx: number, dy: number, dz: number, de: number, speed: number, accel: number): void {
    let len = Math.sqrt(dx * dx + dy * dy + dz * dz);
    let ux = 0;
    let uy = 0;
    let uz = 0;
    if (len > EPS) {
      const inv = 1 / len;
      ux = dx * inv;
      uy = dy * inv;
      uz = dz * inv;
    } else {
      len = de < 0 ? -de : de;
      if (len <= EPS || speed <= EPS) return;
    }
    if (speed <= EPS) return;
    const junction2 = this.hasPrev ? this.junctionSpeed2(ux, uy, uz, speed, accel) : 0;
    if (this.count === CAPACITY) this.plan(COMMIT);
    const i = this.count++;
    this.len[i] = len;
    this.speed[i] = speed;
    this.accel[i] = accel;
    this.entryMax2[i] = junction2;
    this.hasPrev = true;
    this.pUx = ux;
    this.pUy = uy;
    this.pUz = uz;
    this.pSpeed = speed;
    this.pAccel = accel;
  }

  /** Ends the path: the last move stops. */
  flush(): void {
    if (this.count > 0) this.plan(this.count);
    this.hasPrev = false;
    this.fixedEntry2 = 0;
  }

  /** Plans the buffer assuming it ends at rest, then commits the first `commit` moves. */
  private plan(commit: number): void {
    const n = this.count;
    const len = this.len;
    const acc = this.accel;
    const e2 = this.entry2;
    let next2 = 0;
    for (let i = n - 1; i >= 0; i--) {
      const reach = next2 + 2 * acc[i]! * len[i]!;
      const max = i === 0 ? this.fixedEntry2 : this.entryMax2[i]!;
      const v = max < reach ? max : reach;
      e2[i] = v;
      next2 = v;
    }
    if (this.fixedEntry2 > e2[0]!) e2[0] = this.fixedEntry2; // already committed: cannot change the past
    for (let i = 0; i < n - 1; i++) {
      const reach = e2[i]! + 2 * acc[i]! * len[i]!;
      if (e2[i + 1]! > reach) e2[i + 1] = reach;
    }
    let vIn = Math.sqrt(e2[0]!);
    for (let i = 0; i < commit; i++) {
      const vOut = i + 1 < n ? Math.sqrt(e2[i + 1]!) : 0;
      this.seconds += trapezoidSeconds(len[i]!, this.speed[i]!, acc[i]!, vIn, vOut);
      vIn = vOut;
    }
    const rest = n - commit;
    if (rest > 0) {
      this.fixedEntry2 = e2[commit]!;
      len.copyWithin(0, commit, n);
      this.speed.copyWithin(0, commit, n);
      acc.copyWithin(0, commit, n);
      this.entryMax2.copyWithin(0, commit, n);
    } else {
      this.fixedEntry2 = 0;
    }
    this.count = rest;
  }

  /** Squared corner speed between the previous move and the next (Marlin's junction deviation). */
  private junctionSpeed2(ux: number, uy: number, uz: number, speed: number, accel: number): number {
    const limit = speed < this.pSpeed ? speed : this.pSpeed;
    const limit2 = limit * limit;
    // Extruder-only moves (retract/prime) start and end at rest.
    if ((ux === 0 && uy === 0 && uz === 0) || (this.pUx === 0 && this.pUy === 0 && this.pUz === 0)) return 0;
    const cosTheta = -(this.pUx * ux + this.pUy * uy + this.pUz * uz);
    if (cosTheta > 0.999999) return 0;
    if (cosTheta < -0.999999) return limit2;
    const sinHalf = Math.sqrt(0.5 * (1 - cosTheta));
    const a = accel < this.pAccel ? accel : this.pAccel;
    const v2 = (a * this.junctionDeviation * sinHalf) / (1 - sinHalf);
    return v2 < limit2 ? v2 : limit2;
  }
}

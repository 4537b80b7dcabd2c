/**
 * A small kinematic print-time estimate: every move is a trapezoid (accelerate, cruise, decelerate) between an
 * entry and an exit speed. Corner speeds follow Marlin's junction-deviation rule, looking one move ahead.
 *
 * Honest limits: there is no full backward pass over a long planner buffer (a short move before a sharp corner
 * may be credited a little too fast), per-axis limits apply only when the file sets them with M203, jerk and
 * input shaping are ignored, and heater waits are counted by the caller rather than timed.
 */
import { JUNCTION_DEVIATION_MM } from './limits';

const EPS = 1e-9;

/** Seconds to cover `d` mm with cruise speed `v`, acceleration `a`, starting at `v0` and ending at `v1` (mm/s). */
export function trapezoidSeconds(d: number, v: number, a: number, v0: number, v1: number): number {
  if (d <= EPS || v <= EPS) return 0;
  if (v0 > v) v0 = v;
  if (v1 > v) v1 = v;
  const twoAD = 2 * a * d;
  const v0s = v0 * v0;
  const v1s = v1 * v1;
  if (v0s > v1s + twoAD) {
    // Cannot brake to v1 within the move (no backward pass): brake all the way through it.
    const end = Math.sqrt(v0s - twoAD);
    return (2 * d) / (v0 + end);
  }
  if (v1s > v0s + twoAD) {
    const end = Math.sqrt(v0s + twoAD);
    return (2 * d) / (v0 + end);
  }
  const vs = v * v;
  const accelDist = (vs - v0s) / (2 * a);
  const decelDist = (vs - v1s) / (2 * a);
  if (accelDist + decelDist <= d) return (v - v0) / a + (v - v1) / a + (d - accelDist - decelDist) / v;
  const peak = Math.sqrt((twoAD + v0s + v1s) / 2);
  return (peak - v0) / a + (peak - v1) / a;
}

export class TimeEstimator {
  seconds = 0;
  private has = false;
  private pLen = 0;
  private pV = 0;
  private pA = 0;
  private pEntry = 0;
  private pUx = 0;
  private pUy = 0;
  private pUz = 0;

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
      ux = dx / len;
      uy = dy / len;
      uz = dz / len;
    } else {
      len = de < 0 ? -de : de;
      if (len <= EPS) return;
    }
    let entry = 0;
    if (this.has) {
      const junction = this.junctionSpeed(ux, uy, uz, speed, accel);
      const reachable = Math.sqrt(this.pEntry * this.pEntry + 2 * this.pA * this.pLen);
      const exit = junction < reachable ? junction : reachable;
      this.seconds += trapezoidSeconds(this.pLen, this.pV, this.pA, this.pEntry, exit);
      entry = exit;
    }
    this.has = true;
    this.pLen = len;
    this.pV = speed;
    this.pA = accel;
    this.pEntry = entry;
    this.pUx = ux;
    this.pUy = uy;
    this.pUz = uz;
  }

  /** Ends the path: the last move stops. */
  flush(): void {
    if (!this.has) return;
    this.seconds += trapezoidSeconds(this.pLen, this.pV, this.pA, this.pEntry, 0);
    this.has = false;
  }

  private junctionSpeed(ux: number, uy: number, uz: number, speed: number, accel: number): number {
    const limit = speed < this.pV ? speed : this.pV;
    // Extruder-only moves (retract/prime) start and end at rest.
    if ((ux === 0 && uy === 0 && uz === 0) || (this.pUx === 0 && this.pUy === 0 && this.pUz === 0)) return 0;
    const cosTheta = -(this.pUx * ux + this.pUy * uy + this.pUz * uz);
    if (cosTheta > 0.999999) return 0;
    if (cosTheta < -0.999999) return limit;
    const sinHalf = Math.sqrt(0.5 * (1 - cosTheta));
    const a = accel < this.pA ? accel : this.pA;
    const v = Math.sqrt((a * this.junctionDeviation * sinHalf) / (1 - sinHalf));
    return v < limit ? v : limit;
  }
}

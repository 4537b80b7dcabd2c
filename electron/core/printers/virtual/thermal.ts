/**
 * Heater physics for the simulated board. A heater climbs at its maximum rate while far from the
 * target and settles with a first-order lag near it (no overshoot); unpowered it cools toward ambient
 * exponentially. Numbers are typical of a 40 W hotend and a 24 V bed:
 *   hotend 22 → 200 °C in about 80 s, bed 22 → 60 °C in about 55 s.
 */
export interface HeaterSpec {
  /** Fastest climb in °C/s, reached while far below the target. */
  maxRateCPerS: number;
  /** Time constant (s) of the final approach to the target. */
  settleTauS: number;
  /** Time constant (s) of passive cooling toward ambient. */
  coolTauS: number;
  /** Highest target accepted; Marlin clamps to MAXTEMP minus the overshoot margin. */
  maxTargetC: number;
  /** Temperature rise above ambient the heater could hold at full power; scales the `@:` power value. */
  fullPowerRiseC: number;
}

const STEP_MS = 100;

export class Heater {
  actual: number;
  target = 0;

  constructor(
    private readonly spec: HeaterSpec,
    private readonly ambientC: number,
  ) {
    this.actual = ambientC;
  }

  setTarget(celsius: number): void {
    this.target = Math.max(0, Math.min(celsius, this.spec.maxTargetC));
  }

  /** Integrates the physics over `ms` in fixed small steps, so results do not depend on how often it is called. */
  advance(ms: number): void {
    let left = ms;
    while (left > 0) {
      const dt = Math.min(STEP_MS, left) / 1000;
      left -= STEP_MS;
      if (this.target > 0 && this.actual < this.target) {
        const rate = Math.min(this.spec.maxRateCPerS, (this.target - this.actual) / this.spec.settleTauS);
        this.actual = Math.min(this.target, this.actual + rate * dt);
      } else {
        const floor = this.target > 0 ? Math.max(this.target, this.ambientC) : this.ambientC;
        const cooled = this.actual + ((this.ambientC - this.actual) / this.spec.coolTauS) * dt;
        this.actual = this.actual > floor ? Math.max(floor, cooled) : Math.max(this.actual, cooled);
      }
    }
  }

  /** Heater power on Marlin's 0..127 scale, as printed after `@:`. */
  power(): number {
    if (this.target <= 0) return 0;
    const hold = (this.target - this.ambientC) / this.spec.fullPowerRiseC;
    const drive = (this.target - this.actual) / 10;
    return Math.round(127 * Math.max(0, Math.min(1, hold + drive)));
  }
}

export interface ThermalOptions {
  hotendRateCPerS?: number;
  bedRateCPerS?: number;
  ambientC?: number;
}

export class Thermal {
  readonly hotend: Heater;
  readonly bed: Heater;
  private lastMs: number;

  constructor(opts: ThermalOptions, nowMs: number) {
    const ambient = opts.ambientC ?? 22;
    this.hotend = new Heater({ maxRateCPerS: opts.hotendRateCPerS ?? 2.5, settleTauS: 4, coolTauS: 120, maxTargetC: 260, fullPowerRiseC: 400 }, ambient);
    this.bed = new Heater({ maxRateCPerS: opts.bedRateCPerS ?? 0.8, settleTauS: 8, coolTauS: 600, maxTargetC: 140, fullPowerRiseC: 150 }, ambient);
    this.lastMs = nowMs;
  }

  advanceTo(nowMs: number): void {
    if (nowMs <= this.lastMs) return;
    const dt = nowMs - this.lastMs;
    this.lastMs = nowMs;
    this.hotend.advance(dt);
    this.bed.advance(dt);
  }

  allOff(): void {
    this.hotend.setTarget(0);
    this.bed.setTarget(0);
  }

  /** Marlin's print_heater_states(): note the leading space, which Marlin really sends. */
  report(): string {
    const h = this.hotend;
    const b = this.bed;
    return ` T:${h.actual.toFixed(2)} /${h.target.toFixed(2)} B:${b.actual.toFixed(2)} /${b.target.toFixed(2)} @:${h.power()} B@:${b.power()}`;
  }
}

/**
 * The full-file pass. Works on raw bytes: newlines are found with Buffer.indexOf, and only the words of motion
 * and mode commands are parsed, so no string is made per line. Tracks position (G90/G91, M82/M83, G92, G20/G21,
 * G28), the box around extruding moves (G0–G3), net extrusion, layers, dwells, heater waits and feeds our time
 * estimate. Lines may end in LF or CRLF; the last line may lack its newline.
 */
import { DEFAULT_ACCELERATION } from './limits';
import { TimeEstimator } from './time-estimator';
import type { BoundingBox } from './types';
import { DIGIT_MUST_FOLLOW, LAYER_MARKER_TEXTS } from './layer-markers';

const SP = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const SEMI = 59;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const ZERO = 48;

/** A line longer than this cannot be G-code; only its start is kept for parsing. */
const MAX_CARRY = 64 * 1024;

/** The layer markers as bytes, matched where a comment starts. */
const LAYER_MARKERS: readonly Buffer[] = LAYER_MARKER_TEXTS.map((text) => Buffer.from(text));
const SIMPLIFY3D_MARKER = DIGIT_MUST_FOLLOW;

export interface MotionSummary {
  lines: number;
  moves: number;
  layers: number | null;
  bbox: BoundingBox | null;
  extrudedMm: number;
  motionSeconds: number;
  dwellSeconds: number;
  heaterWaits: number;
  /** Commands that switch a heater on (M104/M109/M140/M190/M141/M191 with S or R above 0). */
  heaterTargets: number;
  commands: number;
  nulOffset: number | null;
}

export class MotionScanner {
  private x = 0;
  private y = 0;
  private z = 0;
  private e = 0;
  private absXYZ = true;
  private absE = true;
  private unit = 1;
  /** mm/s; firmware default until the file sets F. */
  private feed = 50;
  private accel: number;
  private travelAccel: number;
  private maxX = Infinity;
  private maxY = Infinity;
  private maxZ = Infinity;
  private maxE = Infinity;

  private minBx = Infinity;
  private minBy = Infinity;
  private minBz = Infinity;
  private maxBx = -Infinity;
  private maxBy = -Infinity;
  private maxBz = -Infinity;

  private extruded = 0;
  /** Filament pulled back and not yet pushed out again, mm. */
  private retracted = 0;
  private moves = 0;
  private lineCount = 0;
  private commands = 0;
  private dwell = 0;
  private heaterWaits = 0;
  private heaterTargets = 0;
  private readonly markerCounts = new Int32Array(LAYER_MARKERS.length);
  private zLayers = 0;
  private layerZ = NaN;
  private readonly planner = new TimeEstimator();

  private carry: Buffer | null = null;
  private carryOverflow = false;
  private bytesSeen = 0;
  private nulOffset: number | null = null;
  /** Parse cursor shared by the number reader (avoids allocating a result per number). */
  private p = 0;

  constructor(acceleration = DEFAULT_ACCELERATION) {
    this.accel = acceleration;
    this.travelAccel = acceleration;
  }

  push(chunk: Buffer): void {
    if (this.nulOffset === null) {
      const nul = chunk.indexOf(0);
      if (nul !== -1) this.nulOffset = this.bytesSeen + nul;
    }
    this.bytesSeen += chunk.length;
    let start = 0;
    if (this.carry) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        this.appendCarry(chunk);
        return;
      }
      this.appendCarry(chunk.subarray(0, nl));
      const line = this.carry;
      this.carry = null;
      this.carryOverflow = false;
      this.line(line, 0, line.length);
      this.lineCount++;
      start = nl + 1;
    }
    const len = chunk.length;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) break;
      this.line(chunk, start, nl);
      start = nl + 1;
      this.lineCount++;
    }
    if (start < len) {
      this.carry = null;
      this.appendCarry(chunk.subarray(start));
    }
  }

  finish(): MotionSummary {
    if (this.carry && this.carry.length > 0) {
      const line = this.carry;
      this.carry = null;
      this.line(line, 0, line.length);
      this.lineCount++;
    }
    this.planner.flush();
    let markerLayers = 0;
    for (let i = 0; i < this.markerCounts.length; i++) {
      const n = this.markerCounts[i]!;
      if (n > markerLayers) markerLayers = n;
    }
    const layers = markerLayers > 0 ? markerLayers : this.zLayers > 0 ? this.zLayers : null;
    const bbox: BoundingBox | null =
      this.minBx === Infinity
        ? null
        : {
            min: { x: this.minBx, y: this.minBy, z: this.minBz },
            max: { x: this.maxBx, y: this.maxBy, z: this.maxBz },
          };
    return {
      lines: this.lineCount,
      moves: this.moves,
      layers,
      bbox,
      extrudedMm: this.extruded,
      motionSeconds: this.planner.seconds,
      dwellSeconds: this.dwell,
      heaterWaits: this.heaterWaits,
      heaterTargets: this.heaterTargets,
      commands: this.commands,
      nulOffset: this.nulOffset,
    };
  }

  private appendCarry(part: Buffer): void {
    if (this.carryOverflow) return;
    const next = this.carry ? Buffer.concat([this.carry, part]) : Buffer.from(part);
    if (next.length > MAX_CARRY) {
      this.carry = next.subarray(0, MAX_CARRY);
      this.carryOverflow = true;
    } else {
      this.carry = next;
    }
  }

  private line(b: Buffer, i: number, end: number): void {
    let c = 0;
    while (i < end && ((c = b[i]!) === SP || c === TAB)) i++;
    if (i >= end) return;
    if (c === SEMI) {
      this.comment(b, i, end);
      return;
    }
    if (c === 78 || c === 110) {
      // Line number "N123 G1 ..." (checksums, if any, follow a '*' and end the parse naturally).
      i++;
      while (i < end && (c = b[i]!) >= ZERO && c <= 57) i++;
      while (i < end && ((c = b[i]!) === SP || c === TAB)) i++;
      if (i >= end) return;
    }
    const letter = c | 0x20;
    if (letter === 115 && (b[i + 1]! | 0x20) === 101) {
      // Klipper sets acceleration with a command, not M204: "SET_VELOCITY_LIMIT ACCEL=5000 ACCEL_TO_DECEL=2500".
      this.klipperVelocityLimit(b, i, end);
      return;
    }
    if (letter !== 103 && letter !== 109) return; // only G and M matter here
    i++;
    let code = 0;
    let digits = 0;
    while (i < end && (c = b[i]! - ZERO) >= 0 && c <= 9) {
      code = code * 10 + c;
      i++;
      digits++;
    }
    if (digits === 0) return; // e.g. Klipper macros such as "GET_POSITION"
    let sub = -1;
    if (i < end && b[i] === DOT) {
      i++;
      sub = 0;
      while (i < end && (c = b[i]! - ZERO) >= 0 && c <= 9) {
        sub = sub * 10 + c;
        i++;
      }
    }
    this.commands++;
    if (letter === 103) {
      if (sub !== -1) return;
      switch (code) {
        case 0:
        case 1:
          this.linear(b, i, end);
          return;
        case 2:
        case 3:
          this.arc(b, i, end, code === 2);
          return;
        case 4:
          this.dwellCmd(b, i, end);
          return;
        case 20:
          this.unit = 25.4;
          return;
        case 21:
          this.unit = 1;
          return;
        case 28:
          this.home(b, i, end);
          return;
        case 90:
          this.absXYZ = true;
          return;
        case 91:
          this.absXYZ = false;
          return;
        case 92:
          this.setPosition(b, i, end);
          return;
        default:
          return;
      }
    }
    switch (code) {
      case 82:
        this.absE = true;
        return;
      case 83:
        this.absE = false;
        return;
      case 104:
      case 140:
      case 141:
        this.heaterOn(b, i, end);
        return;
      case 109:
      case 190:
      case 191:
        this.heaterWaits++;
        this.heaterOn(b, i, end);
        return;
      case 203:
        this.maxFeed(b, i, end);
        return;
      case 204:
        this.setAccel(b, i, end);
        return;
      default:
        return;
    }
  }

  /** Reads a decimal number at b[i..end) and leaves the cursor in this.p. NaN when there is none. */
  private num(b: Buffer, i: number, end: number): number {
    let c = 0;
    while (i < end && ((c = b[i]!) === SP || c === TAB)) i++;
    let neg = false;
    if (i < end) {
      c = b[i]!;
      if (c === MINUS) {
        neg = true;
        i++;
      } else if (c === PLUS) i++;
    }
    let mant = 0;
    let scale = 1;
    let any = false;
    while (i < end && (c = b[i]! - ZERO) >= 0 && c <= 9) {
      mant = mant * 10 + c;
      i++;
      any = true;
    }
    if (i < end && b[i] === DOT) {
      i++;
      while (i < end && (c = b[i]! - ZERO) >= 0 && c <= 9) {
        mant = mant * 10 + c;
        scale *= 10;
        i++;
        any = true;
      }
    }
    this.p = i;
    if (!any) return NaN;
    const v = mant / scale;
    return neg ? -v : v;
  }

  private linear(b: Buffer, i: number, end: number): void {
    let nx = this.x;
    let ny = this.y;
    let nz = this.z;
    let de = 0;
    let hasMove = false;
    const relE = !this.absXYZ || !this.absE;
    const u = this.unit;
    while (i < end) {
      const c = b[i]!;
      if (c === SP || c === TAB) {
        i++;
        continue;
      }
      if (c === SEMI || c === CR || c === 42 /* '*' checksum */) break;
      const v = this.num(b, i + 1, end);
      i = this.p;
      if (v !== v) continue; // letter without a number
      switch (c | 0x20) {
        case 120:
          nx = this.absXYZ ? v * u : nx + v * u;
          hasMove = true;
          break;
        case 121:
          ny = this.absXYZ ? v * u : ny + v * u;
          hasMove = true;
          break;
        case 122:
          nz = this.absXYZ ? v * u : nz + v * u;
          hasMove = true;
          break;
        case 101:
          if (relE) de = v * u;
          else {
            de = v * u - this.e;
          }
          hasMove = true;
          break;
        case 102:
          if (v > 0) this.feed = (v * u) / 60;
          break;
        default:
          break;
      }
    }
    if (!hasMove) return;
    this.finishMove(nx, ny, nz, de, nx - this.x, ny - this.y, nz - this.z, -1);
  }

  /** Applies a move whose end point and extrusion are known; `pathLen` >= 0 overrides the straight length (arcs). */
  private finishMove(nx: number, ny: number, nz: number, de: number, dx: number, dy: number, dz: number, pathLen: number): void {
    this.moves++;
    this.e += de;
    // Filament used is what went through the nozzle: a retraction pulls filament back, and the prime that follows
    // pushes the same filament out again, so only extrusion beyond the open retraction counts. A retraction never
    // primed again (the end of a print) costs nothing. The total can therefore never go negative.
    if (de < 0) this.retracted -= de;
    else if (de > 0) {
      const prime = Math.min(de, this.retracted);
      this.retracted -= prime;
      this.extruded += de - prime;
    }
    const moved = dx !== 0 || dy !== 0 || dz !== 0;
    let speed = this.feed;
    if (moved) {
      if (this.maxX !== Infinity || this.maxY !== Infinity || this.maxZ !== Infinity) speed = this.limitSpeed(dx, dy, dz, speed);
      if (de > 0) {
        this.include(this.x, this.y, this.z);
        this.include(nx, ny, nz);
        if (nz !== this.layerZ) {
          if (!(Math.abs(nz - this.layerZ) < 1e-4)) this.zLayers++;
          this.layerZ = nz;
        }
      }
      if (pathLen >= 0) {
        // Arcs: time along the curve, corners judged by the chord.
        const chord = Math.sqrt(dx * dx + dy * dy + dz * dz) || 1;
        const k = pathLen / chord;
        this.planner.add(dx * k, dy * k, dz * k, de, speed, de > 0 ? this.accel : this.travelAccel);
      } else {
        this.planner.add(dx, dy, dz, de, speed, de > 0 ? this.accel : this.travelAccel);
      }
    } else if (de !== 0) {
      if (speed > this.maxE) speed = this.maxE;
      this.planner.add(0, 0, 0, de, speed, this.accel);
    }
    this.x = nx;
    this.y = ny;
    this.z = nz;
  }

  private limitSpeed(dx: number, dy: number, dz: number, speed: number): number {
    const len = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const ax = Math.abs(dx) / len;
    const ay = Math.abs(dy) / len;
    const az = Math.abs(dz) / len;
    if (ax * speed > this.maxX) speed = this.maxX / ax;
    if (ay * speed > this.maxY) speed = this.maxY / ay;
    if (az * speed > this.maxZ) speed = this.maxZ / az;
    return speed;
  }

  private include(x: number, y: number, z: number): void {
    if (x < this.minBx) this.minBx = x;
    if (x > this.maxBx) this.maxBx = x;
    if (y < this.minBy) this.minBy = y;
    if (y > this.maxBy) this.maxBy = y;
    if (z < this.minBz) this.minBz = z;
    if (z > this.maxBz) this.maxBz = z;
  }

  private arc(b: Buffer, i: number, end: number, clockwise: boolean): void {
    let nx = this.x;
    let ny = this.y;
    let nz = this.z;
    let de = 0;
    let ci = 0;
    let cj = 0;
    let r = NaN;
    const relE = !this.absXYZ || !this.absE;
    const u = this.unit;
    while (i < end) {
      const c = b[i]!;
      if (c === SP || c === TAB) {
        i++;
        continue;
      }
      if (c === SEMI || c === CR || c === 42) break;
      const v = this.num(b, i + 1, end);
      i = this.p;
      if (v !== v) continue;
      switch (c | 0x20) {
        case 120:
          nx = this.absXYZ ? v * u : nx + v * u;
          break;
        case 121:
          ny = this.absXYZ ? v * u : ny + v * u;
          break;
        case 122:
          nz = this.absXYZ ? v * u : nz + v * u;
          break;
        case 101:
          de = relE ? v * u : v * u - this.e;
          break;
        case 105:
          ci = v * u;
          break;
        case 106:
          cj = v * u;
          break;
        case 114:
          r = v * u;
          break;
        case 102:
          if (v > 0) this.feed = (v * u) / 60;
          break;
        default:
          break;
      }
    }
    const sx = this.x;
    const sy = this.y;
    let cx: number;
    let cy: number;
    if (r === r) {
      // Radius form: centre on the perpendicular bisector; a negative R asks for the long way round.
      const mx = (nx - sx) / 2;
      const my = (ny - sy) / 2;
      const half = Math.sqrt(mx * mx + my * my);
      const rr = Math.abs(r);
      if (half < 1e-9 || rr < half) {
        this.finishMove(nx, ny, nz, de, nx - sx, ny - sy, nz - this.z, -1);
        return;
      }
      const h = Math.sqrt(rr * rr - half * half);
      let side = clockwise ? 1 : -1;
      if (r < 0) side = -side;
      cx = sx + mx + (side * h * my) / half;
      cy = sy + my - (side * h * mx) / half;
    } else {
      cx = sx + ci;
      cy = sy + cj;
    }
    const radius = Math.sqrt((sx - cx) * (sx - cx) + (sy - cy) * (sy - cy));
    if (!(radius > 1e-9)) {
      this.finishMove(nx, ny, nz, de, nx - sx, ny - sy, nz - this.z, -1);
      return;
    }
    const a0 = Math.atan2(sy - cy, sx - cx);
    const a1 = Math.atan2(ny - cy, nx - cx);
    const TWO_PI = Math.PI * 2;
    let sweep = clockwise ? a0 - a1 : a1 - a0;
    while (sweep <= 1e-9) sweep += TWO_PI;
    if (de > 0) {
      // The curve can bulge past both end points: add the quadrant points it crosses.
      for (let q = 0; q < 4; q++) {
        const theta = (q * Math.PI) / 2 - Math.PI;
        let delta = clockwise ? a0 - theta : theta - a0;
        delta = ((delta % TWO_PI) + TWO_PI) % TWO_PI;
        if (delta <= sweep) this.include(cx + radius * Math.cos(theta), cy + radius * Math.sin(theta), this.z);
      }
    }
    const dz = nz - this.z;
    const planar = sweep * radius;
    this.finishMove(nx, ny, nz, de, nx - sx, ny - sy, dz, Math.sqrt(planar * planar + dz * dz));
  }

  private words(b: Buffer, i: number, end: number, visit: (letter: number, value: number) => void): number {
    let seen = 0;
    while (i < end) {
      const c = b[i]!;
      if (c === SP || c === TAB) {
        i++;
        continue;
      }
      if (c === SEMI || c === CR || c === 42) break;
      const v = this.num(b, i + 1, end);
      i = this.p;
      seen++;
      visit(c | 0x20, v);
    }
    return seen;
  }

  private dwellCmd(b: Buffer, i: number, end: number): void {
    this.words(b, i, end, (letter, v) => {
      if (!(v > 0)) return;
      if (letter === 112) this.dwell += v / 1000;
      else if (letter === 115) this.dwell += v;
    });
  }

  private home(b: Buffer, i: number, end: number): void {
    let any = false;
    this.words(b, i, end, (letter) => {
      if (letter === 120) this.x = 0;
      else if (letter === 121) this.y = 0;
      else if (letter === 122) this.z = 0;
      else return;
      any = true;
    });
    if (!any) {
      this.x = 0;
      this.y = 0;
      this.z = 0;
    }
  }

  private setPosition(b: Buffer, i: number, end: number): void {
    const u = this.unit;
    const seen = this.words(b, i, end, (letter, v) => {
      if (v !== v) v = 0;
      if (letter === 120) this.x = v * u;
      else if (letter === 121) this.y = v * u;
      else if (letter === 122) this.z = v * u;
      else if (letter === 101) this.e = v * u;
    });
    if (seen === 0) {
      this.x = 0;
      this.y = 0;
      this.z = 0;
      this.e = 0;
    }
  }

  private maxFeed(b: Buffer, i: number, end: number): void {
    this.words(b, i, end, (letter, v) => {
      if (!(v > 0)) return;
      if (letter === 120) this.maxX = v;
      else if (letter === 121) this.maxY = v;
      else if (letter === 122) this.maxZ = v;
      else if (letter === 101) this.maxE = v;
    });
  }

  private klipperVelocityLimit(b: Buffer, i: number, end: number): void {
    const text = b.toString('latin1', i, Math.min(end, i + 200));
    if (!/^SET_VELOCITY_LIMIT\b/i.test(text)) return;
    const accel = /\bACCEL=([\d.]+)/i.exec(text);
    const v = accel ? Number(accel[1]) : NaN;
    if (v > 0) {
      this.accel = v;
      this.travelAccel = v;
    }
  }

  private heaterOn(b: Buffer, i: number, end: number): void {
    let on = false;
    this.words(b, i, end, (letter, v) => {
      if ((letter === 115 || letter === 114) && v > 0) on = true; // S or R
    });
    if (on) this.heaterTargets++;
  }

  private setAccel(b: Buffer, i: number, end: number): void {
    this.words(b, i, end, (letter, v) => {
      if (!(v > 0)) return;
      if (letter === 115) {
        this.accel = v;
        this.travelAccel = v;
      } else if (letter === 112) this.accel = v;
      else if (letter === 116) this.travelAccel = v;
    });
  }

  private comment(b: Buffer, i: number, end: number): void {
    const second = i + 1 < end ? b[i + 1]! : 0;
    if (second !== 76 && second !== SP && second !== SEMI) return;
    for (let k = 0; k < LAYER_MARKERS.length; k++) {
      const m = LAYER_MARKERS[k]!;
      const n = m.length;
      if (end - i < n || m[1] !== second) continue;
      let same = true;
      for (let j = 2; j < n; j++) {
        if (b[i + j] !== m[j]) {
          same = false;
          break;
        }
      }
      if (!same) continue;
      if (k === SIMPLIFY3D_MARKER) {
        const d = i + n < end ? b[i + n]! : 0;
        if (d < ZERO || d > 57) continue;
      }
      this.markerCounts[k] = this.markerCounts[k]! + 1;
      return;
    }
  }
}

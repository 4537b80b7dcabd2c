import { BED, param, positionReport, type CommandContext, type CommandHandler, type CommandTable, type Task } from './command-context';
import type { ParsedCommand } from './gcode-line';
import type { Axes } from './planner';

const MAX_FEEDRATE_MM_S: Axes = { x: 300, y: 300, z: 5, e: 25 };
const HOMING_FEED_MM_S = { x: 50, y: 50, z: 4 };

/** G0/G1: the move goes into the planner (waiting for a slot when it is full); its `ok` does not wait for it to run. */
function* move(cmd: ParsedCommand, c: CommandContext): Task {
  const { m } = c;
  const p = cmd.params;
  const f = p.get('F');
  if (f !== undefined && f !== null && f > 0) m.feedrateMmS = f / 60;
  const target = { ...m.pos };
  let any = false;
  for (const axis of ['x', 'y', 'z', 'e'] as const) {
    const v = p.get(axis.toUpperCase());
    if (v === undefined || v === null) continue;
    any = true;
    const relative = axis === 'e' && m.eMode !== 'follow' ? m.eMode === 'relative' : m.relativeXyz;
    target[axis] = relative ? m.pos[axis] + v : v;
  }
  if (!any) return;
  c.thermal.advanceTo(c.clock.now());
  let de = target.e - m.pos.e;
  if (de !== 0 && !m.allowColdExtrude && c.thermal.hotend.actual < m.extrudeMinTemp) {
    c.emit('echo: cold extrusion prevented');
    de = 0;
  }
  const d = { x: target.x - m.pos.x, y: target.y - m.pos.y, z: target.z - m.pos.z, e: de };
  const xyz = Math.hypot(d.x, d.y, d.z);
  const length = xyz > 0 ? xyz : Math.abs(d.e);
  if (length === 0) {
    m.pos = target;
    return;
  }
  // Constant speed: the programmed feedrate, slowed so no axis exceeds its maximum.
  let speed = m.feedrateMmS;
  for (const axis of ['x', 'y', 'z', 'e'] as const) {
    const axisSpeed = (Math.abs(d[axis]) / length) * speed;
    if (axisSpeed > MAX_FEEDRATE_MM_S[axis]) speed *= MAX_FEEDRATE_MM_S[axis] / axisSpeed;
  }
  if (c.planner.isFull(c.clock.now())) yield { kind: 'planner-slot' };
  const from = { ...m.pos };
  c.planner.add(c.clock.now(), from, target, (length / speed) * 1000);
  m.pos = target;
  m.motorsOn = true;
}

function* dwell(cmd: ParsedCommand, c: CommandContext): Task {
  yield { kind: 'planner-idle' };
  const ms = param(cmd, 'P') ?? (param(cmd, 'S') ?? 0) * 1000;
  if (ms > 0) yield { kind: 'until', at: c.clock.now() + ms };
}

function* home(cmd: ParsedCommand, c: CommandContext): Task {
  const { m } = c;
  yield { kind: 'planner-idle' };
  const asked = (['x', 'y', 'z'] as const).filter((a) => cmd.params.has(a.toUpperCase()));
  const axes = asked.length ? asked : (['x', 'y', 'z'] as const);
  let ms = 0;
  for (const axis of axes) {
    // An unhomed axis could be anywhere; assume it starts mid-travel (Z: a little above the bed).
    const distance = m.homed[axis] ? Math.abs(m.pos[axis]) : axis === 'z' ? 10 : BED[axis] / 2;
    ms += (distance / HOMING_FEED_MM_S[axis]) * 1000 + 1000; // plus the slow second bump
  }
  yield { kind: 'until', at: c.clock.now() + ms };
  for (const axis of axes) {
    m.pos[axis] = 0;
    m.homed[axis] = true;
  }
  m.motorsOn = true;
  c.emit(positionReport(m.pos));
}

function* probeMesh(_cmd: ParsedCommand, c: CommandContext): Task {
  yield { kind: 'planner-idle' };
  yield { kind: 'until', at: c.clock.now() + 9 * 1500 }; // 3x3 grid, ~1.5 s per probe point
}

function* releaseMotors(_cmd: ParsedCommand, c: CommandContext): Task {
  yield { kind: 'planner-idle' };
  c.m.motorsOn = false;
}

function* finishMoves(): Task {
  yield { kind: 'planner-idle' };
}

/**
 * Marlin's M302: S sets the minimum extrusion temperature (S0 allows cold extrusion), P1/P0 allows or forbids
 * it outright; without either it reports the setting.
 */
const coldExtrusion: CommandHandler = (cmd, c) => {
  const { m } = c;
  const s = param(cmd, 'S');
  const pFlag = param(cmd, 'P');
  if (s !== undefined) {
    m.extrudeMinTemp = s;
    m.allowColdExtrude = s === 0;
  }
  if (pFlag !== undefined) m.allowColdExtrude = m.extrudeMinTemp === 0 || pFlag !== 0;
  else if (s === undefined) {
    c.emit(`echo:Cold extrudes are ${m.allowColdExtrude ? 'en' : 'dis'}abled (min temp ${m.extrudeMinTemp}C)`);
  }
};

/** Moves, homing, probing, positioning modes, steppers and extrusion limits. */
export const motionCommands: CommandTable = {
  G0: move,
  G1: move,
  G4: dwell,
  G28: home,
  G29: probeMesh,
  G90: (_cmd, c) => {
    c.m.relativeXyz = false;
    c.m.eMode = 'follow';
  },
  G91: (_cmd, c) => {
    c.m.relativeXyz = true;
    c.m.eMode = 'follow';
  },
  G92: (cmd, c) => {
    for (const axis of ['x', 'y', 'z', 'e'] as const) {
      const v = param(cmd, axis.toUpperCase());
      if (v !== undefined) c.m.pos[axis] = v;
    }
  },
  M17: (_cmd, c) => {
    c.m.motorsOn = true;
  },
  M18: releaseMotors,
  M84: releaseMotors,
  M82: (_cmd, c) => {
    c.m.eMode = 'absolute';
  },
  M83: (_cmd, c) => {
    c.m.eMode = 'relative';
  },
  M302: coldExtrusion,
  M400: finishMoves,
  M410: (_cmd, c) => c.quickstop(),
};

import { param, type CommandContext, type CommandTable, type Task } from './command-context';
import type { ParsedCommand } from './gcode-line';

const TEMP_WINDOW = 1;
const TEMP_HYSTERESIS = 3;
const MIN_COOLING_SLOPE_DEG = 1.5;
const MIN_COOLING_SLOPE_MS = 60_000;
const HEAT_POLL_MS = 100;

/** M109/M190: set the target (S waits only to heat, R also to cool), then wait for it. */
function* setAndWait(cmd: ParsedCommand, c: CommandContext): Task {
  const which = cmd.code === 109 ? 'hotend' : 'bed';
  const heater = c.thermal[which];
  const noWaitForCooling = param(cmd, 'S') !== undefined;
  const value = param(cmd, 'S') ?? param(cmd, 'R');
  c.thermal.advanceTo(c.clock.now());
  if (value !== undefined) heater.setTarget(value);
  const heating = heater.target > heater.actual;
  if (heating || !noWaitForCooling) yield* waitForHeater(c, which, noWaitForCooling);
}

/** Marlin's wait_for_hotend()/wait_for_bed(): M109/M190 S waits only to heat, R also waits to cool. */
function* waitForHeater(c: CommandContext, which: 'hotend' | 'bed', noWaitForCooling: boolean): Task {
  const { thermal, m } = c;
  const heater = thermal[which];
  let target = -1;
  let wantsToCool = false;
  let residencyStart: number | null = null;
  let nextReport = 0;
  let oldTemp = 9999;
  let coolCheckAt = 0;
  m.waitForHeatup = true;
  for (;;) {
    const now = c.clock.now();
    thermal.advanceTo(now);
    if (target !== heater.target) {
      wantsToCool = heater.target < heater.actual;
      target = heater.target;
      if (noWaitForCooling && wantsToCool) break;
    }
    if (now >= nextReport) {
      nextReport = now + 1000;
      const w = residencyStart === null ? '?' : String(Math.max(0, Math.floor((c.board.residencyMs - (now - residencyStart)) / 1000)));
      c.emit(`${thermal.report()} W:${w}`);
    }
    const diff = Math.abs(target - heater.actual);
    if (residencyStart === null) {
      if (diff < TEMP_WINDOW) residencyStart = now;
    } else if (diff > TEMP_HYSTERESIS) {
      residencyStart = now;
    }
    if (wantsToCool) {
      // Give up if it is not cooling (e.g. M109 R0 at room temperature) rather than wait forever.
      if (coolCheckAt === 0 || now >= coolCheckAt) {
        if (oldTemp - heater.actual < MIN_COOLING_SLOPE_DEG) break;
        coolCheckAt = now + MIN_COOLING_SLOPE_MS;
        oldTemp = heater.actual;
      }
    }
    if (!m.waitForHeatup) break;
    if (residencyStart !== null && now - residencyStart >= c.board.residencyMs) break;
    yield { kind: 'until', at: now + HEAT_POLL_MS };
  }
  m.waitForHeatup = false;
}

/** Heater targets, heater waits and the temperature query. */
export const temperatureCommands: CommandTable = {
  M104: (cmd, c) => {
    const s = param(cmd, 'S');
    if (s !== undefined) c.thermal.hotend.setTarget(s);
  },
  M140: (cmd, c) => {
    const s = param(cmd, 'S');
    if (s !== undefined) c.thermal.bed.setTarget(s);
  },
  M109: setAndWait,
  M190: setAndWait,
  M105: (_cmd, c) => {
    c.thermal.advanceTo(c.clock.now());
    c.okWith(`ok${c.thermal.report()}`);
  },
  M108: (_cmd, c) => {
    c.m.waitForHeatup = false;
  },
};

import type { Clock } from '../../ports/clock';
import type { ParsedCommand } from './gcode-line';
import type { Axes, Planner } from './planner';
import type { Thermal } from './thermal';

/** What a running command waits for before it goes on. */
export type Wait = { kind: 'until'; at: number } | { kind: 'planner-slot' } | { kind: 'planner-idle' };
/** A command as it runs: it yields each time it must wait, and returns when done (then its `ok` goes out). */
export type Task = Generator<Wait, void, void>;

export const DEFAULT_FEEDRATE_MM_S = 25;
export const EXTRUDE_MINTEMP = 170;
export const BED = { x: 220, y: 220, z: 250 };
const STEPS_PER_MM: Axes = { x: 80, y: 80, z: 400, e: 500 };

/** The machine state G-code changes, all lost on a reset. */
export interface MachineState {
  /** Marlin's current_position: where the last accepted move ends. */
  pos: Axes;
  homed: { x: boolean; y: boolean; z: boolean };
  relativeXyz: boolean;
  eMode: 'follow' | 'relative' | 'absolute';
  feedrateMmS: number;
  fan: number;
  progressPct: number | null;
  motorsOn: boolean;
  /** M113 host keepalive: how often `busy` is printed while a command blocks; 0 never. */
  keepaliveMs: number;
  /** Cleared by M108 (also from the emergency parser) to end a heater wait early. */
  waitForHeatup: boolean;
  /** M302: the hotend temperature below which E moves are refused, and whether cold extrusion is allowed anyway. */
  extrudeMinTemp: number;
  allowColdExtrude: boolean;
}

export function powerOnState(keepaliveMs: number): MachineState {
  return {
    pos: { x: 0, y: 0, z: 0, e: 0 },
    homed: { x: false, y: false, z: false },
    relativeXyz: false,
    eMode: 'follow',
    feedrateMmS: DEFAULT_FEEDRATE_MM_S,
    fan: 0,
    progressPct: null,
    motorsOn: false,
    keepaliveMs,
    waitForHeatup: false,
    extrudeMinTemp: EXTRUDE_MINTEMP,
    allowColdExtrude: false,
  };
}

/** How the board was built (fixed for its life). */
export interface BoardConfig {
  autoReport: boolean;
  advancedOk: boolean;
  machineName: string;
  /** TEMP_RESIDENCY_TIME in ms. */
  residencyMs: number;
}

/** What a command handler may read and change on the board. */
export interface CommandContext {
  readonly m: MachineState;
  readonly board: BoardConfig;
  readonly clock: Clock;
  readonly thermal: Thermal;
  readonly planner: Planner;
  emit(line: string): void;
  /** Replaces the plain `ok` of the running command (M105 answers `ok T:...`). */
  okWith(line: string): void;
  lastLineNumber(): number;
  setLastLineNumber(n: number): void;
  kill(): void;
  quickstop(): void;
  /** M155/M154: print the report every `seconds` (0 stops it). */
  autoReport(kind: 'temperature' | 'position', seconds: number): void;
}

/** Runs one command: at once (returns nothing) or as a Task that waits. */
export type CommandHandler = (cmd: ParsedCommand, c: CommandContext) => Task | void;
/** Handlers by command word (`G1`, `M104`). */
export type CommandTable = Readonly<Record<string, CommandHandler>>;

/** A numeric parameter; a letter given without a number counts as absent. */
export function param(cmd: ParsedCommand, key: string): number | undefined {
  const v = cmd.params.get(key);
  return v === undefined || v === null ? undefined : v;
}

export function unknownCommand(cmd: ParsedCommand, c: CommandContext): void {
  c.emit(`echo:Unknown command: "${cmd.text}"`);
}

/** The M114 answer (also printed after G28 and by M154). */
export function positionReport(pos: Axes): string {
  const { x, y, z, e } = pos;
  const count = (v: number, axis: 'x' | 'y' | 'z') => Math.round(v * STEPS_PER_MM[axis]);
  return `X:${x.toFixed(2)} Y:${y.toFixed(2)} Z:${z.toFixed(2)} E:${e.toFixed(2)} Count X:${count(x, 'x')} Y:${count(y, 'y')} Z:${count(z, 'z')}`;
}

export function waitSatisfied(w: Wait, planner: Planner, now: number): boolean {
  switch (w.kind) {
    case 'until':
      return now >= w.at;
    case 'planner-slot':
      return !planner.isFull(now);
    case 'planner-idle':
      return planner.idleAt(now) === null;
  }
}

/** When a wait may be over, for the wake-up timer. */
export function wakeTime(w: Wait, planner: Planner, now: number): number {
  switch (w.kind) {
    case 'until':
      return w.at;
    case 'planner-slot':
      return planner.nextFreeAt(now) ?? now;
    case 'planner-idle':
      return planner.idleAt(now) ?? now;
  }
}

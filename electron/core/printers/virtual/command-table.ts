import { unknownCommand, type CommandContext, type CommandTable, type Task } from './command-context';
import type { ParsedCommand } from './gcode-line';
import { miscCommands, toolChange } from './misc-commands';
import { motionCommands } from './motion-commands';
import { reportingCommands } from './reporting-commands';
import { sdCommands } from './sd-commands';
import { temperatureCommands } from './temperature-commands';

/** Every G- and M-code the virtual board knows, by command word; anything else is an unknown command. */
const COMMANDS: CommandTable = { ...motionCommands, ...temperatureCommands, ...sdCommands, ...reportingCommands, ...miscCommands };

/** Runs one parsed command through its handler. */
export function* executeCommand(cmd: ParsedCommand, c: CommandContext): Task {
  if (cmd.letter === 'T') {
    toolChange(cmd, c);
    return;
  }
  const handler = cmd.letter === null ? undefined : COMMANDS[`${cmd.letter}${cmd.code}`];
  if (!handler) return unknownCommand(cmd, c);
  const task = handler(cmd, c);
  if (task) yield* task;
}

import { param, type CommandHandler, type CommandTable } from './command-context';

/** Accepted settings and job-timer commands: nothing to simulate. */
const ACCEPTED = ['M75', 'M76', 'M77', 'M92', 'M201', 'M203', 'M204', 'M205', 'M220', 'M221', 'M500', 'M501', 'M502', 'M503', 'M900'];
const accept: CommandHandler = () => undefined;

/** The part fan, line numbering, kill and restart, the LCD message, and settings accepted as they are. */
export const miscCommands: CommandTable = {
  M106: (cmd, c) => {
    c.m.fan = Math.max(0, Math.min(255, Math.round(param(cmd, 'S') ?? 255)));
  },
  M107: (_cmd, c) => {
    c.m.fan = 0;
  },
  M110: (cmd, c) => {
    const n = param(cmd, 'N');
    if (n !== undefined) c.setLastLineNumber(n);
  },
  M112: (_cmd, c) => c.kill(),
  M117: accept,
  M999: (_cmd, c) => {
    // Marlin answers M999 with a resend request for the next line, then its own ok.
    c.emit(`Resend: ${c.lastLineNumber() + 1}`);
    c.emit('ok');
  },
  ...Object.fromEntries(ACCEPTED.map((word) => [word, accept])),
};

/** T0 is the only tool; any other is refused as Marlin refuses it. */
export const toolChange: CommandHandler = (cmd, c) => {
  if (cmd.code !== 0) c.emit(`echo:T${cmd.code} Invalid extruder`);
};

import { param, type CommandTable } from './command-context';

/** The SD card (present and empty) and the print job's progress and timer, as a host streaming over USB sees them. */
export const sdCommands: CommandTable = {
  M20: (_cmd, c) => {
    c.emit('Begin file list');
    c.emit('End file list');
  },
  M21: (_cmd, c) => c.emit('echo:SD card ok'),
  M27: (_cmd, c) => c.emit('Not SD printing'),
  M73: (cmd, c) => {
    const p = param(cmd, 'P');
    if (p !== undefined) c.m.progressPct = p;
  },
};

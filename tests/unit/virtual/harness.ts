import { VirtualFirmware, type VirtualFirmwareOptions } from '../../../electron/core/printers/virtual/firmware';
import { numberedLine } from '../../../electron/core/printers/virtual/gcode-line';
import { ManualClock } from './manual-clock';

/** A firmware on a manual clock with its output collected as lines. */
export function bench(opts: Omit<VirtualFirmwareOptions, 'clock'> = {}) {
  const clock = new ManualClock();
  const fw = new VirtualFirmware({ clock, ...opts });
  const lines: string[] = [];
  fw.onOutput((chunk) => {
    for (const l of chunk.split('\n')) if (l !== '') lines.push(l);
  });
  return {
    clock,
    fw,
    lines,
    /** Sends raw command lines, each terminated by `\n`, in one write. */
    send: (...commands: string[]) => fw.write(commands.map((c) => `${c}\n`).join('')),
    /** Sends `N<n> <cmd>*<cs>` lines starting at `first`. */
    sendNumbered: (first: number, ...commands: string[]) => fw.write(commands.map((c, i) => `${numberedLine(first + i, c)}\n`).join('')),
    /** Returns and forgets the lines collected so far. */
    take: () => lines.splice(0, lines.length),
    oks: () => lines.filter((l) => l.startsWith('ok')).length,
  };
}

import { afterEach, describe, expect, it } from 'vitest';
import { frameLine } from '../../../electron/core/printers/marlin/framing';
import { MarlinHost } from '../../../electron/core/printers/marlin/host';
import { JobStreamer } from '../../../electron/core/printers/marlin/job-streamer';
import type { ByteTransport } from '../../../electron/core/printers/marlin/transport';
import { systemClock } from '../../../electron/core/ports/clock';
import { VirtualFirmware } from '../../../electron/core/printers/virtual/firmware';
import { createInProcessLink } from '../../../electron/core/printers/virtual/in-process-link';
import { createScaledClock } from '../../../electron/core/printers/virtual/scaled-clock';
import { gcodeLines, textSource } from './support';

const firmwares: VirtualFirmware[] = [];
afterEach(() => {
  for (const f of firmwares.splice(0)) f.close();
});

/** A link that loses one line on its way to the board (line noise that ate it whole), the first time it is sent. */
function losingOnce(link: ByteTransport, lost: string): ByteTransport & { lost(): boolean } {
  let dropped = false;
  return {
    write: (data) => {
      if (!dropped && data.includes(`${lost}\n`)) {
        dropped = true;
        data = data.replace(`${lost}\n`, '');
      }
      return link.write(data);
    },
    onData: (l) => link.onData(l),
    onClose: (l) => link.onClose(l),
    close: () => link.close(),
    resetBoard: () => link.resetBoard!(),
    lost: () => dropped,
  };
}

describe('MarlinHost timeout nudge against the virtual firmware', () => {
  it('gets the lost last line of a job executed: the numbered nudge makes Marlin ask for it again', async () => {
    const fw = new VirtualFirmware({ clock: createScaledClock(systemClock, 200) });
    firmwares.push(fw);
    const lines = gcodeLines(30).map((l) => `${l} F12000`);
    // Hello N0, M115 N1, M155/M154 are off, so the job starts at N2 and its last line is N31.
    const lastLine = 31;
    const link = losingOnce(createInProcessLink(fw), frameLine(lastLine, lines.at(-1)!));
    const host = new MarlinHost({ communicationTimeoutMs: 100, temperatureIntervalS: 0 });
    const notices: string[] = [];
    host.events.on('notice', (n) => notices.push(n));
    await host.connect(link);
    const job = new JobStreamer(host, textSource('last.gcode', lines.join('\n')));
    job.start();
    expect(await job.done).toEqual({ kind: 'completed', lines: 30 });
    expect(link.lost()).toBe(true);
    expect(notices.some((n) => /lost "ok"/.test(n))).toBe(true);
    // Every job line ran once and in order, the lost one included; then the nudge's M105 and this M114.
    await expect(host.send('M114')).resolves.toHaveLength(1);
    expect(fw.executedLines.filter((n) => n >= 2)).toEqual(Array.from({ length: 32 }, (_, i) => i + 2));
    await host.close();
  });
});

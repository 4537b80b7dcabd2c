import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../electron/core/ports/clock';
import { VirtualFirmware } from '../../../electron/core/printers/virtual/firmware';
import { createInProcessLink } from '../../../electron/core/printers/virtual/in-process-link';
import { ManualClock } from './manual-clock';

function nextData(link: ReturnType<typeof createInProcessLink>, until: (all: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    let all = '';
    const off = link.onData((chunk) => {
      all += chunk;
      if (until(all)) {
        off();
        resolve(all);
      }
    });
  });
}

describe('in-process link to the virtual firmware', () => {
  it('carries a command and its answer both ways at unlimited speed', async () => {
    const link = createInProcessLink(new VirtualFirmware({ clock: new ManualClock() }));
    const answer = nextData(link, (all) => all.includes('\nok'));
    await link.write('M115\n');
    expect(await answer).toMatch(/^FIRMWARE_NAME:Marlin /);
    await link.close();
  });

  it('takes the wire time of the baud rate in each direction', async () => {
    const clock = new ManualClock();
    const fw = new VirtualFirmware({ clock, baudRate: 9600 }); // 1.0417 ms per byte
    const link = createInProcessLink(fw);
    let received = '';
    link.onData((c) => (received += c));
    await link.write('G92 X1.5\n'); // 9 bytes: 9.375 ms on the wire
    clock.advance(9);
    expect(fw.position.x).toBe(0);
    clock.advance(1);
    expect(fw.position.x).toBe(1.5);
    expect(received).toBe('');
    clock.advance(3.2); // "ok\n" is 3 bytes
    expect(received).toBe('ok\n');
    await link.close();
  });

  it('keeps the round trip to what the wire takes when every timer fires late', async () => {
    const base = new ManualClock(0);
    // Node timers fire a millisecond or more late; a board and a host on a real UART react at once.
    const late: Clock = { now: () => base.now(), setTimeout: (fn, ms) => base.setTimeout(fn, ms + 2), setInterval: (fn, ms) => base.setInterval(fn, ms + 2) };
    const fw = new VirtualFirmware({ clock: late, baudRate: 100_000, autoReport: false }); // 0.1 ms per byte
    const link = createInProcessLink(fw);
    let oks = 0;
    link.onData((chunk) => {
      oks += chunk.split('ok\n').length - 1;
      if (oks === 1) void link.write('G92 X2\n'); // the host answers the first ok with its next line
    });
    await link.write('G92 X1\n');
    // Wire time: 0.7 ms + 0.3 ms for the ok, then 0.7 + 0.3 again: the second ok is due at 2.0 ms.
    // Each hop's delivery still waits for its late timer, but no hop starts late because of one.
    base.advance(9);
    expect(fw.position.x).toBe(2);
    expect(oks).toBe(2);
    await link.close();
  });

  it('resets the board on resetBoard, which then sends start', async () => {
    const link = createInProcessLink(new VirtualFirmware({ clock: new ManualClock() }));
    const banner = nextData(link, (all) => all.includes('SD card'));
    await link.resetBoard!();
    expect((await banner).split('\n')[0]).toBe('start');
    await link.close();
  });

  it('reports a simulated cable fault through onClose with a reason and refuses further writes', async () => {
    const fw = new VirtualFirmware({ clock: new ManualClock(), faults: { disconnectAtLine: 1 } });
    const link = createInProcessLink(fw);
    const closed = new Promise<string | null>((resolve) => link.onClose(resolve));
    await link.write('N1 M17*41\n');
    expect(await closed).toMatch(/dropped the connection/);
    await expect(link.write('M17\n')).rejects.toThrow(/closed/);
  });

  it('reports a requested close with a null reason and leaves the firmware running', async () => {
    const fw = new VirtualFirmware({ clock: new ManualClock() });
    const link = createInProcessLink(fw);
    const closed = new Promise<string | null>((resolve) => link.onClose(resolve));
    await link.close();
    expect(await closed).toBeNull();
    expect(fw.state).toBe('running');
  });
});

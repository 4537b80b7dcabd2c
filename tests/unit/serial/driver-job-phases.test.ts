import { afterEach, describe, expect, it } from 'vitest';
import { MarlinDriver } from '../../../electron/core/printers/marlin/driver';
import type { JobEnd, PrinterState } from '../../../electron/core/printers/model';
import { createInProcessLink } from '../../../electron/core/printers/virtual/in-process-link';
import { VirtualFirmware } from '../../../electron/core/printers/virtual/firmware';

let driver: MarlinDriver | null = null;
afterEach(async () => {
  await driver?.dispose();
  driver = null;
});

function source(lines: number) {
  const text = Array.from({ length: lines }, (_, i) => `G92 E${i}\n`).join('');
  const bytes = new TextEncoder().encode(text);
  return {
    name: 'long.gcode',
    size: bytes.length,
    async *open() {
      yield bytes;
    },
  };
}

function until(d: MarlinDriver, test: (s: PrinterState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (test(d.status().state)) return resolve();
    const off = d.onStatus((s) => {
      if (test(s.state)) {
        off();
        resolve();
      }
    });
  });
}

describe('the Marlin driver while a job pauses or is cancelled', () => {
  it('stays printing or paused with the phase, never plain busy, so the job and its controls stay on screen', async () => {
    const firmware = new VirtualFirmware({ okLatencyMs: 1, autoReport: false });
    driver = new MarlinDriver({ transport: () => createInProcessLink(firmware), options: { scripts: { pause: ['G91', 'G90'] } } });
    await driver.connect();
    const seen: PrinterState[] = [];
    driver.onStatus((s) => seen.push(s.state));
    const ended = new Promise<JobEnd>((resolve) => driver!.onJobEnd(resolve));

    await driver.startPrint(source(20_000));
    await until(driver, (s) => s.kind === 'printing' && s.job.linesSent > 5);
    await driver.pause();
    expect(driver.status().state.kind).toBe('paused');
    await driver.cancel();
    expect((await ended).outcome.kind).toBe('cancelled');

    expect(seen.some((s) => s.kind === 'busy')).toBe(false);
    expect(seen).toContainEqual(expect.objectContaining({ kind: 'printing', phase: 'pausing', job: expect.objectContaining({ fileName: 'long.gcode' }) }));
    // Cancelled from a pause: it stays "paused" (not printing) until the cancel script has run.
    expect(seen).toContainEqual(expect.objectContaining({ kind: 'paused', phase: 'cancelling' }));
    expect(driver.status().state).toEqual({ kind: 'idle' });
  });
});

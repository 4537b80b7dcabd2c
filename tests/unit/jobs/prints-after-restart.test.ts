/**
 * What a restart makes of the prints that were running when the app stopped: a network printer prints from its
 * own storage and may have carried on (its print is followed to its real end), a USB print died with the app
 * (it is interrupted, saying how far it had got).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PrinterView } from '../../../electron/core/contract';
import type { PrinterState } from '../../../electron/core/printers/model';
import { addReadyFile, createFarmHarness, type FarmHarness } from './farm-fixture';

let h: FarmHarness;
afterEach(async () => {
  await h?.close();
});

const HOT = { hotend: { actual: 215, target: 215 }, bed: { actual: 60, target: 60 } };
const printingFile = (fileName: string, fraction: number, linesSent = 0): PrinterState => ({
  kind: 'printing',
  job: { fileName, fraction, linesSent, linesTotal: null, startedAt: 0, remainingSeconds: null },
});

/** A job printing on printer `a` of this kind; then the app dies (no end reported) and starts again with `a` offline. */
async function crashWhilePrinting(kind: PrinterView['kind'], linesSent = 0): Promise<{ jobId: string; fileName: string }> {
  h = await createFarmHarness();
  h.fleet.add('a', { kind: 'idle' }, kind);
  const file = await addReadyFile(h);
  const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'a' } });
  await h.farm.settled();
  // Progress is written every few seconds: this report is the last one written before the crash.
  h.clock.advance(5000);
  h.fleet.setState('a', printingFile(file.name, 0.4, linesSent), HOT);
  await h.farm.settled();
  expect(h.farm.get(job!.id).state).toBe('printing');
  h.fleet.printers.get('a')!.status.state = { kind: 'offline', reason: null };
  h = await h.restart();
  await h.farm.settled();
  return { jobId: job!.id, fileName: file.name };
}

describe('a network printer that was printing when the app stopped', () => {
  it('keeps its job until it answers, and when it is still printing that file the job is followed to its real end', async () => {
    const { jobId, fileName } = await crashWhilePrinting('octoprint');
    expect(h.farm.get(jobId).state).toBe('printing');
    h.fleet.setState('a', printingFile(fileName, 0.7), HOT);
    await h.farm.settled();
    expect(h.farm.get(jobId)).toMatchObject({ state: 'printing', reason: expect.stringContaining('the printer carried on') });

    h.fleet.end('a', { kind: 'completed' });
    await h.farm.settled();
    expect(h.farm.get(jobId).state).toBe('completed');
    expect(h.farm.history.list({ limit: 5 }).find((e) => e.jobId === jobId)?.outcome).toBe('completed');
    expect(h.fleet.cooledDown).toEqual([]);
  });

  it('is interrupted, saying what was seen, when the printer is back but no longer printing it, and is made safe', async () => {
    const { jobId } = await crashWhilePrinting('bambu');
    h.fleet.setState('a', { kind: 'idle' }, HOT);
    await h.farm.settled();
    await Promise.resolve();
    const job = h.farm.get(jobId);
    expect(job.state).toBe('interrupted');
    expect(job.reason).toMatch(/when it started again the printer was not printing it any more, so how the print ended is unknown/);
    expect(h.fleet.cooledDown).toEqual(['a']);
  });
});

describe('a USB print that died with the app', () => {
  it('is interrupted at once after the restart, with the line it had reached', async () => {
    const { jobId } = await crashWhilePrinting('marlin', 12_345);
    const job = h.farm.get(jobId);
    expect(job.state).toBe('interrupted');
    expect(job.reason).toMatch(/^AutoPrintFarm stopped while this print was running/);
    expect(job.reason).toContain('It had reached line 12,345 of the file (40 %)');
    // The history counts the filament used up to there.
    expect(h.farm.history.list({ limit: 5 }).find((e) => e.jobId === jobId)?.filamentMm).toBeGreaterThan(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { PrinterState } from '../../../electron/core/printers/model';
import { addReadyFile, createFarmHarness, printOne, ScriptedFleet, stepClock, type FarmHarness } from './farm-fixture';

let h: FarmHarness;
afterEach(async () => {
  await h?.close();
});

const MINUTE = 60_000;

function running(fileName: string, fraction: number, startedAt: number, kind: 'printing' | 'paused' = 'printing'): PrinterState {
  return { kind, job: { fileName, fraction, linesSent: 0, linesTotal: null, startedAt, remainingSeconds: null } };
}

/** A print started on the printer itself: seen printing from `fraction` to `to`, over `minutes`. */
function printByHand(id: string, fileName: string, opts: { to: number; minutes: number; from?: number }): number {
  const startedAt = h.clock.now();
  h.fleet.setState(id, running(fileName, opts.from ?? 0.01, startedAt));
  h.clock.advance(opts.minutes * MINUTE);
  h.fleet.setState(id, running(fileName, opts.to, startedAt));
  return startedAt;
}

const history = () => h.farm.history.list({ limit: 100 });

describe('prints started by hand', () => {
  it('records a print started on the printer itself in the history as manual, with outcome, duration, printer and file, and creates no queue job', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const startedAt = printByHand('a', 'benchy.gcode', { to: 1, minutes: 42 });
    h.fleet.setState('a', { kind: 'idle' });
    await h.farm.settled();

    expect(history()).toEqual([
      expect.objectContaining({ source: 'manual', printerId: 'a', printerName: 'Printer a', fileName: 'benchy.gcode', outcome: 'completed', startedAt, durationSeconds: 42 * 60 }),
    ]);
    expect(h.historyEvents.map((e) => e.source)).toEqual(['manual']);
    expect(h.farm.list()).toEqual([]);
    expect(h.jobEvents).toEqual([]);
  });

  it('records a print stopped on the printer before the end of its file as cancelled, and one that ends in an error as failed', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    h.fleet.add('b');
    printByHand('a', 'vase.gcode', { to: 0.4, minutes: 10 });
    h.fleet.setState('a', { kind: 'idle' });
    printByHand('b', 'gear.gcode', { to: 0.7, minutes: 5 });
    h.fleet.setState('b', { kind: 'error', message: 'Thermal runaway on the hotend' });
    await h.farm.settled();

    const byPrinter = new Map(history().map((e) => [e.printerId, e]));
    expect(byPrinter.get('a')).toMatchObject({ source: 'manual', outcome: 'cancelled', reason: expect.stringContaining('40 %') });
    expect(byPrinter.get('b')).toMatchObject({ source: 'manual', outcome: 'failed', reason: 'Thermal runaway on the hotend' });
  });

  it('takes the outcome the driver reports over the one read from the state, whichever arrives first', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    h.fleet.add('b');
    printByHand('a', 'one.gcode', { to: 1, minutes: 3 });
    h.fleet.setState('a', { kind: 'idle' });
    h.fleet.reportEnd('a', { fileName: 'one.gcode', outcome: { kind: 'failed', reason: 'Filament ran out' }, at: h.clock.now() });
    printByHand('b', 'two.gcode', { to: 0.2, minutes: 3 });
    h.fleet.reportEnd('b', { fileName: 'two.gcode', outcome: { kind: 'interrupted', reason: 'USB cable unplugged', atLine: 120 }, at: h.clock.now() });
    h.fleet.setState('b', { kind: 'idle' });
    await h.farm.settled();

    const byPrinter = new Map(history().map((e) => [e.printerId, e]));
    expect(history()).toHaveLength(2);
    expect(byPrinter.get('a')).toMatchObject({ outcome: 'failed', reason: 'Filament ran out', durationSeconds: 180 });
    expect(byPrinter.get('b')).toMatchObject({ outcome: 'interrupted', reason: 'USB cable unplugged', durationSeconds: 180 });
  });

  it('keeps following a print by hand through a pause and a short loss of contact', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const startedAt = printByHand('a', 'lid.gcode', { to: 0.5, minutes: 20 });
    h.fleet.setState('a', running('lid.gcode', 0.5, startedAt, 'paused'));
    h.fleet.setState('a', { kind: 'offline', reason: 'Lost contact' });
    h.clock.advance(20 * MINUTE);
    h.fleet.setState('a', running('lid.gcode', 1, startedAt));
    h.fleet.setState('a', { kind: 'idle' });
    await h.farm.settled();

    expect(history()).toEqual([expect.objectContaining({ outcome: 'completed', durationSeconds: 40 * 60 })]);
  });

  it('leaves the bed to clear after a print by hand, so the queue does not start a job on top of the part', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    printByHand('a', 'bracket.gcode', { to: 0.3, minutes: 5 });
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    printByHand('a', 'bracket.gcode', { to: 1, minutes: 5, from: 0.3 });
    h.fleet.setState('a', { kind: 'idle' });
    await h.farm.settled();

    expect(h.farm.profileOf('a')).toMatchObject({ bed: 'needs_clear', bedJobId: null });
    expect(h.farm.get(job!.id).state).toBe('queued');
    expect(h.fleet.started).toEqual([]);
    h.farm.confirmBedClear('a');
    await h.farm.settled();
    expect(h.farm.get(job!.id)).toMatchObject({ state: 'starting', printerId: 'a' });
  });

  it("does not record the rest of a queue job's print, or a late report of its end, as a print by hand", async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const { job, file } = await printOne(h, 'a');
    // The driver reports the end, then one more status from before the printer noticed, then idle.
    h.fleet.reportEnd('a', { fileName: file.name, outcome: { kind: 'completed' }, at: h.clock.now() });
    h.fleet.setState('a', running(file.name, 1, 0));
    h.fleet.reportEnd('a', { fileName: file.name, outcome: { kind: 'completed' }, at: h.clock.now() });
    h.fleet.setState('a', { kind: 'idle' });
    await h.farm.settled();

    expect(history().map((e) => [e.source, e.jobId])).toEqual([['queue', job.id]]);
  });

  it('follows a print that was already running when the app started', async () => {
    const clock = stepClock();
    const fleet = new ScriptedFleet();
    fleet.add('a', running('overnight.gcode', 0.6, clock.now() - 300 * MINUTE));
    h = await createFarmHarness({ fleet, clock });
    h.clock.advance(200 * MINUTE);
    h.fleet.setState('a', running('overnight.gcode', 1, clock.now() - 500 * MINUTE));
    h.fleet.setState('a', { kind: 'idle' });
    await h.farm.settled();

    // The printer's own start time, not the moment the app first saw the print.
    expect(history()).toEqual([expect.objectContaining({ source: 'manual', fileName: 'overnight.gcode', outcome: 'completed', durationSeconds: 500 * 60 })]);
  });

  it('takes filament and material from the library file of the same name, in proportion to how far the print got', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    expect(file.filamentG).not.toBeNull();
    printByHand('a', file.name, { to: 0.5, minutes: 30 });
    h.fleet.setState('a', { kind: 'idle' });
    await h.farm.settled();

    const [entry] = history();
    expect(entry).toMatchObject({ source: 'manual', fileSha256: file.sha256, filamentG: Math.round(file.filamentG! * 0.5 * 100) / 100, material: file.material });
  });

  it('records a print by hand as interrupted, with the printer named, when the printer is removed during it', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    printByHand('a', 'tall.gcode', { to: 0.25, minutes: 60 });
    h.fleet.remove('a');
    await h.farm.settled();

    expect(history()).toEqual([expect.objectContaining({ source: 'manual', printerName: 'Printer a', outcome: 'interrupted', reason: expect.stringMatching(/removed/) })]);
  });

  it('keeps prints by hand in the history after a restart', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    printByHand('a', 'clip.gcode', { to: 1, minutes: 7 });
    h.fleet.setState('a', { kind: 'idle' });
    await h.farm.settled();
    h = await h.restart();

    expect(history()).toEqual([expect.objectContaining({ source: 'manual', fileName: 'clip.gcode', fileSha256: null, durationSeconds: 420 })]);
  });
});

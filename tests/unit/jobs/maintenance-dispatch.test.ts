import { afterEach, describe, expect, it } from 'vitest';
import type { NewTask } from '../../../electron/core/maintenance/maintenance-service';
import { addReadyFile, createFarmHarness, type FarmHarness } from './farm-fixture';

let h: FarmHarness;
afterEach(async () => h?.close());

const ANY = { kind: 'any', requirements: {} } as const;
const task = (printerId: string, t: Partial<NewTask> = {}) =>
  h.farm.maintenance.create({ printerId, kind: 'nozzle', name: '', everyHours: null, everyGrams: null, everyPrints: 1, holdWhenDue: true, countFrom: 'now', ...t });

async function farm(...printers: string[]): Promise<void> {
  h = await createFarmHarness();
  for (const p of printers) h.fleet.add(p);
}

/** One print of the fixture on `printerId`, to its end, and its bed cleared. */
async function printToEnd(printerId: string): Promise<void> {
  const file = await addReadyFile(h);
  h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId } });
  await h.farm.settled();
  h.fleet.warmUp(printerId);
  h.fleet.end(printerId, { kind: 'completed' });
  h.farm.confirmBedClear(printerId);
  await h.farm.settled();
}

async function queue(target: { kind: 'any'; requirements: object } | { kind: 'printer'; printerId: string } = ANY) {
  const file = await addReadyFile(h);
  const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target });
  await h.farm.settled();
  return job!;
}

describe('the queue holds a printer whose due maintenance task is set to hold', () => {
  it('a finished print makes the task due; the next job waits, saying why; marking it done starts the job at once', async () => {
    await farm('a');
    const t = task('a');
    await printToEnd('a');
    expect(h.farm.maintenance.list('a')[0]).toMatchObject({ state: 'due', holding: true, counters: { prints: 1 } });
    const job = await queue();
    expect(h.fleet.started).toHaveLength(1);
    const why = "Printer a is held: nozzle change due (1 of 1 print). Mark the task done on the printer's page to release it.";
    expect(h.farm.get(job.id)).toMatchObject({ state: 'queued', waiting: why });
    expect(h.jobEvents.flat().some((j) => j.id === job.id && j.waiting === why)).toBe(true);
    expect(h.farm.readyPrinters().map((p) => p.id)).toEqual([]);

    h.farm.maintenance.markDone(t.id, 'Sam', '');
    await h.farm.settled();
    expect(h.fleet.started.map((s) => s.printerId)).toEqual(['a', 'a']);
    expect(h.farm.get(job.id)).toMatchObject({ state: 'starting', printerId: 'a', waiting: null });
  });

  it('a held printer is skipped and the job goes to another printer, without a waiting reason', async () => {
    await farm('a', 'b');
    task('a');
    await printToEnd('a');
    const job = await queue();
    expect(h.farm.get(job.id)).toMatchObject({ state: 'starting', printerId: 'b', waiting: null });
  });

  it('a due task that does not hold leaves the printer working', async () => {
    await farm('a');
    task('a', { holdWhenDue: false });
    await printToEnd('a');
    expect(h.farm.maintenance.list('a')[0]).toMatchObject({ state: 'due', holding: false });
    const job = await queue();
    expect(h.farm.get(job.id)).toMatchObject({ state: 'starting', printerId: 'a' });
  });

  it('turning the hold off releases the printer as marking it done does; removing the task does too', async () => {
    await farm('a');
    const t = task('a');
    await printToEnd('a');
    const first = await queue();
    expect(h.farm.get(first.id).state).toBe('queued');
    h.farm.maintenance.update(t.id, { holdWhenDue: false });
    await h.farm.settled();
    expect(h.farm.get(first.id).state).toBe('starting');
    h.fleet.warmUp('a');
    h.fleet.end('a', { kind: 'completed' });
    h.farm.confirmBedClear('a');
    h.farm.maintenance.update(t.id, { holdWhenDue: true });
    const second = await queue();
    expect(h.farm.get(second.id).waiting).toContain('Printer a is held: nozzle change due (2 of 1 print)');
    h.farm.maintenance.remove(t.id);
    await h.farm.settled();
    expect(h.farm.get(second.id).state).toBe('starting');
  });

  it('a job pinned to a held printer waits for it even while another printer is free', async () => {
    await farm('a', 'b');
    task('a');
    await printToEnd('a');
    const job = await queue({ kind: 'printer', printerId: 'a' });
    expect(h.farm.get(job.id)).toMatchObject({ state: 'queued', waiting: expect.stringMatching(/^Printer a is held: nozzle change due/) });
  });

  it('a print started by hand counts toward the task like a queue print', async () => {
    await farm('a');
    task('a', { everyPrints: 2 });
    await printToEnd('a');
    h.fleet.setState('a', { kind: 'printing', job: { fileName: 'by-hand.gcode', fraction: 0.5, linesSent: 0, linesTotal: null, startedAt: 0, remainingSeconds: null } });
    h.fleet.end('a', { kind: 'failed', reason: 'spaghetti' });
    await h.farm.settled();
    expect(h.farm.maintenance.list('a')[0]).toMatchObject({ counters: { prints: 2 }, state: 'due', holding: true });
    expect(h.farm.maintenance.heldReason('a')).toBe('nozzle change due (2 of 2 prints)');
  });
});

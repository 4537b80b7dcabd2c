import { afterEach, describe, expect, it } from 'vitest';
import { addReadyFile, createFarmHarness, type FarmHarness } from './farm-fixture';

let h: FarmHarness;
afterEach(async () => {
  await h?.close();
});

describe('a printer removed while jobs wait for it', () => {
  it('fails a queued job fixed to the removed printer, naming the printer, instead of leaving it queued forever', async () => {
    h = await createFarmHarness();
    h.fleet.add('a', { kind: 'busy', what: 'Homing' });
    const file = await addReadyFile(h);
    const [fixed] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'a' } });
    await h.farm.settled();
    expect(h.farm.get(fixed!.id).state).toBe('queued');
    h.jobEvents.length = 0;

    h.fleet.remove('a');

    const failed = h.farm.get(fixed!.id);
    expect(failed).toMatchObject({ state: 'failed', printerId: null });
    expect(failed.reason).toMatch(/^The printer Printer a was removed from the farm, and this job was for that printer only\./);
    expect(h.jobEvents.flat()).toEqual([{ ...failed, version: expect.any(Number) }]);
    expect(h.farm.list().filter((j) => j.state === 'queued')).toEqual([]);
  });

  it('keeps jobs for other printers and for any compatible printer queued', async () => {
    h = await createFarmHarness();
    h.fleet.add('a', { kind: 'busy', what: 'Homing' });
    h.fleet.add('b', { kind: 'offline', reason: null });
    const file = await addReadyFile(h);
    const [forB] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'b' } });
    const [forAny] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();

    h.fleet.remove('a');
    await h.farm.settled();

    expect(h.farm.get(forB!.id).state).toBe('queued');
    expect(h.farm.get(forAny!.id).state).toBe('queued');
  });

  it('keeps the job failed after a restart, so it never comes back to the queue', async () => {
    h = await createFarmHarness();
    h.fleet.add('a', { kind: 'offline', reason: null });
    const file = await addReadyFile(h);
    const [fixed] = h.farm.enqueue({ fileSha256: file.sha256, copies: 2, priority: 'high', target: { kind: 'printer', printerId: 'a' } });
    h.fleet.remove('a');
    h = await h.restart();
    await h.farm.settled();

    expect(h.farm.get(fixed!.id).state).toBe('failed');
    expect(h.farm.list().map((j) => j.state)).toEqual(['failed', 'failed']);
  });

  it('keeps queued, through the next change to the fleet, a job for a printer missing at start (a settings file restored later brings it back)', async () => {
    h = await createFarmHarness();
    h.fleet.add('a', { kind: 'offline', reason: null });
    const file = await addReadyFile(h);
    const [fixed] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'a' } });
    await h.farm.close();
    h.fleet.remove('a'); // the farm is not listening: as if the settings lost the printer between two runs
    h = await h.restart();
    h.fleet.add('b', { kind: 'offline', reason: null });
    await h.farm.settled();

    expect(h.farm.get(fixed!.id).state).toBe('queued');
  });

  it('names the removed printer in the history of a job that was printing on it', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'a' } });
    await h.farm.settled();
    h.fleet.warmUp('a');
    h.fleet.remove('a');

    expect(h.farm.get(job!.id).state).toBe('interrupted');
    expect(h.farm.history.list({ limit: 10 })).toEqual([expect.objectContaining({ jobId: job!.id, printerName: 'Printer a', outcome: 'interrupted' })]);
  });
});

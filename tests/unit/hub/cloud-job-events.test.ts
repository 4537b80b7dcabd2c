import { afterEach, describe, expect, it } from 'vitest';
import { CloudJobEvents, statusSteps, type JobEventMessage } from '../../../electron/core/hub/cloud-job-events';
import { cloudJobsToReconcile, dbLedger } from '../../../electron/core/hub/job-report-ledger';
import { addReadyFile, createFarmHarness, printing, type FarmHarness } from '../jobs/farm-fixture';

let h: FarmHarness;
afterEach(async () => {
  await h?.close();
});

const CLOUD = { jobId: 'cloud-job-7', printerId: 'cloud-printer-3' };

async function cloudJob() {
  h = await createFarmHarness();
  h.fleet.add('a');
  const file = await addReadyFile(h);
  const events: JobEventMessage[] = [];
  const translator = new CloudJobEvents((m) => events.push(m));
  const seen = h.jobEvents.length;
  const enqueue = () => h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'a' }, cloud: CLOUD });
  return { events, translator, enqueue, flush: () => translator.onJobs(h.jobEvents.splice(seen).flat()) };
}

describe('cloud jobs on this hub', () => {
  it("become exactly one local job however often the cloud sends them, marked with the cloud's ids", async () => {
    const { enqueue } = await cloudJob();
    const [first] = enqueue();
    const [again] = enqueue();
    expect(again!.id).toBe(first!.id);
    expect(first!.cloud).toEqual(CLOUD);
    h = await h.restart();
    expect(h.farm.enqueue({ fileSha256: first!.fileSha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'a' }, cloud: CLOUD })[0]!.id).toBe(first!.id);
  });

  it("report each change of status once, in the cloud's words: uploaded, printing, completed", async () => {
    const { events, enqueue, flush } = await cloudJob();
    enqueue();
    await h.farm.settled();
    flush();
    h.fleet.warmUp('a');
    flush();
    h.fleet.setState('a', printing(0.5), { hotend: { actual: 215, target: 215 }, bed: { actual: 60, target: 60 } });
    flush();
    h.fleet.end('a', { kind: 'completed' });
    flush();
    expect(events.map((e) => e.status)).toEqual(['uploaded', 'printing', 'completed']);
    expect(events.every((e) => e.job_id === 'cloud-job-7' && e.printer_id === 'cloud-printer-3')).toBe(true);
    expect(events.at(-1)).toHaveProperty('actual_print_time_minutes');
  });

  it('report a print that failed with its reason, and nothing for jobs queued here', async () => {
    const { events, enqueue, flush } = await cloudJob();
    enqueue();
    h.farm.enqueue({ fileSha256: (await addReadyFile(h)).sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.fleet.warmUp('a');
    h.fleet.end('a', { kind: 'failed', reason: 'Thermal runaway on the hotend.' });
    flush();
    expect(events.map((e) => [e.status, e.failure_reason])).toEqual([
      ['uploaded', undefined],
      ['printing', undefined],
      ['failed', expect.stringContaining('Thermal runaway')],
    ]);
  });
});

describe('the statuses that take the cloud job where the local one is', () => {
  it('walk through what the cloud requires when the hub missed the middle, and never past an end', () => {
    expect(statusSteps(null, 'completed')).toEqual(['uploaded', 'printing', 'completed']);
    expect(statusSteps(null, 'printing')).toEqual(['uploaded', 'printing']);
    expect(statusSteps('uploaded', 'paused')).toEqual(['printing', 'paused']);
    expect(statusSteps('paused', 'completed')).toEqual(['printing', 'completed']);
    expect(statusSteps('paused', 'printing')).toEqual(['printing']);
    expect(statusSteps('printing', 'completed')).toEqual(['completed']);
    expect(statusSteps(null, 'failed')).toEqual(['failed']);
    expect(statusSteps('paused', 'cancelled')).toEqual(['cancelled']);
    expect(statusSteps('printing', 'printing')).toEqual([]);
    expect(statusSteps('completed', 'failed')).toEqual([]);
  });
});

describe('what the hub had not reported when it stopped', () => {
  it('is reported at its next start from the ledger, and only once', async () => {
    const { enqueue } = await cloudJob();
    enqueue();
    await h.farm.settled();
    h.fleet.warmUp('a');
    h.fleet.setState('a', printing(0.4), { hotend: { actual: 215, target: 215 }, bed: { actual: 60, target: 60 } });
    // No hub was listening (it was not started, or the app crashed before the report); then the app restarts.
    h = await h.restart();
    const events: JobEventMessage[] = [];
    const atStart = () => new CloudJobEvents((m) => events.push(m), { ledger: dbLedger(h.db), transaction: (work) => h.db.transaction(work)() });
    atStart().onJobs(cloudJobsToReconcile(h.db));
    // The cloud takes failed from any active status, so the middle it missed is not replayed.
    expect(events.map((e) => e.status)).toEqual(['failed']);
    expect(events.at(-1)?.failure_reason).toMatch(/stopped while this print was running/);
    atStart().onJobs(cloudJobsToReconcile(h.db));
    expect(events).toHaveLength(1);
  });
});

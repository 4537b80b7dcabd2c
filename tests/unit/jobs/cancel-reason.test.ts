import { afterEach, describe, expect, it } from 'vitest';
import { addReadyFile, createFarmHarness, printing, type FarmHarness } from './farm-fixture';

let h: FarmHarness;
afterEach(async () => {
  await h?.close();
});

async function aRunningJob(): Promise<string> {
  h = await createFarmHarness();
  h.fleet.add('a');
  const file = await addReadyFile(h);
  const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
  await h.farm.settled();
  h.fleet.warmUp('a');
  h.fleet.setState('a', printing(0.42));
  await h.farm.settled();
  return job!.id;
}

describe('a job cancelled while printing says why', () => {
  it('cancelled from the app: the reason says so and how far it had got, in the queue and in history', async () => {
    const id = await aRunningJob();
    await h.farm.cancel(id);
    expect(h.farm.get(id)).toMatchObject({ state: 'cancelled', reason: 'Cancelled in AutoPrintFarm while printing at 42 %.' });
    expect(h.historyEvents.at(-1)).toMatchObject({ jobId: id, outcome: 'cancelled', reason: 'Cancelled in AutoPrintFarm while printing at 42 %.' });
  });

  it('cancelled on the printer itself: the reason says that instead', async () => {
    const id = await aRunningJob();
    h.fleet.end('a', { kind: 'cancelled' });
    await h.farm.settled();
    expect(h.farm.get(id)).toMatchObject({ state: 'cancelled', reason: 'Cancelled on the printer while printing at 42 %.' });
  });
});

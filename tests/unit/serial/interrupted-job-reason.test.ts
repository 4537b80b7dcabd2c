import { afterEach, describe, expect, it } from 'vitest';
import { createFarmHarness, printOne, type FarmHarness } from '../jobs/farm-fixture';

let h: FarmHarness;
afterEach(async () => {
  await h?.close();
});

describe('a queued job whose printer link drops mid-print', () => {
  it('is interrupted with the line it stopped at in its reason', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const { job } = await printOne(h, 'a');
    h.fleet.end('a', { kind: 'interrupted', reason: 'The printer stopped answering on /dev/ttyUSB0', atLine: 12345 });
    await h.farm.settled();
    expect(h.farm.get(job.id)).toMatchObject({ state: 'interrupted', reason: 'The printer stopped answering on /dev/ttyUSB0. Stopped at line 12,345 of the file.' });
  });

  it('keeps the reason as it is when the printer does not know the line', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const { job } = await printOne(h, 'a');
    h.fleet.end('a', { kind: 'interrupted', reason: 'Contact lost.', atLine: null });
    await h.farm.settled();
    expect(h.farm.get(job.id).reason).toBe('Contact lost.');
  });
});

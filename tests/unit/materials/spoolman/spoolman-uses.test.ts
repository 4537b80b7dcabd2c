import { afterEach, describe, expect, it } from 'vitest';
import { openWorld, PLA_NEED, spoolmanFixture, type SpoolWorld } from './spoolman-world';

let fx: Awaited<ReturnType<typeof spoolmanFixture>>;
let world: SpoolWorld;

afterEach(async () => {
  world?.close();
  await fx?.cleanup();
});

async function loadedOnP1(): Promise<string> {
  fx = await spoolmanFixture();
  world = openWorld(fx.dir, fx.settings);
  await world.spoolman.configure(fx.peer.url);
  const id = `spoolman-${fx.ids.plaBlack}`;
  world.spools.load(id, { printerId: 'p1', slot: 0 });
  return id;
}

const usedOnPeer = () => fx.peer.spool(fx.ids.plaBlack)!.used_weight;

describe("a print's use reaches Spoolman exactly once", () => {
  it('with Spoolman up, the grams the print used are sent with PUT /spool/{id}/use and the mirror shows its answer', async () => {
    const id = await loadedOnP1();
    world.print('job-1', 'p1', PLA_NEED(3.68));
    expect(world.spools.require(id).remainingG).toBe(796.32);
    await world.spoolman.flush();
    expect(fx.peer.useCalls).toEqual([{ spoolId: fx.ids.plaBlack, body: { use_weight: 3.68 } }]);
    expect(fx.peer.spool(fx.ids.plaBlack)!.remaining_weight).toBeCloseTo(796.32, 6);
    expect(world.spools.require(id).remainingG).toBe(796.32);
    expect(world.spoolman.usesOfJob('job-1')).toEqual([expect.objectContaining({ state: 'sent', grams: 3.68 })]);
    // Sending again finds nothing to send.
    await world.spoolman.flush();
    expect(fx.peer.useCalls).toHaveLength(1);
  });

  it('a print stopped at 40 % sends 40 % of its grams', async () => {
    await loadedOnP1();
    world.print('job-1', 'p1', PLA_NEED(10), 0.4);
    await world.spoolman.flush();
    expect(fx.peer.useCalls.map((c) => c.body)).toEqual([{ use_weight: 4 }]);
  });

  it('through an outage and a restart the uses wait on disk, and are sent once, in order, when Spoolman is back', async () => {
    const id = await loadedOnP1();
    await fx.peer.stop();
    world.print('job-1', 'p1', PLA_NEED(3.68));
    world.print('job-2', 'p1', PLA_NEED(1.5));
    await world.spoolman.flush();
    expect(world.spoolman.status()).toMatchObject({ pendingUses: 2, pendingGrams: 5.18, reachable: false });
    expect(world.spoolman.status().problem).toContain('connection refused — is it running?');
    // The app is closed (or killed) while Spoolman is down; the queue is in SQLite.
    world.close();
    world = openWorld(fx.dir, fx.settings);
    expect(world.spools.require(id).remainingG).toBe(794.82);
    await fx.peer.start();
    // A refresh before the uses go out does not count them twice: Spoolman still says 800 g, less 5.18 g waiting.
    await world.spoolman.refresh();
    expect(world.spools.require(id).remainingG).toBe(794.82);
    await world.spoolman.flush();
    await world.spoolman.flush();
    expect(fx.peer.useCalls.map((c) => c.body)).toEqual([{ use_weight: 3.68 }, { use_weight: 1.5 }]);
    expect(usedOnPeer()).toBeCloseTo(205.18, 6);
    expect(world.spools.require(id).remainingG).toBe(794.82);
    expect(world.spoolman.status()).toMatchObject({ pendingUses: 0, reachable: true, problem: null });
  });

  it('a use that arrived but whose answer was lost is not sent again after a restart', async () => {
    await loadedOnP1();
    world.print('job-1', 'p1', PLA_NEED(3.68));
    fx.peer.loseNextUseAnswer();
    await world.spoolman.flush();
    expect(fx.peer.useCalls).toHaveLength(1);
    expect(world.spoolman.usesOfJob('job-1')).toEqual([expect.objectContaining({ state: 'sending', usedBefore: 200 })]);
    world.close();
    world = openWorld(fx.dir, fx.settings);
    await world.spoolman.flush();
    expect(fx.peer.useCalls).toHaveLength(1);
    expect(usedOnPeer()).toBeCloseTo(203.68, 6);
    expect(world.spoolman.usesOfJob('job-1')).toEqual([expect.objectContaining({ state: 'sent' })]);
  });

  it('a use recorded as being sent that never arrived (crash before the request) is sent after the restart', async () => {
    const id = await loadedOnP1();
    await fx.peer.stop();
    world.print('job-1', 'p1', PLA_NEED(2));
    // As if the app died between writing `sending` and the request leaving: the row says sending, Spoolman has nothing.
    world.db.prepare(`UPDATE spoolman_uses SET state = 'sending', used_before = 200 WHERE job_id = 'job-1'`).run();
    world.close();
    await fx.peer.start();
    world = openWorld(fx.dir, fx.settings);
    await world.spoolman.flush();
    expect(fx.peer.useCalls.map((c) => c.body)).toEqual([{ use_weight: 2 }]);
    expect(usedOnPeer()).toBe(202);
    expect(world.spools.require(id).remainingG).toBe(798);
  });

  it('a job end reported twice queues one use', async () => {
    await loadedOnP1();
    world.print('job-1', 'p1', PLA_NEED(3));
    const ids = world.db.transaction(() => world.spools.deductInTx('job-1', PLA_NEED(3), 1, 0))();
    expect(ids).toEqual([]);
    await world.spoolman.flush();
    expect(fx.peer.useCalls).toHaveLength(1);
  });
});

describe('a use Spoolman refuses is kept, with why', () => {
  it('a spool deleted in Spoolman: its use is kept as refused, the spool marked missing, and later uses still go', async () => {
    const id = await loadedOnP1();
    const petg = `spoolman-${fx.ids.petgRed}`;
    world.spools.load(petg, { printerId: 'p2', slot: 0 });
    world.print('job-1', 'p1', PLA_NEED(3.68));
    world.print('job-2', 'p2', { ...PLA_NEED(2), material: 'PETG' });
    fx.peer.deleteSpool(fx.ids.plaBlack);
    await world.spoolman.flush();
    const status = world.spoolman.status();
    expect(status.pendingUses).toBe(0);
    expect(status.refusedUses).toEqual([
      expect.objectContaining({
        jobId: 'job-1',
        spoolmanId: fx.ids.plaBlack,
        grams: 3.68,
        message: `Spoolman no longer has spool #${fx.ids.plaBlack} (deleted there): the 3.68 g job job-1 used from it were not recorded in Spoolman, and are kept here.`,
      }),
    ]);
    expect(world.spools.require(id).spoolman).toEqual({ id: fx.ids.plaBlack, missing: true });
    expect(fx.peer.spool(fx.ids.petgRed)!.used_weight).toBe(252);
    // The use is kept here: the mirror still shows what the print took.
    expect(world.spools.require(id).remainingG).toBe(796.32);
  });

  it('the next refresh marks a spool Spoolman no longer lists as missing, without losing it here', async () => {
    const id = await loadedOnP1();
    fx.peer.deleteSpool(fx.ids.plaBlack);
    await world.spoolman.refresh();
    expect(world.spools.require(id)).toMatchObject({ spoolman: { id: fx.ids.plaBlack, missing: true }, loadedOn: { printerId: 'p1', slot: 0 } });
  });
});

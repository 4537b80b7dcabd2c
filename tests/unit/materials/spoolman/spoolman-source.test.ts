import { afterEach, describe, expect, it } from 'vitest';
import { SpoolmanClient } from '../../../../electron/core/materials/spoolman/spoolman-client';
import { PLA_BLACK } from '../spool-fixture';
import { openWorld, spoolmanFixture, type SpoolWorld } from './spoolman-world';

let fx: Awaited<ReturnType<typeof spoolmanFixture>>;
let world: SpoolWorld;

afterEach(async () => {
  world?.close();
  await fx?.cleanup();
});

async function setUp() {
  fx = await spoolmanFixture();
  world = openWorld(fx.dir, fx.settings);
}

describe('where the spools are kept follows the Spoolman setting', () => {
  it('pointing at Spoolman lists its spools instead of the local ones, and switching back finds the local ones as they were', async () => {
    await setUp();
    const local = world.spools.create(PLA_BLACK);
    world.spools.load(local.id, { printerId: 'p1', slot: 0 });

    const status = await world.spoolman.configure(`${fx.peer.url}/api/v1/`);
    expect(status).toMatchObject({ source: 'spoolman', url: fx.peer.url, reachable: true, version: '0.22.1', problem: null, skippedSpools: 1 });
    const listed = world.spools.list();
    expect(listed.map((s) => s.id).sort()).toEqual([`spoolman-${fx.ids.petgRed}`, `spoolman-${fx.ids.plaBlack}`].sort());
    expect(world.spools.find(`spoolman-${fx.ids.plaBlack}`)).toMatchObject({ material: 'PLA', brand: 'Prusament', colourHex: '#3D3E3D', remainingG: 800, lot: 'L-77', cost: 22 });
    // The local spool's slot is not Spoolman's business: with Spoolman in use, p1 has nothing of Spoolman's loaded.
    expect(world.spools.loadedOn('p1')).toBeNull();

    world.spools.load(`spoolman-${fx.ids.petgRed}`, { printerId: 'p2', slot: 0 });
    await world.spoolman.configure(null);
    expect(world.spoolman.source).toBe('local');
    expect(world.spools.list()).toEqual([expect.objectContaining({ id: local.id, remainingG: 1000, loadedOn: { printerId: 'p1', slot: 0 }, spoolman: null })]);
    expect(world.spools.loadedOn('p2')).toBeNull();
  });

  it('the setting survives a restart: the mirror is listed at once, even with Spoolman down', async () => {
    await setUp();
    await world.spoolman.configure(fx.peer.url);
    world.close();
    await fx.peer.stop();
    world = openWorld(fx.dir, fx.settings);
    expect(world.spoolman.source).toBe('spoolman');
    expect(world.spools.list()).toHaveLength(2);
    await expect(world.spoolman.refresh()).rejects.toThrow(`Spoolman at ${fx.peer.url} did not answer: connection refused — is it running?`);
    expect(world.spoolman.status()).toMatchObject({ reachable: false, problem: `Spoolman at ${fx.peer.url} did not answer: connection refused — is it running?` });
  });

  it('Check names the version, or says plainly that nothing answered or that it is not Spoolman', async () => {
    await setUp();
    expect(await world.spoolman.check(fx.peer.url)).toEqual({ url: fx.peer.url, version: '0.22.1' });
    await fx.peer.stop();
    await expect(world.spoolman.check(fx.peer.url)).rejects.toThrow(`Spoolman at ${fx.peer.url} did not answer: connection refused — is it running?`);
    // Turning Spoolman on needs it to answer: nothing changes otherwise.
    await expect(world.spoolman.configure(fx.peer.url)).rejects.toThrow(/did not answer/);
    expect(world.spoolman.source).toBe('local');
    await fx.peer.start();
    await expect(world.spoolman.check(`${fx.peer.url}/not-spoolman`)).rejects.toThrow(/has no \/info\. Is that address really Spoolman\?/);
  });
});

describe('changes to a Spoolman spool go to Spoolman first', () => {
  it('a new spool is created in Spoolman on a filament found or made, with its vendor', async () => {
    await setUp();
    await world.spoolman.configure(fx.peer.url);
    const made = await world.spoolman.create({ ...PLA_BLACK, brand: 'Prusament', colourHex: '#3D3E3D', colourName: 'Galaxy Black', remainingG: 900, lot: 'B-2', cost: null });
    const id = made.spoolman!.id;
    expect(fx.peer.spool(id)).toMatchObject({ initial_weight: 1000, remaining_weight: 900, lot_nr: 'B-2', filament: { id: 1 } });
    const other = await world.spoolman.create({ ...PLA_BLACK, brand: 'Polymaker', colourName: 'Teal', colourHex: '#008080' });
    expect(fx.peer.spool(other.spoolman!.id)!.filament).toMatchObject({ material: 'PLA', color_hex: '008080', name: 'Teal', vendor: { name: 'Polymaker' }, weight: 1000 });
    expect(world.spools.list().map((s) => s.id)).toContain(other.id);
  });

  it('an edit of the weight is a PATCH of the spool; archiving a loaded spool is refused until it is unloaded', async () => {
    await setUp();
    await world.spoolman.configure(fx.peer.url);
    const id = `spoolman-${fx.ids.plaBlack}`;
    expect(await world.spoolman.update(id, { remainingG: 640, lot: 'L-78' })).toMatchObject({ remainingG: 640, lot: 'L-78' });
    expect(fx.peer.spool(fx.ids.plaBlack)).toMatchObject({ remaining_weight: 640, used_weight: 360, lot_nr: 'L-78' });
    world.spools.load(id, { printerId: 'p1', slot: 0 });
    await expect(world.spoolman.archive(id)).rejects.toThrow(/loaded on Printer p1\. Unload it first/);
    world.spools.unload({ printerId: 'p1', slot: 0 });
    expect((await world.spoolman.archive(id)).archived).toBe(true);
    expect(fx.peer.spool(fx.ids.plaBlack)!.archived).toBe(true);
  });

  it('with Spoolman down an edit fails with its reason and nothing changes here', async () => {
    await setUp();
    await world.spoolman.configure(fx.peer.url);
    await fx.peer.stop();
    const id = `spoolman-${fx.ids.plaBlack}`;
    await expect(world.spoolman.update(id, { remainingG: 1 })).rejects.toThrow(
      `Spoolman at ${fx.peer.url} did not answer: connection refused — is it running? Nothing was changed.`,
    );
    expect(world.spools.require(id).remainingG).toBe(800);
    expect(world.statuses.at(-1)).toMatchObject({ reachable: false });
  });

  it('a spool deleted in Spoolman: an edit says so, the spool is marked missing, and it can no longer be loaded', async () => {
    await setUp();
    await world.spoolman.configure(fx.peer.url);
    fx.peer.deleteSpool(fx.ids.petgRed);
    const id = `spoolman-${fx.ids.petgRed}`;
    await expect(world.spoolman.update(id, { lot: 'x' })).rejects.toThrow(`Spoolman no longer has spool #${fx.ids.petgRed} (it was deleted there). Nothing was changed.`);
    expect(world.spools.require(id).spoolman).toEqual({ id: fx.ids.petgRed, missing: true });
    expect(() => world.spools.load(id, { printerId: 'p1', slot: 0 })).toThrow(/deleted there/);
  });

  it("Spoolman's 422 validation answer reaches the user as the field and its rule", async () => {
    await setUp();
    const client = new SpoolmanClient(fx.peer.url);
    await expect(client.updateSpool(fx.ids.plaBlack, { price: -1 })).rejects.toMatchObject({
      failure: 'refused',
      status: 422,
      message: 'Spoolman refused it: price: Input should be greater than or equal to 0',
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { editInCloud, PETG_BLACK, syncWorld, type SyncWorld } from './sync-world';

let w: SyncWorld;
afterEach(async () => {
  await w?.close();
});

describe('spools and the cloud kept in step', () => {
  it('a spool created here becomes one cloud record with its fields, never its cost or lot; an edit here patches it', async () => {
    w = await syncWorld();
    const spool = w.spools.create(PETG_BLACK);
    expect(w.sync.status().pending).toBe(1);
    const after = await w.sync.syncNow();
    expect(after).toMatchObject({ state: 'idle', enabled: true, pull: true, push: true, pending: 0, lastError: null, reason: null });
    const [record, ...others] = await w.cloud();
    expect(others).toEqual([]);
    expect(record).toMatchObject({
      type: 'PETG',
      color: 'Galaxy black',
      hex_code: '#000000',
      brand: 'Prusament',
      diameter: '1.75',
      remaining_grams: 640,
      spool_weight_grams: 1000,
    });
    expect(JSON.stringify(record)).not.toMatch(/29\.9|L-7|cost/);

    w.clock.advance(60_000);
    w.spools.update(spool.id, { remainingG: 512, cost: 31 });
    await w.sync.syncNow();
    const [patched, ...still] = await w.cloud();
    expect(still).toEqual([]);
    expect(patched).toMatchObject({ id: record!.id, remaining_grams: 512 });
    expect(w.materialRequests().filter((r) => r.startsWith('POST'))).toHaveLength(1);
  });

  it('a record made in the cloud becomes a spool here; an edit there changes it here and keeps the cost and lot set here', async () => {
    w = await syncWorld();
    const made = (await (
      await fetch(`${w.sb.url}/materials/filament`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${w.key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'PLA Matte', color: 'Sky blue', hex_code: '#4090E0', brand: 'Bambu', diameter: '1.75mm', remaining_grams: 700, spool_weight_grams: 1000 }),
      })
    ).json()) as { id: string };
    await w.sync.syncNow();
    const [spool] = w.spools.list();
    expect(spool).toMatchObject({
      material: 'PLA Matte',
      colourName: 'Sky blue',
      colourHex: '#4090E0',
      brand: 'Bambu',
      diameterMm: 1.75,
      remainingG: 700,
      netWeightG: 1000,
      densityGCm3: 1.24,
      cost: null,
      lot: '',
    });
    w.spools.update(spool!.id, { cost: 19.5, lot: 'B-2' });
    await w.sync.syncNow();

    w.clock.advance(60_000);
    await editInCloud(w, made.id, { remaining_grams: 450 });
    await w.sync.syncNow();
    expect(w.spools.find(spool!.id)).toMatchObject({ remainingG: 450, cost: 19.5, lot: 'B-2' });
    expect(w.sync.status()).toMatchObject({ pending: 0, conflicts: 0 });
    expect(w.spools.list()).toHaveLength(1);
  });

  it('deleted in the cloud: archived here (and unloaded), never deleted; archived here: deleted there', async () => {
    w = await syncWorld();
    const a = w.spools.create(PETG_BLACK);
    const b = w.spools.create({ ...PETG_BLACK, colourName: 'White', colourHex: '#FFFFFF' });
    w.spools.load(a.id, { printerId: 'p1', slot: 0 });
    await w.sync.syncNow();
    const records = await w.cloud();
    const aRecord = records.find((r) => r.color === 'Galaxy black')!;
    const del = await fetch(`${w.sb.url}/materials/filament/${String(aRecord.id)}`, { method: 'DELETE', headers: { Authorization: `Bearer ${w.key}` } });
    expect(del.status).toBe(204);
    await w.sync.syncNow();
    expect(w.spools.find(a.id)).toMatchObject({ archived: true, loadedOn: null });

    w.clock.advance(1000);
    w.spools.archive(b.id);
    await w.sync.syncNow();
    expect(await w.cloud()).toEqual([]);
    expect(w.spools.list(true).map((s) => s.archived)).toEqual([true, true]);
    expect(w.sync.status().pending).toBe(0);
  });
});

describe('offline', () => {
  it('a change made offline waits in the database, survives a restart, and reaches the cloud exactly once', async () => {
    w = await syncWorld();
    w.network.down = true;
    w.spools.create(PETG_BLACK);
    const offline = await w.sync.syncNow();
    expect(offline).toMatchObject({ state: 'offline', pending: 1 });
    expect(offline.lastError).toMatch(/Could not reach AutoPrintFarm/);
    expect(offline.retryAt).toBe(w.clock.now() + 5_000);

    await w.restart();
    expect(w.sync.status().pending).toBe(1);
    w.network.down = false;
    await w.sync.syncNow();
    await w.sync.syncNow();
    expect(await w.cloud()).toHaveLength(1);
    expect(w.sync.status()).toMatchObject({ state: 'idle', pending: 0 });
  });

  it('a create whose answer was lost (the cloud made it, the app crashed before it heard) is not made twice after the restart', async () => {
    w = await syncWorld();
    w.spools.create(PETG_BLACK);
    w.network.loseNextAnswerTo = 'POST /v1/materials/filament';
    expect((await w.sync.syncNow()).state).toBe('offline');
    expect(await w.cloud()).toHaveLength(1);

    await w.restart();
    await w.sync.syncNow();
    expect(await w.cloud()).toHaveLength(1);
    expect(w.materialRequests().filter((r) => r.startsWith('POST'))).toHaveLength(2);
    expect(w.spools.list()).toHaveLength(1);
    expect(w.sync.status().pending).toBe(0);
  });
});

describe('conflicts: the newer edit wins, the loser is kept in the history', () => {
  async function editedOnBothSides(cloudLast: boolean) {
    w = await syncWorld();
    const spool = w.spools.create(PETG_BLACK);
    await w.sync.syncNow();
    const [record] = await w.cloud();
    w.network.down = true; // the edit here cannot go yet
    w.clock.advance(60_000);
    if (cloudLast) {
      w.spools.update(spool.id, { remainingG: 600 });
      w.clock.advance(4 * 60_000);
      await editInCloud(w, String(record!.id), { remaining_grams: 512 });
    } else {
      await editInCloud(w, String(record!.id), { remaining_grams: 512 });
      w.clock.advance(4 * 60_000);
      w.spools.update(spool.id, { remainingG: 600, brand: 'Prusa' });
    }
    await w.sync.syncNow();
    w.network.down = false;
    await w.sync.syncNow();
    return { spool, record: record! };
  }

  it("the cloud's later edit replaces the one made here, and the one made here is kept", async () => {
    const { spool, record } = await editedOnBothSides(true);
    expect(w.spools.find(spool.id)!.remainingG).toBe(512);
    expect((await w.cloud())[0]).toMatchObject({ remaining_grams: 512 });
    const [conflict, ...more] = w.sync.conflicts();
    expect(more).toEqual([]);
    expect(conflict).toMatchObject({
      spoolId: spool.id,
      spoolLabel: 'PETG Galaxy black',
      cloudId: record.id,
      winner: 'cloud',
      winnerEditedAt: Date.UTC(2025, 0, 15, 10, 5, 0),
      loserEditedAt: Date.UTC(2025, 0, 15, 10, 1, 0),
      changes: [{ field: 'remainingG', label: 'remaining', from: '600 g', to: '512 g' }],
    });
    expect(w.sync.status()).toMatchObject({ conflicts: 1, pending: 0 });
  });

  it("the edit made here later replaces the cloud's, which is kept", async () => {
    const { spool } = await editedOnBothSides(false);
    expect(w.spools.find(spool.id)).toMatchObject({ remainingG: 600, brand: 'Prusa' });
    expect((await w.cloud())[0]).toMatchObject({ remaining_grams: 600, brand: 'Prusa' });
    const [conflict] = w.sync.conflicts();
    expect(conflict).toMatchObject({
      winner: 'local',
      winnerEditedAt: Date.UTC(2025, 0, 15, 10, 5, 0),
      loserEditedAt: Date.UTC(2025, 0, 15, 10, 1, 0),
      changes: [
        { field: 'brand', from: 'Prusament', to: 'Prusa' },
        { field: 'remainingG', from: '512 g', to: '600 g' },
      ],
    });
  });
});

describe('scopes', () => {
  it('a key without a materials scope makes no materials call at all, and the status says why', async () => {
    w = await syncWorld({ scopes: ['printers:read', 'printers:write', 'jobs:read', 'jobs:write'] });
    w.spools.create(PETG_BLACK);
    const s = await w.sync.syncNow();
    w.clock.advance(10 * 60_000);
    await w.sync.syncNow();
    expect(s).toMatchObject({ state: 'off', enabled: false, push: false, pull: false, reason: 'This key has no materials scope: spools stay on this computer.' });
    expect(w.materialRequests()).toEqual([]);
  });

  it('while Spoolman keeps the spools the sync waits, making no materials call, and goes on when it is switched off', async () => {
    let spoolman = true;
    w = await syncWorld({ paused: () => (spoolman ? 'Spools are kept in Spoolman now.' : null) });
    w.spools.create(PETG_BLACK);
    expect(await w.sync.syncNow()).toMatchObject({ state: 'off', reason: 'Spools are kept in Spoolman now.', pending: 1 });
    expect(w.materialRequests()).toEqual([]);
    spoolman = false;
    w.sync.sourceChanged();
    expect(await w.sync.syncNow()).toMatchObject({ state: 'idle', reason: null, pending: 0 });
    expect(await w.cloud()).toHaveLength(1);
  });

  it('a read-only key brings cloud edits here and sends nothing, and says so', async () => {
    w = await syncWorld({ scopes: ['materials:read'] });
    w.spools.create(PETG_BLACK);
    const s = await w.sync.syncNow();
    expect(s).toMatchObject({ state: 'idle', pull: true, push: false, pending: 1 });
    expect(s.reason).toMatch(/can read the cloud's materials but not change them \(materials:write\)/);
    expect(w.materialRequests().every((r) => r.startsWith('GET '))).toBe(true);
  });
});

describe('rate limits', () => {
  it('after a 429 nothing is sent before Retry-After, then the sync carries on', async () => {
    w = await syncWorld({ rateLimit: 3 });
    w.spools.create(PETG_BLACK);
    // api-keys/current, then POST, then the list: the window's three.
    expect((await w.sync.syncNow()).state).toBe('idle');
    w.spools.create({ ...PETG_BLACK, colourName: 'White', colourHex: '#FFFFFF' });
    const limited = await w.sync.syncNow();
    const windowEnd = Date.UTC(2025, 0, 15, 11, 0, 0);
    expect(limited).toMatchObject({ state: 'rate-limited', retryAt: windowEnd, pending: 1 });
    expect(limited.lastError).toMatch(/Retry after 3600 seconds|rate limit/i);
    const seen = w.sb.requestsSeen().length;

    w.clock.advance(10 * 60_000); // the debounce and any timer fire: still inside the window
    expect((await w.sync.syncNow()).state).toBe('rate-limited');
    expect(w.sb.requestsSeen().length).toBe(seen);

    w.clock.advance(windowEnd - w.clock.now());
    await w.sync.syncNow();
    expect(w.sync.status()).toMatchObject({ state: 'idle', pending: 0, retryAt: null });
    expect(await w.cloud()).toHaveLength(2);
  });
});

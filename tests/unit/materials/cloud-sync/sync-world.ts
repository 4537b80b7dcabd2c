/** A farm's spools and the sandbox cloud over real HTTP, with a clock both share: the setup of the sync's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCloudClient } from '../../../../electron/core/cloud';
import type { MaterialSyncStatus } from '../../../../electron/core/contract/material-sync-types';
import type { SpoolFields } from '../../../../electron/core/contract/materials-types';
import { MaterialCloudSync } from '../../../../electron/core/materials/cloud-sync/cloud-sync';
import type { SyncAccess } from '../../../../electron/core/materials/cloud-sync/sync-access';
import { SpoolInventory } from '../../../../electron/core/materials/spool-inventory';
import { openDatabase, type Db } from '../../../../electron/core/store/database';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { call } from '../../../sandbox/test-support';
import { ManualClock } from '../../../support/manual-clock';

export const PETG_BLACK: SpoolFields = {
  material: 'PETG',
  brand: 'Prusament',
  colourHex: '#000000',
  colourName: 'Galaxy black',
  diameterMm: 1.75,
  densityGCm3: 1.27,
  netWeightG: 1000,
  remainingG: 640,
  cost: 29.9,
  lot: 'L-7',
};

export const RW = ['materials:read', 'materials:write'];

export interface SyncWorld {
  clock: ManualClock;
  sb: Sandbox;
  key: string;
  db: Db;
  spools: SpoolInventory;
  sync: MaterialCloudSync;
  statuses: MaterialSyncStatus[];
  /** Requests to /v1/materials/* the sandbox has received. */
  materialRequests(): string[];
  /** While true, every request fails as if the network were down (nothing reaches the sandbox). */
  network: { down: boolean; loseNextAnswerTo: string | null };
  /** Closes the sync and the database, and opens them again on the same file: an app restart. */
  restart(): Promise<void>;
  /** The cloud's records, over the API. */
  cloud(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Starts a sandbox and a farm. `scopes` are the key's; `rateLimit` the sandbox's requests per hour. */
export async function syncWorld(opts: { scopes?: string[]; rateLimit?: number; paused?: () => string | null } = {}): Promise<SyncWorld> {
  const clock = new ManualClock(Date.UTC(2025, 0, 15, 10, 0, 0));
  const sb = await startSandbox({ now: () => clock.now(), ...(opts.rateLimit ? { rateLimitPerHour: opts.rateLimit } : {}) });
  const key = sb.createKey({ name: 'Farm PC', scopes: opts.scopes ?? RW }).key;
  const admin = sb.createKey({ name: 'Test admin', scopes: ['admin:*'] }).key;
  const dir = mkdtempSync(join(tmpdir(), 'apf-matsync-'));
  const network = { down: false, loseNextAnswerTo: null as string | null };
  // The network between the farm and the cloud: down (nothing sent), or an answer lost after the cloud acted on it.
  const farmFetch: typeof fetch = async (input, init) => {
    if (network.down) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const res = await fetch(input, init);
    const label = `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`;
    if (network.loseNextAnswerTo !== null && label.startsWith(network.loseNextAnswerTo)) {
      network.loseNextAnswerTo = null;
      await res.text();
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    }
    return res;
  };
  const client = () => createCloudClient({ baseUrl: sb.url, apiKey: () => key, fetch: farmFetch, maxRetries: 0 });
  let known: string[] | null = null;
  const access: SyncAccess = {
    ready: Promise.resolve(),
    client,
    grants: async (fresh) => {
      if (known === null || fresh) known = (await client().apiKeys.current()).scopes;
      return { via: 'key', scopes: known };
    },
  };

  const statuses: MaterialSyncStatus[] = [];
  const open = () => {
    const db = openDatabase(dir);
    const spools = new SpoolInventory({ db, clock, printerName: (id) => (id === 'p1' ? 'Printer 1' : null) });
    const sync = new MaterialCloudSync({
      db,
      clock,
      spools,
      access,
      onStatus: (s) => statuses.push(s),
      log: () => {},
      timings: { periodMs: 3600_000 * 24, debounceMs: 2_000, backoffMs: 5_000, maxBackoffMs: 60_000 },
      random: () => 1,
      ...(opts.paused ? { paused: opts.paused } : {}),
    });
    sync.start();
    return { db, spools, sync };
  };

  const world: SyncWorld = {
    clock,
    sb,
    key,
    statuses,
    network,
    ...open(),
    materialRequests: () => sb.requestsSeen().filter((r) => r.includes(' /v1/materials/')),
    async restart() {
      await world.sync.close();
      world.db.close();
      Object.assign(world, open());
    },
    async cloud() {
      const res = await call(sb, admin, 'GET', '/materials/filament?per_page=100');
      return res.json.data as Record<string, unknown>[];
    },
    async close() {
      await world.sync.close();
      world.db.close();
      await sb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Edits a record the way the web app would: PATCH with another key of the organization. */
export async function editInCloud(w: SyncWorld, id: string, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await call(w.sb, w.key, 'PATCH', `/materials/filament/${id}`, patch);
  if (res.status !== 200) throw new Error(`PATCH failed: ${res.text}`);
  return res.json as Record<string, unknown>;
}

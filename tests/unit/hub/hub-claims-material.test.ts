/**
 * Pull mode with the filament check, at core level against the sandbox: a cloud job that needs black PLA with 3.68 g (what
 * its file states) is left for another hub while the only printer here has PETG loaded, then too little PLA (the reason
 * in hub.status), and is claimed and printed once a matching spool is loaded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { hubKey, uploadFile } from '../../sandbox/hub-fixtures';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { call as rest } from '../../sandbox/test-support';
import { coreCalls } from '../../support/core-calls';
import { FIXTURES } from '../jobs/farm-fixture';
import { connected, removeHubCoreDirs, startHubCore, until } from './hub-sandbox-fixture';

let core: Core | null = null;
let sb: Sandbox | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
  await sb?.close();
  sb = null;
  removeHubCoreDirs();
});

const { call } = coreCalls(() => core!);
const spool = { brand: 'Generic', colourName: '', diameterMm: 1.75, densityGCm3: 1.27, netWeightG: 1000, cost: null, lot: '' };

describe('pull mode claims only with the filament the cloud job needs', () => {
  it('leaves the job with the reason while the wrong spool is loaded, then claims and prints it once black PLA with enough grams is', async () => {
    sb = await startSandbox({ organization: 'Test Farm', hubTimings: { offerTtlMs: 300 } });
    const key = hubKey(sb);
    core = startHubCore(createMemorySettingsStore(), key, sb.url);
    await call('hub.link');
    await until('connected', () => call('hub.status'), connected);
    const [printer] = await call('printers.list');
    await call('hub.publish', { printerId: printer!.id, published: true });
    const petg = await call('spools.create', { ...spool, material: 'PETG', colourHex: '#000000', remainingG: 800 });
    await call('spools.load', { spoolId: petg.id, printerId: printer!.id, slot: 0 });

    const file = await uploadFile(sb, key, 'benchy.gcode', readFileSync(join(FIXTURES, 'prusaslicer.gcode')));
    const job = (
      await rest(sb, key, 'POST', '/jobs', {
        name: 'Black PLA part',
        file_id: file.id,
        auto_dispatch: true,
        requirements: { material: 'PLA', color: '#000000', filament_grams: 3.68 },
      })
    ).json as { id: string };
    const passed = await until(
      'the offer to be passed with its reason',
      () => call('hub.status'),
      (s) => s.passedOffers.some((p) => p.jobId === job.id),
    );
    expect(passed.passedOffers.find((p) => p.jobId === job.id)?.reason).toBe(
      `No idle printer here has PLA black with ≥ 3.7 g: ${printer!.name} has PETG loaded. Left for another hub.`,
    );
    expect(((await rest(sb, key, 'GET', `/jobs/${job.id}`)).json as { status: string }).status).toBe('queued');

    // The right material and colour, but not enough of it: still left, with that reason.
    const short = await call('spools.create', { ...spool, material: 'PLA+', colourHex: '#0A0A0A', remainingG: 2 });
    await call('spools.load', { spoolId: short.id, printerId: printer!.id, slot: 0 });
    await until(
      'the reason to say what is left',
      () => call('hub.status'),
      (s) => s.passedOffers.some((p) => p.jobId === job.id && p.reason.includes('has 2 g left')),
    );

    const pla = await call('spools.create', { ...spool, material: 'PLA', colourHex: '#0A0A0A', remainingG: 500 });
    await call('spools.load', { spoolId: pla.id, printerId: printer!.id, slot: 0 });
    await until(
      'the cloud job to complete',
      async () => (await rest(sb!, key, 'GET', `/jobs/${job.id}`)).json as { status: string },
      (j) => j.status === 'completed',
    );
    const local = (await call('jobs.list')).find((j) => j.cloud?.jobId === job.id);
    expect(local?.printerId).toBe(printer!.id);
    expect((await call('hub.status')).passedOffers).toEqual([]);
  }, 60_000);
});

/**
 * A hub that stops mid-print tells the cloud what became of the print when it starts again: the farm settles the
 * interrupted print before the hub is listening, so the hub reads what it has not reported from its own ledger.
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
import { connected, hubTestDir, removeHubCoreDirs, startHubCore, until } from './hub-sandbox-fixture';

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

describe('a hub stopped mid-print', () => {
  it('reports the interrupted print failed, with why, as soon as it is back, and only once', async () => {
    sb = await startSandbox({ organization: 'Test Farm' });
    const key = hubKey(sb);
    const settings = createMemorySettingsStore();
    const dataDir = hubTestDir();
    const databaseFile = 'farm.db'; // inside the data folder
    // Slow enough to stop the app while it prints.
    core = startHubCore(settings, key, sb.url, { virtualSpeed: 20, ports: { dataDir, databaseFile } });
    await call('hub.link');
    await until('connected', () => call('hub.status'), connected);
    const [printer] = await call('printers.list');
    const cloudPrinterId = (await call('hub.publish', { printerId: printer!.id, published: true })).published[0]!.cloudPrinterId;
    const file = await uploadFile(sb, key, 'benchy.gcode', readFileSync(join(FIXTURES, 'prusaslicer.gcode')));
    const job = (await rest(sb, key, 'POST', '/jobs', { name: 'Benchy', file_id: file.id, printer_id: cloudPrinterId })).json as { id: string };
    await rest(sb, key, 'POST', `/jobs/${job.id}/start`);
    await until(
      'the cloud to see it printing',
      async () => (await rest(sb!, key, 'GET', `/jobs/${job.id}`)).json as { status: string },
      (j) => j.status === 'printing',
    );

    // The app stops mid-print: its print dies with it.
    await core.close();
    core = startHubCore(settings, key, sb.url, { virtualSpeed: 20, ports: { dataDir, databaseFile } });
    const failed = await until(
      'the cloud job to be reported failed',
      async () => (await rest(sb!, key, 'GET', `/jobs/${job.id}`)).json as { status: string; failure_reason: string | null },
      (j) => j.status === 'failed',
    );
    expect(failed.failure_reason).toMatch(/stopped while this print was running/);
    await until(
      'the outbox to drain',
      () => call('hub.status'),
      (s) => s.outboxDepth === 0,
    );

    // A third start has nothing more to say about it.
    await core.close();
    core = startHubCore(settings, key, sb.url, { virtualSpeed: 20, ports: { dataDir, databaseFile } });
    await until('connected', () => call('hub.status'), connected);
    expect((await call('hub.status')).outboxDepth).toBe(0);
  }, 60_000);
});

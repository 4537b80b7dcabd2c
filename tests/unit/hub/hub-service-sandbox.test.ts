/**
 * The hub end to end at core level: a real core with a fast virtual printer, linked to the sandbox with the app's
 * key from the environment, publishes its printer; a job created and started through the sandbox's REST API is
 * downloaded, queued, printed here and reported completed there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HubStatusView } from '../../../electron/core/contract/hub-types';
import type { Core } from '../../../electron/core/core';
import { createMemorySettingsStore, type SettingsStore } from '../../../electron/core/ports/settings-store';
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

const { call, waitFor } = coreCalls(() => core!);

const startCore = (settings: SettingsStore, key: string, url: string, virtualSpeed = 400) => startHubCore(settings, key, url, { virtualSpeed });

describe('the desktop as a hub of the sandbox cloud', () => {
  it('a job created and started in the cloud for a published printer prints on the virtual printer and the cloud reports it completed', async () => {
    sb = await startSandbox({ organization: 'Test Farm' });
    const key = hubKey(sb);
    core = startCore(createMemorySettingsStore(), key, sb.url);

    expect((await call('hub.status')).state).toBe('not_linked');
    let lastEvent: HubStatusView | null = null;
    core.events.subscribe((name, payload) => {
      if (name === 'hub.status') lastEvent = payload as HubStatusView;
    });
    const linkedAndConnected = waitFor('hub.status', connected);
    const linked = await call('hub.link', { name: 'Room A' });
    expect(linked).toMatchObject({ name: 'Room A', published: [] });
    expect((await linkedAndConnected).organization).toBe('Test Farm');

    const [printer] = await call('printers.list');
    const status = await call('hub.publish', { printerId: printer!.id, published: true });
    const cloudPrinterId = status.published.find((p) => p.printerId === printer!.id)?.cloudPrinterId;
    expect(cloudPrinterId).toBeTruthy();
    const cloudPrinter = (await rest(sb, key, 'GET', `/printers/${cloudPrinterId}`)).json as Record<string, unknown>;
    expect(cloudPrinter).toMatchObject({ hub_id: linked.hubId, local_id: printer!.id, connection_type: 'virtual' });
    // Publishing again is idempotent: the same cloud printer, never a second one.
    expect((await call('hub.publish', { printerId: printer!.id, published: true })).published).toEqual(status.published);
    expect((await rest(sb, key, 'GET', `/hubs/${linked.hubId}`)).json).toMatchObject({ printer_ids: [cloudPrinterId], is_online: true });

    const file = await uploadFile(sb, key, 'benchy.gcode', readFileSync(join(FIXTURES, 'prusaslicer.gcode')));
    const job = (await rest(sb, key, 'POST', '/jobs', { name: 'Benchy', file_id: file.id, printer_id: cloudPrinterId })).json as { id: string };
    const startedAt = Date.now();
    const started = await rest(sb, key, 'POST', `/jobs/${job.id}/start`);
    expect(started.status, started.text).toBeLessThan(300);

    const done = await until(
      'the cloud job to complete',
      async () => (await rest(sb!, key, 'GET', `/jobs/${job.id}`)).json as { status: string; printer_id: string },
      (j) => j.status === 'completed' || j.status === 'failed',
      30_000,
    );
    expect(done.status).toBe('completed');

    // Exactly one local job stood for the cloud job, printed on the published printer; nothing left unacknowledged.
    const local = (await call('jobs.list')).filter((j) => j.cloud?.jobId === job.id);
    expect(local).toHaveLength(1);
    expect(local[0]).toMatchObject({ state: 'completed', printerId: printer!.id });
    await until(
      'the outbox to drain',
      () => call('hub.status'),
      (s) => s.outboxDepth === 0,
    );
    expect((await call('hub.status')).lastSyncAt).not.toBeNull();
    // The screen hears of it too: hub.status events follow the cloud's messages, not only link and publish.
    await until(
      'a hub.status event with the outbox drained',
      async () => lastEvent,
      (s) => s !== null && s.outboxDepth === 0 && (s.lastSyncAt ?? 0) >= startedAt,
      5000,
    );
  }, 60_000);

  it('a hub linked before runs again at the next start with the same id and published printers', async () => {
    sb = await startSandbox({ organization: 'Test Farm' });
    const key = hubKey(sb);
    const settings = createMemorySettingsStore();
    core = startCore(settings, key, sb.url);
    const first = await call('hub.link', { name: 'Room A' });
    const [printer] = await call('printers.list');
    const published = (await call('hub.publish', { printerId: printer!.id, published: true })).published;
    await core.close();

    core = startCore(settings, key, sb.url);
    const again = await until('the hub to reconnect after a restart', () => call('hub.status'), connected);
    expect(again).toMatchObject({ hubId: first.hubId, name: 'Room A', published });
    expect((await rest(sb, key, 'GET', `/hubs/${first.hubId}`)).json).toMatchObject({ printer_ids: published.map((p) => p.cloudPrinterId) });
  }, 30_000);

  it('unlinking stops the socket, removes the hub in the cloud and stops publishing', async () => {
    sb = await startSandbox({ organization: 'Test Farm' });
    const key = hubKey(sb);
    core = startCore(createMemorySettingsStore(), key, sb.url);
    const { hubId } = await call('hub.link');
    await until('connected', () => call('hub.status'), connected);
    const [printer] = await call('printers.list');
    await call('hub.publish', { printerId: printer!.id, published: true });

    const after = await call('hub.unlink');
    expect(after).toMatchObject({ state: 'not_linked', published: [] });
    expect((await rest(sb, key, 'GET', `/hubs/${hubId}`)).status).toBe(404);
    expect(sb.connectedHubs()).not.toContain(hubId);
    await expect(call('hub.publish', { printerId: printer!.id, published: true })).rejects.toThrow(/Link this computer/);
  }, 30_000);

  it('the cloud sees the printer printing at once, and a cancel in the cloud stops the local job through the farm', async () => {
    sb = await startSandbox({ organization: 'Test Farm' });
    const key = hubKey(sb);
    // Slow enough that the print is still running when the cancel arrives.
    core = startCore(createMemorySettingsStore(), key, sb.url, 5);
    await call('hub.link');
    await until('connected', () => call('hub.status'), connected);
    const [printer] = await call('printers.list');
    const cloudPrinterId = (await call('hub.publish', { printerId: printer!.id, published: true })).published[0]!.cloudPrinterId;

    const file = await uploadFile(sb, key, 'benchy.gcode', readFileSync(join(FIXTURES, 'prusaslicer.gcode')));
    const job = (await rest(sb, key, 'POST', '/jobs', { name: 'Benchy', file_id: file.id, printer_id: cloudPrinterId })).json as { id: string };
    await rest(sb, key, 'POST', `/jobs/${job.id}/start`);
    await until(
      'the cloud to see the printer printing',
      async () => (await rest(sb!, key, 'GET', `/printers/${cloudPrinterId}`)).json as { status: string },
      (p) => p.status === 'printing',
    );
    // The job's printing event travels through the outbox, beside the status: either may land first.
    await until(
      'the cloud job to be printing',
      async () => (await rest(sb!, key, 'GET', `/jobs/${job.id}`)).json as { status: string },
      (j) => j.status === 'printing',
    );

    const cancelled = await rest(sb, key, 'POST', `/jobs/${job.id}/cancel`);
    expect(cancelled.status, cancelled.text).toBeLessThan(300);
    const local = await until(
      'the local job to be cancelled',
      async () => (await call('jobs.list')).find((j) => j.cloud?.jobId === job.id),
      (j) => j?.state === 'cancelled',
    );
    expect(local).toMatchObject({ printerId: printer!.id, state: 'cancelled' });
    await until(
      'the cloud to see the printer idle again',
      async () => (await rest(sb!, key, 'GET', `/printers/${cloudPrinterId}`)).json as { status: string },
      (p) => p.status === 'idle',
    );
  }, 30_000);

  it('with the cloud gone mid-print the job still completes here, and the cloud hears it once it is back', async () => {
    const dir = hubTestDir('apf-hub-cloud-');
    const dbFile = join(dir, 'sandbox.db');
    sb = await startSandbox({ organization: 'Test Farm', dbFile });
    const port = Number(new URL(sb.url).port);
    const key = hubKey(sb);
    // Slow enough that the cloud can be stopped while the print runs.
    core = startCore(createMemorySettingsStore(), key, sb.url, 50);
    await call('hub.link');
    await until('connected', () => call('hub.status'), connected);
    const [printer] = await call('printers.list');
    const cloudPrinterId = (await call('hub.publish', { printerId: printer!.id, published: true })).published[0]!.cloudPrinterId;
    const file = await uploadFile(sb, key, 'benchy.gcode', readFileSync(join(FIXTURES, 'prusaslicer.gcode')));
    const job = (await rest(sb, key, 'POST', '/jobs', { name: 'Benchy', file_id: file.id, printer_id: cloudPrinterId })).json as { id: string };
    await rest(sb, key, 'POST', `/jobs/${job.id}/start`);
    const localJob = async () => (await call('jobs.list')).find((j) => j.cloud?.jobId === job.id);
    await until('the local job to print', localJob, (j) => j?.state === 'printing');

    await sb.close();
    sb = null;
    await until(
      'the hub to notice the cloud is gone',
      () => call('hub.status'),
      (s) => s.state === 'offline' || s.state === 'connecting',
    );
    await until('the print to complete offline', localJob, (j) => j?.state === 'completed', 30_000);
    // The completion waits in the outbox until the cloud acknowledges it.
    expect((await call('hub.status')).outboxDepth).toBeGreaterThan(0);

    sb = await startSandbox({ organization: 'Test Farm', dbFile, port });
    await until('the hub to reconnect', () => call('hub.status'), connected);
    const done = await until(
      'the cloud job to complete after the reconnect',
      async () => (await rest(sb!, key, 'GET', `/jobs/${job.id}`)).json as { status: string },
      (j) => j.status === 'completed',
    );
    expect(done.status).toBe('completed');
    await until(
      'the outbox to drain',
      () => call('hub.status'),
      (s) => s.outboxDepth === 0,
    );
  }, 60_000);

  it('pull mode: offered jobs are claimed for a ready published printer one at a time, and the next only once the bed is cleared', async () => {
    sb = await startSandbox({ organization: 'Test Farm', hubTimings: { offerTtlMs: 300 } });
    const key = hubKey(sb);
    core = startCore(createMemorySettingsStore(), key, sb.url);
    await call('hub.link');
    await until('connected', () => call('hub.status'), connected);
    const [printer] = await call('printers.list');
    await call('hub.publish', { printerId: printer!.id, published: true });

    const file = await uploadFile(sb, key, 'benchy.gcode', readFileSync(join(FIXTURES, 'prusaslicer.gcode')));
    const jobs: string[] = [];
    for (const name of ['A', 'B']) jobs.push(((await rest(sb, key, 'POST', '/jobs', { name, file_id: file.id, auto_dispatch: true })).json as { id: string }).id);
    const cloudJob = async (id: string) => (await rest(sb!, key, 'GET', `/jobs/${id}`)).json as { status: string };
    const statuses = async () => Promise.all(jobs.map(async (id) => (await cloudJob(id)).status));

    // One printer, two offers: exactly one is claimed and printed; the other waits in the cloud's queue.
    const first = await until('one job to complete', statuses, (s) => s.includes('completed'));
    expect(first.filter((s) => s === 'completed')).toHaveLength(1);
    expect(first.filter((s) => s === 'queued')).toHaveLength(1);
    expect((await call('jobs.list')).filter((j) => j.cloud)).toHaveLength(1);

    // The bed must be cleared after a print; then the next offer is claimed for the same printer.
    await call('jobs.confirmBedClear', { printerId: printer!.id });
    expect(await until('both jobs to complete', statuses, (s) => s.every((x) => x === 'completed'))).toEqual(['completed', 'completed']);
    expect((await call('jobs.list')).filter((j) => j.cloud).map((j) => j.printerId)).toEqual([printer!.id, printer!.id]);
  }, 60_000);

  it('discover_printers from the cloud scans the LAN and the cloud lists what was found, with no secret in it', async () => {
    sb = await startSandbox({ organization: 'Test Farm' });
    const key = hubKey(sb);
    core = startCore(createMemorySettingsStore(), key, sb.url);
    const { hubId } = await call('hub.link');
    await until('connected', () => call('hub.status'), connected);
    const asked = await rest(sb, key, 'POST', `/hubs/${hubId}/discover`);
    expect(asked.status, asked.text).toBeLessThan(300);
    const found = await until(
      'the discovered printers in the cloud',
      async () => (await rest(sb!, key, 'GET', `/hubs/${hubId}/discovered`)).json as { printers: unknown[] },
      (d) => d.printers.length > 0,
    );
    expect(found.printers).toEqual([
      { ip_address: '192.168.1.20', kind: 'octoprint', name: 'Prusa MK3' },
      { ip_address: '192.168.1.30', kind: 'bambu', name: 'X1C-01', model: 'X1C', serial_number: '00M09A350100123' },
    ]);
  }, 30_000);
});

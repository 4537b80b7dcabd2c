/**
 * The cloud side survives a restart on the same database file (issue 11 item 1): applied event_ids,
 * commands and their acks, signed links, waiting offers and hub state all come back; no socket does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HubTestClient } from '../support/hub-test-client';
import { hubKey, publishPrinter, registerHub, uploadFile } from './hub-fixtures';
import { startSandbox, type Sandbox } from './server';
import { call } from './test-support';

const dirs: string[] = [];
const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function sandboxOn(dbFile: string): Promise<Sandbox> {
  const sb = await startSandbox({ dbFile });
  open.push(sb);
  return sb;
}

describe('restart on the same database file', () => {
  it('keeps applied event_ids (a replayed event is not applied twice), command acks, links and waiting offers; hubs come back offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apf-sandbox-'));
    dirs.push(dir);
    const dbFile = join(dir, 'cloud.db');

    const first = await sandboxOn(dbFile);
    const key = hubKey(first);
    const hubId = await registerHub(first, key);
    const printer = await publishPrinter(first, key, hubId, 'p1');
    const file = await uploadFile(first, key, 'part.gcode', 'G28\n');
    const job = (await call(first, key, 'POST', '/jobs', { file_id: file.id, printer_id: printer.id })).json;
    const waiting = (await call(first, key, 'POST', '/jobs', { file_id: file.id, auto_dispatch: true })).json;

    const hub = await HubTestClient.connect({ apiUrl: first.url, hubId, key });
    await call(first, key, 'POST', `/jobs/${job.id}/start`);
    const command = await hub.next('print_command');
    const event = async (client: HubTestClient, status: string, eventId?: string) => {
      const id = client.jobEvent({ job_id: job.id, printer_id: printer.id, status, event_id: eventId });
      return client.next('job_event_ack', (m) => m.event_id === id);
    };
    await event(hub, 'uploaded');
    await event(hub, 'printing');
    const paused = await event(hub, 'paused');
    expect((await call(first, key, 'POST', `/jobs/${job.id}/resume`)).json.status).toBe('printing');
    await hub.next('printer_command');
    hub.terminate();
    await first.close();

    const second = await sandboxOn(dbFile);
    expect((await call(second, key, 'GET', `/hubs/${hubId}`)).json).toMatchObject({ is_online: false, printer_ids: [printer.id] });
    // A link handed out before the restart still downloads.
    expect(await (await fetch(command.file_url.replace(first.url, second.url))).text()).toBe('G28\n');

    const back = await HubTestClient.open({ apiUrl: second.url, hubId, key });
    back.hello();
    await back.next('hub_welcome');
    expect((await back.next('job_offer', (m) => m.job_id === waiting.id)).job_id).toBe(waiting.id);
    // The hub replays its outbox: the paused event again, and the ack the first run never got.
    const replay = await event(back, 'paused', paused.event_id);
    expect(replay).toMatchObject({ applied: true });
    back.ack(command.command_id);
    const completed = await event(back, 'completed');
    expect(completed).toMatchObject({ applied: true });
    expect((await call(second, key, 'GET', `/jobs/${job.id}`)).json.status).toBe('completed');
    const commands = (await call(second, key, 'GET', `/jobs/${job.id}/commands`)).json.data;
    expect(commands.map((c: { type: string; success: boolean | null }) => [c.type, c.success])).toEqual([
      ['print_command', true],
      ['printer_command', null],
    ]);
    await back.close();
  });
});

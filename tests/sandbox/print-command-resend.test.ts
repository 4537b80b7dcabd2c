/**
 * A print_command can die with its socket (the hub killed before it committed the job, the network cut while
 * the command was on its way): nothing else would ever move that job out of processing, and its printer would
 * stay reserved. Found by the hub soak (tests/soak). The cloud sends an unacknowledged print_command again each
 * time its hub says hello while the job still waits — same command_id, a fresh link — and never once acked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HubTestClient } from '../support/hub-test-client';
import { hubKey, publishPrinter, registerHub, uploadFile } from './hub-fixtures';
import { startSandbox, type Sandbox } from './server';
import { call } from './test-support';

const open: Sandbox[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function sandbox(dbFile?: string): Promise<Sandbox> {
  const sb = await startSandbox(dbFile ? { dbFile } : {});
  open.push(sb);
  return sb;
}

/** The hub's socket again: hello, and the welcome with whatever follows it. */
async function reconnect(sb: Sandbox, hubId: string, key: string): Promise<HubTestClient> {
  return HubTestClient.connect({ apiUrl: sb.url, hubId, key });
}

describe('an unacknowledged print_command', () => {
  it('is sent again, same command_id and a working link, when its hub reconnects; once acked it is not', async () => {
    const sb = await sandbox();
    const key = hubKey(sb);
    const hubId = await registerHub(sb, key);
    const printer = await publishPrinter(sb, key, hubId, 'p1');
    const file = await uploadFile(sb, key, 'part.gcode', 'G28\n');
    const job = (await call(sb, key, 'POST', '/jobs', { file_id: file.id, printer_id: printer.id })).json;

    const first = await reconnect(sb, hubId, key);
    await call(sb, key, 'POST', `/jobs/${job.id}/start`);
    const sent = await first.next('print_command');
    first.terminate(); // the hub dies before it committed the job: no ack

    const second = await reconnect(sb, hubId, key);
    const again = await second.next('print_command');
    expect(again).toMatchObject({ command_id: sent.command_id, job_id: job.id, printer_id: printer.id, file_sha256: sent.file_sha256 });
    expect(await (await fetch(again.file_url as string)).text()).toBe('G28\n');
    second.ack(again.command_id as string);
    // The ack is applied before the next socket says hello (one socket's messages are handled in order).
    await call(sb, key, 'GET', `/jobs/${job.id}`);
    await new Promise((r) => setTimeout(r, 100));
    second.terminate();

    const third = await reconnect(sb, hubId, key);
    await expect(third.next('print_command', () => true, 500)).rejects.toThrow();
    const commands = (await call(sb, key, 'GET', `/jobs/${job.id}/commands`)).json.data;
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ id: sent.command_id, success: true });
    await third.close();
  });

  it('is not sent again once its job moved on (the hub reported it), nor for a job that failed or was cancelled', async () => {
    const sb = await sandbox();
    const key = hubKey(sb);
    const hubId = await registerHub(sb, key);
    const p1 = await publishPrinter(sb, key, hubId, 'p1');
    const p2 = await publishPrinter(sb, key, hubId, 'p2');
    const file = await uploadFile(sb, key, 'part.gcode', 'G28\n');
    const moved = (await call(sb, key, 'POST', '/jobs', { file_id: file.id, printer_id: p1.id })).json;
    const cancelled = (await call(sb, key, 'POST', '/jobs', { file_id: file.id, printer_id: p2.id })).json;

    const first = await reconnect(sb, hubId, key);
    await call(sb, key, 'POST', `/jobs/${moved.id}/start`);
    await call(sb, key, 'POST', `/jobs/${cancelled.id}/start`);
    await first.next('print_command');
    await first.next('print_command');
    // The ack was lost, but the job's own event says the hub has it.
    const eventId = first.jobEvent({ job_id: moved.id, printer_id: p1.id, status: 'uploaded' });
    await first.next('job_event_ack', (m) => m.event_id === eventId);
    expect((await call(sb, key, 'POST', `/jobs/${cancelled.id}/cancel`)).status).toBeLessThan(300);
    first.terminate();

    const second = await reconnect(sb, hubId, key);
    await expect(second.next('print_command', () => true, 500)).rejects.toThrow();
    await second.close();
  });

  it('survives a restart of the cloud: the command is sent again from the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apf-resend-'));
    dirs.push(dir);
    const dbFile = join(dir, 'cloud.db');
    const before = await sandbox(dbFile);
    const key = hubKey(before);
    const hubId = await registerHub(before, key);
    const printer = await publishPrinter(before, key, hubId, 'p1');
    const file = await uploadFile(before, key, 'part.gcode', 'G28\n');
    const job = (await call(before, key, 'POST', '/jobs', { file_id: file.id, auto_dispatch: true })).json;
    const hub = await reconnect(before, hubId, key);
    hub.send({ type: 'printer_status', printer_id: printer.id, status: 'idle', is_connected: true, progress_percentage: 0 });
    await hub.next('job_offer', (m) => m.job_id === job.id);
    hub.send({ type: 'job_claim', job_id: job.id, printer_id: printer.id });
    const sent = await hub.next('print_command');
    hub.terminate();
    await before.close();
    open.splice(open.indexOf(before), 1);

    const after = await sandbox(dbFile);
    const back = await reconnect(after, hubId, key);
    const again = await back.next('print_command');
    expect(again).toMatchObject({ command_id: sent.command_id, job_id: job.id });
    expect(again.file_url).toContain(after.url);
    await back.close();
  });
});

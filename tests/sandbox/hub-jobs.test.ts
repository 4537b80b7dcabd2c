/**
 * spec/cloud-hub.md, "Jobs in the cloud" and "Hub → cloud": jobs driven through a hub — start and its
 * print_command, pause/resume/cancel as printer_command, retry, job_event applied once by event_id,
 * command_ack, printer_status, file_progress, printer_discovered. Each test names the rule it pins.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubTestClient } from '../support/hub-test-client';
import { connectedHub, eventually, hubKey, uploadFile } from './hub-fixtures';
import type { Sandbox } from './server';
import { call, FakeClock, sandboxFor } from './test-support';

const clock = new FakeClock();
let sb: Sandbox & { admin: string };
let key: string;
beforeAll(async () => {
  sb = await sandboxFor({ now: clock.now });
  key = hubKey(sb);
});
afterAll(() => sb.close());

const GCODE = 'G28\nG1 X50 Y50 F6000\n';
const getJob = async (id: string) => (await call(sb, key, 'GET', `/jobs/${id}`)).json;
const getPrinter = async (id: string) => (await call(sb, key, 'GET', `/printers/${id}`)).json;
const post = (path: string, body?: unknown) => call(sb, key, 'POST', path, body);

/** A job on the hub's first printer, with an uploaded file. */
async function jobOn(printerId: string, extra: Record<string, unknown> = {}) {
  const file = await uploadFile(sb, key, 'part.gcode', GCODE);
  const res = await post('/jobs', { file_id: file.id, printer_id: printerId, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** A job started on the hub's printer, its print_command acked: status processing. */
async function started(hub: HubTestClient, printerId: string) {
  const job = await jobOn(printerId);
  const res = await post(`/jobs/${job.id}/start`);
  expect(res.status, res.text).toBe(200);
  const command = await hub.next('print_command', (m) => m.job_id === job.id);
  hub.ack(command.command_id);
  return { job: res.json, command };
}

/** Sends a job_event and waits for its ack. */
async function event(hub: HubTestClient, fields: Record<string, unknown> & { job_id: string; printer_id: string; status: string }) {
  const eventId = hub.jobEvent(fields);
  return hub.next('job_event_ack', (m) => m.event_id === eventId);
}

describe('priorities (real): integers 0–255, old names accepted on input', () => {
  it('stores names as low 10, normal 50, high 100, urgent 200 and any integer 0–255 as given; refuses 256, -1, 1.5 and other names', async () => {
    for (const [given, stored] of [
      ['low', 10],
      ['normal', 50],
      ['high', 100],
      ['urgent', 200],
      [0, 0],
      [255, 255],
      [77, 77],
    ] as const) {
      const res = await post('/jobs', { name: 'p', file_url: 'https://x.example/a.gcode', priority: given });
      expect(res.json.priority, String(given)).toBe(stored);
    }
    for (const bad of [256, -1, 1.5, 'asap', '50']) {
      const res = await post('/jobs', { name: 'p', file_url: 'https://x.example/a.gcode', priority: bad });
      expect(res.status, String(bad)).toBe(400);
      expect(Object.keys(res.json.error.details)).toEqual(['priority']);
    }
  });

  it('filters the list by an integer or a name, and refuses anything else', async () => {
    const list = await call(sb, key, 'GET', '/jobs?priority=77');
    expect(list.json.data.every((j: { priority: number }) => j.priority === 77)).toBe(true);
    expect(list.json.pagination.total).toBeGreaterThan(0);
    expect((await call(sb, key, 'GET', '/jobs?priority=urgent')).json.data.every((j: { priority: number }) => j.priority === 200)).toBe(true);
    expect((await call(sb, key, 'GET', '/jobs?priority=256')).status).toBe(400);
  });
});

describe('POST /jobs/:id/assign (real)', () => {
  it('assigns a printer while queued; an unknown printer is 400, a job past queued 409 invalid_state', async () => {
    const { printerIds, hub } = await connectedHub(sb, key);
    const job = (await post('/jobs', { name: 'a', file_url: 'https://x.example/a.gcode' })).json;
    expect((await post(`/jobs/${job.id}/assign`, { printer_id: 'prt_ghost' })).status).toBe(400);
    const assigned = await post(`/jobs/${job.id}/assign`, { printer_id: printerIds[0] });
    expect(assigned.json).toMatchObject({ status: 'queued', printer_id: printerIds[0] });
    await post(`/jobs/${job.id}/start`);
    const late = await post(`/jobs/${job.id}/assign`, { printer_id: printerIds[0] });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('invalid_state');
    await hub.close();
  });
});

describe('POST /jobs/:id/start (real)', () => {
  it("moves the job to processing and sends print_command { command_id, printer_id, job_id, action: start, file_url, file_name, file_sha256, file_size } and (ours) priority to the printer's hub", async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const file = await uploadFile(sb, key, 'Gear Ø20.gcode', GCODE);
    const job = (await post('/jobs', { file_id: file.id, printer_id: printerIds[0] })).json;
    const res = await post(`/jobs/${job.id}/start`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'processing', started_at: new Date(clock.t).toISOString(), command_id: expect.stringMatching(/^cmd_/) });
    const command = await hub.next('print_command');
    expect(command).toEqual({
      type: 'print_command',
      command_id: res.json.command_id,
      printer_id: printerIds[0],
      job_id: job.id,
      action: 'start',
      file_url: expect.stringContaining(`${sb.url}/files/download/`),
      file_name: 'Gear Ø20.gcode',
      file_sha256: createHash('sha256').update(GCODE).digest('hex'),
      file_size: Buffer.byteLength(GCODE),
      priority: 50,
    });
    // (real) file_url is a signed link that needs no key.
    const download = await fetch(command.file_url);
    expect(await download.text()).toBe(GCODE);
    expect(await getPrinter(printerIds[0]!)).toMatchObject({ current_job: job.id });
    await hub.close();
  });

  it("names the file of a job given by file_url after the URL's last segment, even a malformed one", async () => {
    const { hub, printerIds } = await connectedHub(sb, key, 2);
    for (const [url, name, p] of [
      ['https://cdn.example/files/Gear%20v2.gcode', 'Gear v2.gcode', 0],
      ['https://cdn.example/files/bad%E0.gcode', 'bad%E0.gcode', 1],
    ] as const) {
      const job = (await post('/jobs', { name: 'j', file_url: url, printer_id: printerIds[p] })).json;
      expect((await post(`/jobs/${job.id}/start`)).status).toBe(200);
      expect(await hub.next('print_command', (m) => m.job_id === job.id)).toMatchObject({ file_url: url, file_name: name });
    }
    await hub.close();
  });

  it("answers 503 hub_offline when the printer's hub is not connected, and changes nothing", async () => {
    const { hub, printerIds, hubId } = await connectedHub(sb, key);
    await hub.close();
    await eventually(
      () => call(sb, key, 'GET', `/hubs/${hubId}`),
      (r) => r.json.is_online === false,
    );
    const job = await jobOn(printerIds[0]!);
    const res = await post(`/jobs/${job.id}/start`);
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe('hub_offline');
    expect((await getJob(job.id)).status).toBe('queued');
  });

  it('answers 409 when the printer is busy (another job on it, or not idle by its last printer_status)', async () => {
    const { hub, printerIds } = await connectedHub(sb, key, 2);
    await started(hub, printerIds[0]!);
    const second = await jobOn(printerIds[0]!);
    const busy = await post(`/jobs/${second.id}/start`);
    expect(busy.status).toBe(409);
    expect(busy.json.error.code).toBe('printer_busy');

    hub.send({ type: 'printer_status', printer_id: printerIds[1], status: 'error', is_connected: true });
    await eventually(
      () => getPrinter(printerIds[1]!),
      (p) => p.status === 'error',
    );
    const third = await jobOn(printerIds[1]!);
    expect((await post(`/jobs/${third.id}/start`)).status).toBe(409);
    expect(hub.all('print_command')).toHaveLength(1);
    await hub.close();
  });

  it('answers 409 invalid_state for a job that is not queued or has no printer', async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const { job } = await started(hub, printerIds[0]!);
    expect((await post(`/jobs/${job.id}/start`)).json.error.code).toBe('invalid_state');
    const loose = (await post('/jobs', { name: 'x', file_url: 'https://x.example/a.gcode' })).json;
    const res = await post(`/jobs/${loose.id}/start`);
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('assign');
    await hub.close();
  });

  it("(real) a print_command the hub acks with success: false fails the job with the hub's reason", async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const job = await jobOn(printerIds[0]!);
    await post(`/jobs/${job.id}/start`);
    const command = await hub.next('print_command');
    hub.ack(command.command_id, false, 'SD card missing');
    const failed = await eventually(
      () => getJob(job.id),
      (j) => j.status === 'failed',
    );
    expect(failed.failure_reason).toBe('The hub could not start the print: SD card missing.');
    expect(await getPrinter(printerIds[0]!)).toMatchObject({ current_job: null });
    const commands = (await call(sb, key, 'GET', `/jobs/${job.id}/commands`)).json.data;
    expect(commands).toMatchObject([{ type: 'print_command', success: false, error: 'SD card missing' }]);
    await hub.close();
  });
});

describe("job_event (ours): the job's life as the hub saw it, applied once by event_id, answered job_event_ack", () => {
  it("moves processing → uploaded → printing → completed, with the hub's times and actual_print_time_minutes, and frees the printer", async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const { job } = await started(hub, printerIds[0]!);
    const p = printerIds[0]!;
    expect(await event(hub, { job_id: job.id, printer_id: p, status: 'uploaded' })).toMatchObject({ applied: true });
    const startAt = '2025-01-15T11:00:00.000Z';
    await event(hub, { job_id: job.id, printer_id: p, status: 'printing', at: startAt });
    expect(await getJob(job.id)).toMatchObject({ status: 'printing', started_at: job.started_at });
    expect((await getPrinter(p)).status).toBe('printing');
    const endAt = '2025-01-15T12:30:00.000Z';
    const ack = await event(hub, { job_id: job.id, printer_id: p, status: 'completed', at: endAt, actual_print_time_minutes: 90 });
    expect(ack).toEqual({ type: 'job_event_ack', event_id: ack.event_id, applied: true });
    expect(await getJob(job.id)).toMatchObject({ status: 'completed', progress: 100, finished_at: endAt, actual_print_time_minutes: 90 });
    expect(await getPrinter(p)).toMatchObject({ status: 'idle', current_job: null });
    await hub.close();
  });

  it('applies an event_id once: a repeat is acked with the first outcome and changes nothing', async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const { job } = await started(hub, printerIds[0]!);
    const p = printerIds[0]!;
    await event(hub, { job_id: job.id, printer_id: p, status: 'uploaded' });
    await event(hub, { job_id: job.id, printer_id: p, status: 'printing' });
    const paused = await event(hub, { job_id: job.id, printer_id: p, status: 'paused' });
    expect((await getJob(job.id)).status).toBe('paused');
    const resumed = await post(`/jobs/${job.id}/resume`);
    expect(resumed.json.status).toBe('printing');
    // The same paused event again (a hub replaying its outbox after a lost ack) must not pause the print.
    const repeat = await event(hub, { job_id: job.id, printer_id: p, status: 'paused', event_id: paused.event_id });
    expect(repeat).toEqual({ type: 'job_event_ack', event_id: paused.event_id, applied: true });
    expect((await getJob(job.id)).status).toBe('printing');
    await hub.close();
  });

  it('acks an event that does not fit with applied: false and the reason, and changes nothing (a repeat says the same)', async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const { job } = await started(hub, printerIds[0]!);
    const bad = await event(hub, { job_id: job.id, printer_id: printerIds[0]!, status: 'completed' });
    expect(bad).toMatchObject({ applied: false, reason: `Job ${job.id} is processing and cannot become completed.` });
    expect((await getJob(job.id)).status).toBe('processing');
    const again = await event(hub, { job_id: job.id, printer_id: printerIds[0]!, status: 'completed', event_id: bad.event_id });
    expect(again).toMatchObject({ applied: false, reason: bad.reason });
  });

  it("refuses (applied: false) an event about another hub's job or printer", async () => {
    const a = await connectedHub(sb, key);
    const b = await connectedHub(sb, key);
    const { job } = await started(a.hub, a.printerIds[0]!);
    const ack = await event(b.hub, { job_id: job.id, printer_id: a.printerIds[0]!, status: 'uploaded' });
    expect(ack).toMatchObject({ applied: false, reason: expect.stringContaining('not a printer of this hub') });
    expect((await getJob(job.id)).status).toBe('processing');
    await Promise.all([a.hub.close(), b.hub.close()]);
  });

  it('answers a job_event without a uuid event_id or a valid status with error invalid_message, and no ack', async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const { job } = await started(hub, printerIds[0]!);
    hub.send({ type: 'job_event', event_id: 'e1', job_id: job.id, printer_id: printerIds[0], status: 'exploded', at: 'now' });
    const error = await hub.next('error');
    expect(error.code).toBe('invalid_message');
    expect(error.message).toContain('event_id');
    expect(error.message).toContain('status');
    expect(error.message).toContain('at');
    expect(hub.all('job_event_ack')).toEqual([]);
    await hub.close();
  });
});

describe('pause, resume, cancel (real): sent on as printer_command', () => {
  async function printing() {
    const { hub, printerIds } = await connectedHub(sb, key);
    const p = printerIds[0]!;
    const { job } = await started(hub, p);
    await event(hub, { job_id: job.id, printer_id: p, status: 'uploaded' });
    await event(hub, { job_id: job.id, printer_id: p, status: 'printing' });
    return { hub, p, job };
  }

  it('pause → paused and printer_command pause; resume → printing and printer_command resume', async () => {
    const { hub, p, job } = await printing();
    const paused = await post(`/jobs/${job.id}/pause`);
    expect(paused.json).toMatchObject({ status: 'paused', command_id: expect.stringMatching(/^cmd_/) });
    expect(await hub.next('printer_command')).toEqual({ type: 'printer_command', command_id: paused.json.command_id, printer_id: p, action: 'pause' });
    expect((await getPrinter(p)).status).toBe('paused');
    const resumed = await post(`/jobs/${job.id}/resume`);
    expect(resumed.json.status).toBe('printing');
    expect(await hub.next('printer_command')).toMatchObject({ command_id: resumed.json.command_id, action: 'resume' });
    await hub.close();
  });

  it('a pause the hub refuses (command_ack success: false) puts the job back to printing', async () => {
    const { hub, job } = await printing();
    await post(`/jobs/${job.id}/pause`);
    hub.ack((await hub.next('printer_command')).command_id, false, 'printer is heating');
    await eventually(
      () => getJob(job.id),
      (j) => j.status === 'printing',
    );
    await hub.close();
  });

  it('cancel → cancelled and printer_command stop, the printer freed; cancel of a finished job is 409 invalid_state', async () => {
    const { hub, p, job } = await printing();
    const cancelled = await post(`/jobs/${job.id}/cancel`);
    expect(cancelled.json).toMatchObject({ status: 'cancelled' });
    expect(await hub.next('printer_command')).toMatchObject({ command_id: cancelled.json.command_id, printer_id: p, action: 'stop' });
    expect(await getPrinter(p)).toMatchObject({ current_job: null });
    expect((await post(`/jobs/${job.id}/cancel`)).json.error.code).toBe('invalid_state');
    await hub.close();
  });

  it('pause, resume or cancel of a job whose hub is offline is 503 hub_offline and changes nothing', async () => {
    const { hub, job } = await printing();
    await hub.close();
    await eventually(
      () => Promise.resolve(sb.connectedHubs()),
      (ids) => !ids.includes(hub.hubId),
    );
    for (const action of ['pause', 'cancel']) {
      const res = await post(`/jobs/${job.id}/${action}`);
      expect(res.status, action).toBe(503);
      expect(res.json.error.code).toBe('hub_offline');
    }
    expect((await getJob(job.id)).status).toBe('printing');
  });

  it('pause of a job that is not printing, and resume of one that is not paused, are 409 invalid_state', async () => {
    const { hub, job } = await printing();
    expect((await post(`/jobs/${job.id}/resume`)).status).toBe(409);
    await post(`/jobs/${job.id}/pause`);
    expect((await post(`/jobs/${job.id}/pause`)).status).toBe(409);
    await hub.close();
  });
});

describe('POST /jobs/:id/retry (real): failed → queued', () => {
  it('queues a failed job again with its progress and times cleared; anything but failed is 409 invalid_state', async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const { job } = await started(hub, printerIds[0]!);
    await event(hub, { job_id: job.id, printer_id: printerIds[0]!, status: 'failed', failure_reason: 'Nozzle clog' });
    expect((await getJob(job.id)).failure_reason).toBe('Nozzle clog');
    const retried = await post(`/jobs/${job.id}/retry`);
    expect(retried.json).toMatchObject({ status: 'queued', printer_id: printerIds[0], started_at: null, finished_at: null, failure_reason: null });
    expect((await post(`/jobs/${job.id}/retry`)).json.error.code).toBe('invalid_state');
    await hub.close();
  });
});

describe('printer_status, file_progress, printer_discovered, clear_bed', () => {
  it("(real) printer_status updates the printer: status, nozzle and bed, progress, and the whole report under hub_status; the job's progress follows", async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const p = printerIds[0]!;
    const { job } = await started(hub, p);
    await event(hub, { job_id: job.id, printer_id: p, status: 'uploaded' });
    await event(hub, { job_id: job.id, printer_id: p, status: 'printing' });
    hub.send({
      type: 'printer_status',
      printer_id: p,
      status: 'printing',
      is_connected: true,
      progress_percentage: 42,
      remaining_time_seconds: 1800,
      current_layer: 12,
      total_layers: 120,
      temperatures: { nozzle: 214.5, nozzle_target: 215, bed: 60, bed_target: 60, chamber: null },
    });
    const printer = await eventually(
      () => getPrinter(p),
      (x) => x.progress === 42,
    );
    expect(printer).toMatchObject({
      status: 'printing',
      temperatures: { hotend: 214.5, bed: 60 },
      hub_status: { is_connected: true, remaining_time_seconds: 1800, current_layer: 12, total_layers: 120, reported_at: expect.any(String) },
    });
    expect((await getJob(job.id)).progress).toBe(42);
    await hub.close();
  });

  it("refuses printer_status for a printer that is not this hub's with error not_yours", async () => {
    const a = await connectedHub(sb, key);
    const b = await connectedHub(sb, key);
    b.hub.send({ type: 'printer_status', printer_id: a.printerIds[0], status: 'error' });
    expect((await b.hub.next('error')).code).toBe('not_yours');
    expect((await getPrinter(a.printerIds[0]!)).status).toBe('idle');
    await Promise.all([a.hub.close(), b.hub.close()]);
  });

  it('(real) file_progress shows on the job as file_transfer; the job moves only by job_event', async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const { job } = await started(hub, printerIds[0]!);
    hub.send({ type: 'file_progress', printer_id: printerIds[0], job_id: job.id, stage: 'downloading', progress_percentage: 30 });
    const j = await eventually(
      () => getJob(job.id),
      (x) => x.file_transfer !== null,
    );
    expect(j).toMatchObject({ status: 'processing', file_transfer: { stage: 'downloading', progress_percentage: 30, error: null } });
    await hub.close();
  });

  it('(real) printer_discovered is kept per hub; POST /hubs/:id/discover sends discover_printers', async () => {
    const { hub, hubId } = await connectedHub(sb, key, 0);
    const res = await post(`/hubs/${hubId}/discover`);
    expect(res.status).toBe(202);
    expect(await hub.next('discover_printers')).toEqual({ type: 'discover_printers', command_id: res.json.command_id });
    const found = [{ serial_number: '01P00A000000001', ip_address: '192.168.1.20', model: 'P1S', kind: 'bambu' }];
    hub.send({ type: 'printer_discovered', printers: found });
    const discovered = await eventually(
      () => call(sb, key, 'GET', `/hubs/${hubId}/discovered`),
      (r) => r.json.printers.length > 0,
    );
    expect(discovered.json).toEqual({ printers: found, reported_at: new Date(clock.t).toISOString() });
    await hub.close();
  });

  it('(real) POST /printers/:id/commands { action: clear_bed } sends printer_command clear_bed; 503 when the hub is offline', async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const res = await post(`/printers/${printerIds[0]}/commands`, { action: 'clear_bed' });
    expect(res.status).toBe(202);
    expect(await hub.next('printer_command')).toEqual({ type: 'printer_command', command_id: res.json.command_id, printer_id: printerIds[0], action: 'clear_bed' });
    await hub.close();
    await eventually(
      () => Promise.resolve(sb.connectedHubs()),
      (ids) => !ids.includes(hub.hubId),
    );
    expect((await post(`/printers/${printerIds[0]}/commands`, { action: 'light_on' })).status).toBe(503);
  });

  it('(real) a repeated command_ack changes nothing; an ack for a command never sent is ignored', async () => {
    const { hub, printerIds } = await connectedHub(sb, key);
    const job = await jobOn(printerIds[0]!);
    await post(`/jobs/${job.id}/start`);
    const command = await hub.next('print_command');
    hub.ack(command.command_id, true);
    hub.ack(command.command_id, false, 'late second thoughts');
    hub.ack(`cmd_${randomUUID()}`, false);
    hub.send({ type: 'printer_discovered', printers: [] }); // a marker: handled after the acks
    await eventually(
      () => call(sb, key, 'GET', `/hubs/${hub.hubId}/discovered`),
      (r) => r.json.reported_at !== null,
    );
    expect((await getJob(job.id)).status).toBe('processing');
    expect((await call(sb, key, 'GET', `/jobs/${job.id}/commands`)).json.data).toMatchObject([{ success: true, error: null }]);
    await hub.close();
  });
});

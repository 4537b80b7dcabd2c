/**
 * spec/cloud-hub.md, "Pull mode — one queue across rooms" (ours): a job queued with no printer and
 * auto_dispatch: true is offered to every connected hub (again when a hub connects); the first fit claim
 * wins atomically (job_claimed, then print_command), every other hub hears job_taken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubTestClient } from '../support/hub-test-client';
import { connectedHub, eventually, hubKey, publishPrinter, registerHub, uploadFile } from './hub-fixtures';
import type { Sandbox } from './server';
import { call, sandboxFor } from './test-support';

let sb: Sandbox & { admin: string };
let key: string;
beforeAll(async () => {
  // The real five-minute offer lifetime: within a test, every offer a hub gets is one the rule sent.
  sb = await sandboxFor();
  key = hubKey(sb);
});
afterAll(() => sb.close());

const post = (path: string, body?: unknown) => call(sb, key, 'POST', path, body);
const getJob = async (id: string) => (await call(sb, key, 'GET', `/jobs/${id}`)).json;

async function pullJob(extra: Record<string, unknown> = {}) {
  const file = await uploadFile(sb, key, 'widget.gcode', 'G28\n');
  const res = await post('/jobs', { file_id: file.id, auto_dispatch: true, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** Hubs, each with `printers` published printers, all connected and reporting them idle. */
async function hubs(count: number, printers = 1) {
  const all = await Promise.all(Array.from({ length: count }, () => connectedHub(sb, key, printers)));
  for (const h of all) for (const p of h.printerIds) h.hub.send({ type: 'printer_status', printer_id: p, status: 'idle' });
  await eventually(
    () => Promise.all(all.flatMap((h) => h.printerIds.map(async (p) => (await call(sb, key, 'GET', `/printers/${p}`)).json.hub_status))),
    (reports) => reports.every((r) => r !== null),
  );
  return all;
}
const closeAll = (all: { hub: HubTestClient }[]) => Promise.all(all.map((h) => h.hub.close()));

describe('job_offer', () => {
  it('offers a queued auto_dispatch job with no printer to every connected hub: { job_id, file_name, requirements, expires_at }', async () => {
    const all = await hubs(3);
    const job = await pullJob({ requirements: { printer_model: 'MK4', nozzle: 0.4, material: 'PLA' }, priority: 'high' });
    for (const { hub } of all) {
      const offer = await hub.next('job_offer', (m) => m.job_id === job.id);
      expect(offer).toEqual({
        type: 'job_offer',
        job_id: job.id,
        file_name: 'widget.gcode',
        requirements: { printer_model: 'MK4', nozzle: 0.4, material: 'PLA' },
        expires_at: expect.stringMatching(/Z$/),
        priority: 100,
      });
    }
    await closeAll(all);
  });

  it('offers nothing for a job with a printer or without auto_dispatch', async () => {
    const all = await hubs(1);
    const { hub, printerIds } = all[0]!;
    const pinned = await pullJob({ printer_id: printerIds[0] });
    const manual = (await post('/jobs', { name: 'manual', file_url: 'https://x.example/m.gcode' })).json;
    const marker = await pullJob(); // offers go out in order: once this one is here, the others would be too
    await hub.next('job_offer', (m) => m.job_id === marker.id);
    const offered = hub.all('job_offer').map((m) => m.job_id);
    expect(offered).not.toContain(pinned.id);
    expect(offered).not.toContain(manual.id);
    await closeAll(all);
  });

  it('offers every waiting job, highest priority first, to a hub right after its hub_welcome', async () => {
    const low = await pullJob({ priority: 'low' });
    const urgent = await pullJob({ priority: 'urgent' });
    const hubId = await registerHub(sb, key);
    const client = await HubTestClient.open({ apiUrl: sb.url, hubId, key });
    client.hello();
    await client.next('hub_welcome');
    const first = await client.next('job_offer', (m) => m.job_id === urgent.id || m.job_id === low.id);
    expect(first.job_id).toBe(urgent.id);
    await client.next('job_offer', (m) => m.job_id === low.id);
    expect(client.received.findIndex((m) => m.type === 'hub_welcome')).toBe(0);
    await client.close();
    for (const j of [low, urgent]) await post(`/jobs/${j.id}/cancel`);
  });

  it('offers an unclaimed job again when its offer runs out (5 min real; injected here)', async () => {
    const ttl = 300;
    const short = await sandboxFor({ hubTimings: { offerTtlMs: ttl } });
    try {
      const k = hubKey(short);
      const { hub } = await connectedHub(short, k);
      const job = (await call(short, k, 'POST', '/jobs', { name: 'w', file_url: 'https://x.example/w.gcode', auto_dispatch: true })).json;
      const first = await hub.next('job_offer', (m) => m.job_id === job.id);
      expect(Date.parse(first.expires_at) - Date.parse(hub.received[0]!.server_time)).toBeGreaterThanOrEqual(ttl);
      const again = await hub.next('job_offer', (m) => m.job_id === job.id, ttl * 20);
      expect(Date.parse(again.expires_at)).toBeGreaterThan(Date.parse(first.expires_at));
      await hub.close();
    } finally {
      await short.close();
    }
  });

  it('withdraws the offer (job_taken to every hub) when the job is cancelled or assigned', async () => {
    const all = await hubs(2);
    const cancelled = await pullJob();
    const assigned = await pullJob();
    await post(`/jobs/${cancelled.id}/cancel`);
    await post(`/jobs/${assigned.id}/assign`, { printer_id: all[0]!.printerIds[0] });
    for (const { hub } of all) {
      await hub.next('job_taken', (m) => m.job_id === cancelled.id);
      await hub.next('job_taken', (m) => m.job_id === assigned.id);
    }
    await closeAll(all);
  });

  it('offers a failed pull-mode job to every hub again on retry, with its printer cleared', async () => {
    const all = await hubs(1);
    const { hub, printerIds } = all[0]!;
    const job = await pullJob();
    await hub.next('job_offer', (m) => m.job_id === job.id);
    hub.send({ type: 'job_claim', job_id: job.id, printer_id: printerIds[0] });
    await hub.next('job_claimed', (m) => m.job_id === job.id);
    const eventId = hub.jobEvent({ job_id: job.id, printer_id: printerIds[0]!, status: 'failed', failure_reason: 'Bed adhesion' });
    await hub.next('job_event_ack', (m) => m.event_id === eventId);
    const offers = hub.all('job_offer').filter((m) => m.job_id === job.id).length;
    const retried = await post(`/jobs/${job.id}/retry`);
    expect(retried.json).toMatchObject({ status: 'queued', printer_id: null });
    await eventually(
      () => Promise.resolve(hub.all('job_offer').filter((m) => m.job_id === job.id).length),
      (n) => n > offers,
    );
    await post(`/jobs/${job.id}/cancel`);
    await closeAll(all);
  });
});

describe('job_claim: atomic', () => {
  it('gives the job to exactly one of many hubs claiming at once: job_claimed then print_command to it, job_taken to the rest', async () => {
    const all = await hubs(12);
    const job = await pullJob();
    await Promise.all(all.map(({ hub }) => hub.next('job_offer', (m) => m.job_id === job.id)));
    for (const { hub, printerIds } of all) hub.send({ type: 'job_claim', job_id: job.id, printer_id: printerIds[0] });

    // Every hub hears a verdict; exactly one is job_claimed.
    const verdicts = await Promise.all(
      all.map(({ hub }) => Promise.race([hub.next('job_claimed', (m) => m.job_id === job.id), hub.next('job_taken', (m) => m.job_id === job.id)])),
    );
    const winners = all.filter((_, i) => verdicts[i]!.type === 'job_claimed');
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    const claimed = winner.hub.all('job_claimed').find((m) => m.job_id === job.id)!;
    expect(claimed).toEqual({ type: 'job_claimed', job_id: job.id, printer_id: winner.printerIds[0] });
    const command = await winner.hub.next('print_command', (m) => m.job_id === job.id);
    const order = winner.hub.received.filter((m) => m.job_id === job.id).map((m) => m.type);
    expect(order.indexOf('job_claimed')).toBeLessThan(order.indexOf('print_command'));
    expect(command.printer_id).toBe(winner.printerIds[0]);

    for (const loser of all.filter((h) => h !== winner)) {
      expect(loser.hub.all('job_claimed')).toEqual([]);
      expect(loser.hub.all('print_command')).toEqual([]);
    }
    expect(await getJob(job.id)).toMatchObject({ status: 'processing', printer_id: winner.printerIds[0] });
    expect((await call(sb, key, 'GET', `/jobs/${job.id}/commands`)).json.data).toHaveLength(1);
    await closeAll(all);
  });

  it('under a storm of claims (10 hubs × 10 jobs, every hub claiming every job) each job goes to exactly one printer and no printer gets two', async () => {
    const all = await hubs(10);
    const jobs: { id: string }[] = [];
    for (let i = 0; i < 10; i++) jobs.push(await pullJob());
    await Promise.all(all.flatMap(({ hub }) => jobs.map((j) => hub.next('job_offer', (m) => m.job_id === j.id))));
    for (const j of jobs) for (const { hub, printerIds } of all) hub.send({ type: 'job_claim', job_id: j.id, printer_id: printerIds[0] });

    // Each hub has one printer, so it can win once: ten jobs, ten hubs, every job claimed.
    const finals = await eventually(
      () => Promise.all(jobs.map((j) => getJob(j.id))),
      (list) => list.every((j) => j.status === 'processing'),
    );
    const printersUsed = finals.map((j) => j.printer_id);
    expect(new Set(printersUsed).size).toBe(10);
    // The jobs are committed before their messages are sent: wait for the messages to arrive too.
    const claimedMessages = await eventually(
      async () => all.flatMap(({ hub }) => hub.all('job_claimed')),
      (list) => list.length >= 10,
    );
    expect(claimedMessages).toHaveLength(10);
    expect(new Set(claimedMessages.map((m) => m.job_id)).size).toBe(10);
    const printCommands = await eventually(
      async () => all.flatMap(({ hub }) => hub.all('print_command')),
      (list) => list.length >= 10,
    );
    expect(printCommands.map((m) => m.job_id).sort()).toEqual(jobs.map((j) => j.id).sort());
    await closeAll(all);
  });

  it("refuses (error claim_refused) a claim for another hub's printer, a busy printer, or a printer of another model; the job stays offered", async () => {
    const all = await hubs(2, 2);
    const [a, b] = all as [(typeof all)[0], (typeof all)[0]];
    const busyJob = await pullJob();
    a.hub.send({ type: 'job_claim', job_id: busyJob.id, printer_id: a.printerIds[0] });
    await a.hub.next('job_claimed', (m) => m.job_id === busyJob.id);

    const job = await pullJob({ requirements: { printer_model: 'X1C' } });
    a.hub.send({ type: 'job_claim', job_id: job.id, printer_id: b.printerIds[0] });
    expect((await a.hub.next('error')).message).toContain('not a printer of this hub');
    a.hub.send({ type: 'job_claim', job_id: job.id, printer_id: a.printerIds[0] });
    expect((await a.hub.next('error')).message).toContain('busy');
    a.hub.send({ type: 'job_claim', job_id: job.id, printer_id: a.printerIds[1] });
    expect((await a.hub.next('error')).message).toContain('needs a X1C');
    expect(await getJob(job.id)).toMatchObject({ status: 'queued', printer_id: null });

    const x1c = await publishPrinter(sb, key, b.hubId, 'x1c', { model: 'X1C' });
    b.hub.send({ type: 'printer_status', printer_id: x1c.id, status: 'idle' });
    b.hub.send({ type: 'job_claim', job_id: job.id, printer_id: x1c.id });
    await b.hub.next('job_claimed', (m) => m.job_id === job.id);
    await closeAll(all);
  });

  it('answers a claim for a job that is no longer offered with job_taken', async () => {
    const all = await hubs(1);
    const { hub, printerIds } = all[0]!;
    const job = await pullJob();
    await post(`/jobs/${job.id}/cancel`);
    hub.send({ type: 'job_claim', job_id: job.id, printer_id: printerIds[0] });
    hub.send({ type: 'job_claim', job_id: 'job_unknown', printer_id: printerIds[0] });
    await hub.next('job_taken', (m) => m.job_id === 'job_unknown');
    expect(hub.all('job_taken').filter((m) => m.job_id === job.id).length).toBeGreaterThanOrEqual(1);
    expect(hub.all('job_claimed')).toEqual([]);
    await closeAll(all);
  });
});

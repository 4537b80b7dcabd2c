import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canMoveJob, JOB_STATUSES } from './lifecycle';
import type { Sandbox } from './server';
import { call, FakeClock, sandboxFor } from './test-support';

const clock = new FakeClock();
let sb: Sandbox & { admin: string };
beforeAll(async () => {
  sb = await sandboxFor({ now: clock.now });
});
afterAll(() => sb.close());

const FILE = 'https://cdn.autoprintfarm.com/files/benchy.gcode';
const newPrinter = async (status = 'idle') => (await call(sb, sb.admin, 'POST', '/printers', { name: 'P', model: 'MK4', status })).json;
const newJob = async (body: Record<string, unknown> = {}) => {
  const res = await call(sb, sb.admin, 'POST', '/jobs', { name: 'Benchy', file_url: FILE, ...body });
  expect(res.status).toBe(201);
  return res.json;
};
const patch = (id: string, body: Record<string, unknown>) => call(sb, sb.admin, 'PATCH', `/jobs/${id}`, body);
const printer = async (id: string) => (await call(sb, sb.admin, 'GET', `/printers/${id}`)).json;
/** queued → processing → uploaded → printing, the only road to printing (spec: real transitions). */
const toPrinting = async (id: string, extra: Record<string, unknown> = {}) => {
  for (const status of ['processing', 'uploaded']) expect((await patch(id, { status })).status, status).toBe(200);
  const res = await patch(id, { status: 'printing', ...extra });
  expect(res.status).toBe(200);
  return res;
};

describe('job create and get', () => {
  it('creates a queued job with normal priority (50) and every field of the model', async () => {
    const res = await call(sb, sb.admin, 'POST', '/jobs', { name: 'Benchy', file_url: FILE });
    const at = new Date(clock.t).toISOString();
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^job_/),
      name: 'Benchy',
      status: 'queued',
      priority: 50,
      printer_id: null,
      progress: 0,
      file_id: null,
      file_url: FILE,
      auto_dispatch: false,
      requirements: {},
      file_transfer: null,
      created_at: at,
      updated_at: at,
      started_at: null,
      finished_at: null,
      failure_reason: null,
      actual_print_time_minutes: null,
    });
    expect((await call(sb, sb.admin, 'GET', `/jobs/${res.json.id}`)).json).toEqual(res.json);
  });

  it('refuses a create body with bad fields, naming each, and an unknown printer', async () => {
    const res = await call(sb, sb.admin, 'POST', '/jobs', { file_url: 'javascript:alert(1)', priority: 'asap' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.details).sort()).toEqual(['file_url', 'name', 'priority']);
    const ghost = await call(sb, sb.admin, 'POST', '/jobs', { name: 'x', file_url: FILE, printer_id: 'prt_ghost' });
    expect(ghost.status).toBe(400);
    expect(ghost.json.error.details).toEqual({ printer_id: 'no printer with this id' });
  });

  it('answers an unknown job with 404', async () => {
    for (const [method, path] of [
      ['GET', '/jobs/job_missing'],
      ['PATCH', '/jobs/job_missing'],
      ['POST', '/jobs/job_missing/cancel'],
    ] as const) {
      const res = await call(sb, sb.admin, method, path, method === 'PATCH' ? { progress: 1 } : undefined);
      expect(res.status, path).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    }
  });
});

describe('job lifecycle', () => {
  it('runs queued → processing → uploaded → printing → completed, keeping the printer in step', async () => {
    const p = await newPrinter();
    const job = await newJob({ printer_id: p.id, priority: 'high' });
    expect(job.priority).toBe(100);
    const processing = await patch(job.id, { status: 'processing' });
    expect(processing.json).toMatchObject({ status: 'processing', started_at: new Date(clock.t).toISOString() });
    expect(await printer(p.id)).toMatchObject({ status: 'idle', current_job: job.id });
    const started = await toPrinting(job.id);
    expect(started.json).toMatchObject({ status: 'printing', started_at: new Date(clock.t).toISOString() });
    expect(await printer(p.id)).toMatchObject({ status: 'printing', current_job: job.id, progress: 0 });

    const half = await patch(job.id, { progress: 50 });
    expect(half.json.progress).toBe(50);
    expect((await printer(p.id)).progress).toBe(50);

    clock.advance(3600_000);
    const done = await patch(job.id, { status: 'completed' });
    expect(done.json).toMatchObject({ status: 'completed', progress: 100, finished_at: new Date(clock.t).toISOString() });
    expect(await printer(p.id)).toMatchObject({ status: 'idle', current_job: null, progress: 0 });
  });

  it('refuses illegal transitions with 409 invalid_state', async () => {
    const p = await newPrinter();
    const job = await newJob({ printer_id: p.id });
    await toPrinting(job.id);
    await patch(job.id, { status: 'completed' });
    for (const status of ['printing', 'queued', 'failed', 'cancelled', 'processing', 'paused']) {
      const res = await patch(job.id, { status });
      expect(res.status, status).toBe(409);
      expect(res.json.error).toEqual({ code: 'invalid_state', message: `Job ${job.id} is completed and cannot become ${status}.` });
    }
    const queued = await newJob({ printer_id: (await newPrinter()).id });
    for (const status of ['completed', 'printing', 'uploaded', 'paused', 'failed']) {
      expect((await patch(queued.id, { status })).status, `queued → ${status}`).toBe(409);
    }
  });

  it('records a failure reason and lets a failed job be queued again', async () => {
    const p = await newPrinter();
    const job = await newJob({ printer_id: p.id });
    await toPrinting(job.id, { progress: 12 });
    const failed = await patch(job.id, { status: 'failed', failure_reason: 'Spaghetti detected' });
    expect(failed.json).toMatchObject({ status: 'failed', failure_reason: 'Spaghetti detected', progress: 12 });
    expect((await printer(p.id)).status).toBe('idle');
    const retried = await patch(job.id, { status: 'queued' });
    expect(retried.json).toMatchObject({
      status: 'queued',
      progress: 0,
      started_at: null,
      finished_at: null,
      failure_reason: null,
    });
  });

  it('refuses to start a job without a printer or on a busy printer', async () => {
    const orphan = await newJob();
    const noPrinter = await patch(orphan.id, { status: 'processing' });
    expect(noPrinter.status).toBe(409);
    expect(noPrinter.json.error.message).toContain('assign');

    const busy = await newPrinter('paused');
    const job = await newJob({ printer_id: busy.id });
    const refused = await patch(job.id, { status: 'processing' });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('printer_busy');
    expect((await call(sb, sb.admin, 'GET', `/jobs/${job.id}`)).json.status).toBe('queued');
  });

  it('assigns a printer and starts processing in one patch while queued, but not reassigns once processing', async () => {
    const p = await newPrinter();
    const other = await newPrinter();
    const job = await newJob();
    const res = await patch(job.id, { printer_id: p.id, status: 'processing' });
    expect(res.json).toMatchObject({ status: 'processing', printer_id: p.id });
    const move = await patch(job.id, { printer_id: other.id });
    expect(move.status).toBe(409);
    expect(move.json.error.code).toBe('invalid_state');
  });

  it('accepts progress only while printing and a failure reason only with failed', async () => {
    const job = await newJob();
    expect((await patch(job.id, { progress: 10 })).status).toBe(409);
    const reason = await patch(job.id, { failure_reason: 'nope' });
    expect(reason.status).toBe(400);
    expect(Object.keys(reason.json.error.details)).toEqual(['failure_reason']);
    const badProgress = await patch(job.id, { progress: 150, colour: 'red' });
    expect(badProgress.status).toBe(400);
    expect(Object.keys(badProgress.json.error.details).sort()).toEqual(['colour', 'progress']);
    expect((await patch(job.id, {})).status).toBe(400);
  });

  it('cancels a queued or printing job, freeing its printer, and refuses to cancel a finished one', async () => {
    const queued = await newJob();
    const c1 = await call(sb, sb.admin, 'POST', `/jobs/${queued.id}/cancel`);
    expect(c1.status).toBe(200);
    expect(c1.json).toMatchObject({ status: 'cancelled', finished_at: new Date(clock.t).toISOString() });

    const p = await newPrinter();
    const printing = await newJob({ printer_id: p.id });
    await toPrinting(printing.id);
    expect((await call(sb, sb.admin, 'POST', `/jobs/${printing.id}/cancel`)).json.status).toBe('cancelled');
    expect(await printer(p.id)).toMatchObject({ status: 'idle', current_job: null });

    const again = await call(sb, sb.admin, 'POST', `/jobs/${queued.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('invalid_state');
  });

  it('cancels the running job when its printer is cancelled', async () => {
    const p = await newPrinter();
    const job = await newJob({ printer_id: p.id });
    await toPrinting(job.id);
    await call(sb, sb.admin, 'POST', `/printers/${p.id}/actions`, { action: 'pause' });
    await call(sb, sb.admin, 'POST', `/printers/${p.id}/actions`, { action: 'cancel' });
    expect((await call(sb, sb.admin, 'GET', `/jobs/${job.id}`)).json.status).toBe('cancelled');
  });

  it('allows exactly the transitions of the spec (queued→processing|cancelled … failed→queued), anything else 409', () => {
    const legal = new Set([
      'queued>processing',
      'queued>cancelled',
      'processing>uploaded',
      'processing>failed',
      'processing>cancelled',
      'uploaded>printing',
      'uploaded>failed',
      'uploaded>cancelled',
      'printing>completed',
      'printing>paused',
      'printing>failed',
      'printing>cancelled',
      'paused>printing',
      'paused>cancelled',
      'failed>queued',
    ]);
    for (const from of JOB_STATUSES) {
      for (const to of JOB_STATUSES) {
        expect(canMoveJob(from, to), `${from} → ${to}`).toBe(from === to || legal.has(`${from}>${to}`));
      }
    }
  });
});

describe('job list', () => {
  let sbList: Sandbox & { admin: string };
  const listClock = new FakeClock();
  let printerA: string;
  beforeAll(async () => {
    sbList = await sandboxFor({ now: listClock.now });
    printerA = (await call(sbList, sbList.admin, 'POST', '/printers', { name: 'A', model: 'MK4' })).json.id;
    const priorities = ['low', 'normal', 'high', 'urgent'];
    for (let i = 1; i <= 30; i++) {
      await call(sbList, sbList.admin, 'POST', '/jobs', {
        name: `J${i}`,
        file_url: FILE,
        priority: priorities[i % 4],
        printer_id: i <= 6 ? printerA : null,
      });
      listClock.advance(3600_000); // one job per hour from 2025-01-15T10:30Z
    }
    const j1 = (await call(sbList, sbList.admin, 'GET', '/jobs?per_page=100')).json.data.at(-1);
    await call(sbList, sbList.admin, 'POST', `/jobs/${j1.id}/cancel`);
  });
  afterAll(() => sbList.close());

  const list = (q: string) => call(sbList, sbList.admin, 'GET', `/jobs${q}`);
  const names = (res: { json: { data: { name: string }[] } }) => res.json.data.map((j) => j.name);

  it('pages newest first, 20 by default', async () => {
    const first = await list('');
    expect(first.json.pagination).toEqual({ page: 1, per_page: 20, total: 30, total_pages: 2 });
    expect(names(first).slice(0, 2)).toEqual(['J30', 'J29']);
    const last = await list('?page=2&per_page=20');
    expect(names(last)).toHaveLength(10);
    expect(names(last).at(-1)).toBe('J1');
  });

  it('filters by status, printer_id and priority', async () => {
    expect(names(await list('?status=cancelled'))).toEqual(['J1']);
    expect((await list('?status=queued')).json.pagination.total).toBe(29);
    expect(names(await list(`?printer_id=${printerA}`))).toEqual(['J6', 'J5', 'J4', 'J3', 'J2', 'J1']);
    expect(names(await list('?priority=urgent&per_page=3'))).toEqual(['J27', 'J23', 'J19']);
    expect((await list('?priority=urgent')).json.pagination.total).toBe(7);
  });

  it('filters by a from/to window on created_at, both ends inclusive', async () => {
    const res = await list('?from=2025-01-15T12:30:00Z&to=2025-01-15T14:30:00Z');
    expect(names(res)).toEqual(['J5', 'J4', 'J3']);
    expect((await list('?from=2025-01-16')).json.pagination.total).toBe(16);
  });

  it('refuses bad filter values with 400 naming each parameter', async () => {
    const res = await list('?status=busy&priority=asap&from=yesterday&to=2025-13-45&per_page=1000');
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.details).sort()).toEqual(['from', 'per_page', 'priority', 'status', 'to']);
  });
});

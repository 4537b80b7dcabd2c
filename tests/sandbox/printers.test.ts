import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPrinterAction, PRINTER_ACTIONS, PRINTER_STATUSES } from './lifecycle';
import type { Sandbox } from './server';
import { call, FakeClock, sandboxFor } from './test-support';

const clock = new FakeClock();
let sb: Sandbox & { admin: string };
beforeAll(async () => {
  sb = await sandboxFor({ now: clock.now });
});
afterAll(() => sb.close());

const create = async (body: Record<string, unknown>) => {
  const res = await call(sb, sb.admin, 'POST', '/printers', { model: 'Prusa MK4', ...body });
  expect(res.status).toBe(201);
  return res.json;
};

describe('printer CRUD', () => {
  it('creates a printer with every field of the model and never echoes its api_key', async () => {
    const res = await call(sb, sb.admin, 'POST', '/printers', {
      name: 'Prusa #1',
      model: 'Prusa MK4',
      group: 'Farm A',
      tags: ['pla', 'fast'],
      connection_url: 'http://192.168.1.50',
      api_key: 'octoprint-secret-123',
    });
    expect(res.status).toBe(201);
    const at = new Date(clock.t).toISOString();
    expect(res.json).toEqual({
      id: expect.stringMatching(/^prt_/),
      name: 'Prusa #1',
      status: 'idle',
      model: 'Prusa MK4',
      firmware: null,
      temperatures: { hotend: 22, bed: 22 },
      current_job: null,
      progress: 0,
      group: 'Farm A',
      tags: ['pla', 'fast'],
      hub_id: null,
      local_id: null,
      connection_type: null,
      hub_status: null,
      created_at: at,
      updated_at: at,
    });
    expect(res.text).not.toContain('octoprint-secret-123');
    const got = await call(sb, sb.admin, 'GET', `/printers/${res.json.id}`);
    expect(got.json).toEqual(res.json);
  });

  it('refuses a create body with missing or bad fields, naming each', async () => {
    const res = await call(sb, sb.admin, 'POST', '/printers', {
      tags: 'pla',
      connection_url: 'ftp://x',
      colour: 'red',
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(Object.keys(res.json.error.details).sort()).toEqual(['colour', 'connection_url', 'model', 'name', 'tags']);
  });

  it('patches fields and live state, and bumps updated_at', async () => {
    const p = await create({ name: 'patch me' });
    clock.advance(60_000);
    const res = await call(sb, sb.admin, 'PATCH', `/printers/${p.id}`, {
      name: 'patched',
      tags: ['petg'],
      group: null,
      firmware: '6.1.2',
      status: 'error',
      temperatures: { hotend: 215.5 },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: 'patched',
      tags: ['petg'],
      group: null,
      firmware: '6.1.2',
      status: 'error',
      temperatures: { hotend: 215.5, bed: 22 },
      created_at: p.created_at,
      updated_at: new Date(clock.t).toISOString(),
    });
  });

  it('refuses an empty patch, an unknown field and a read-only field', async () => {
    const p = await create({ name: 'strict' });
    expect((await call(sb, sb.admin, 'PATCH', `/printers/${p.id}`, {})).status).toBe(400);
    const res = await call(sb, sb.admin, 'PATCH', `/printers/${p.id}`, { id: 'prt_x', progress: 101 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.details).sort()).toEqual(['id', 'progress']);
  });

  it('deletes a printer with 204, after which it is 404', async () => {
    const p = await create({ name: 'bye' });
    expect((await call(sb, sb.admin, 'DELETE', `/printers/${p.id}`)).status).toBe(204);
    const res = await call(sb, sb.admin, 'GET', `/printers/${p.id}`);
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({ code: 'not_found', message: `No printer with id ${p.id}.` });
    expect((await call(sb, sb.admin, 'DELETE', `/printers/${p.id}`)).status).toBe(404);
    expect((await call(sb, sb.admin, 'PATCH', `/printers/${p.id}`, { name: 'x' })).status).toBe(404);
  });
});

describe('printer list', () => {
  let sbList: Sandbox & { admin: string };
  beforeAll(async () => {
    sbList = await sandboxFor();
    const add = (body: Record<string, unknown>) => call(sbList, sbList.admin, 'POST', '/printers', { model: 'X1C', ...body });
    for (let i = 1; i <= 25; i++) {
      await add({ name: `P${i}`, group: i % 2 ? 'odd' : 'even', tags: i % 5 === 0 ? ['five'] : [], status: i <= 3 ? 'offline' : 'idle' });
    }
  });
  afterAll(() => sbList.close());

  const list = (q: string) => call(sbList, sbList.admin, 'GET', `/printers${q}`);

  it('pages 20 at a time by default, in creation order', async () => {
    const first = await list('');
    expect(first.json.pagination).toEqual({ page: 1, per_page: 20, total: 25, total_pages: 2 });
    expect(first.json.data).toHaveLength(20);
    expect(first.json.data[0].name).toBe('P1');
    const second = await list('?page=2');
    expect(second.json.data.map((p: { name: string }) => p.name)).toEqual(['P21', 'P22', 'P23', 'P24', 'P25']);
  });

  it('honours per_page and answers an empty page past the end', async () => {
    const res = await list('?per_page=10&page=3');
    expect(res.json.pagination).toEqual({ page: 3, per_page: 10, total: 25, total_pages: 3 });
    expect(res.json.data).toHaveLength(5);
    const past = await list('?per_page=100&page=2');
    expect(past.json.data).toEqual([]);
    expect(past.json.pagination).toEqual({ page: 2, per_page: 100, total: 25, total_pages: 1 });
  });

  it('filters by status, group and tag, together with paging', async () => {
    expect((await list('?status=offline')).json.pagination.total).toBe(3);
    expect((await list('?group=odd')).json.pagination.total).toBe(13);
    const tagged = await list('?tag=five');
    expect(tagged.json.data.map((p: { name: string }) => p.name)).toEqual(['P5', 'P10', 'P15', 'P20', 'P25']);
    const both = await list('?group=odd&tag=five&per_page=2');
    expect(both.json.data.map((p: { name: string }) => p.name)).toEqual(['P5', 'P15']);
    expect(both.json.pagination).toEqual({ page: 1, per_page: 2, total: 3, total_pages: 2 });
    expect((await list('?status=printing')).json).toEqual({
      data: [],
      pagination: { page: 1, per_page: 20, total: 0, total_pages: 0 },
    });
  });

  it('refuses bad paging and filter values with 400 naming each parameter', async () => {
    for (const [q, field] of [
      ['?per_page=101', 'per_page'],
      ['?per_page=0', 'per_page'],
      ['?page=0', 'page'],
      ['?page=-1', 'page'],
      ['?page=1.5', 'page'],
      ['?page=abc', 'page'],
      ['?status=busy', 'status'],
      ['?status=IDLE', 'status'],
      ['?status=idle&status=offline', 'status'],
    ] as const) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(Object.keys(res.json.error.details), q).toEqual([field]);
    }
  });
});

describe('printer actions', () => {
  const act = (id: string, action: string) => call(sb, sb.admin, 'POST', `/printers/${id}/actions`, { action });

  it('pauses a printing printer, resumes it and cancels it back to idle', async () => {
    const p = await create({ name: 'actor', status: 'printing' });
    expect((await act(p.id, 'pause')).json.status).toBe('paused');
    expect((await act(p.id, 'resume')).json.status).toBe('printing');
    const cancelled = await act(p.id, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ status: 'idle', current_job: null, progress: 0 });
  });

  it('answers an action that does not fit the state with 409 invalid_state', async () => {
    const idle = await create({ name: 'idle one' });
    for (const action of ['pause', 'resume', 'cancel']) {
      const res = await act(idle.id, action);
      expect(res.status, action).toBe(409);
      expect(res.json.error.code).toBe('invalid_state');
      expect(res.json.error.message).toContain('idle');
    }
    const printing = await create({ name: 'busy one', status: 'printing' });
    expect((await act(printing.id, 'home')).status).toBe(409);
    expect((await act(printing.id, 'cooldown')).status).toBe(409);
    const offline = await create({ name: 'gone one', status: 'offline' });
    expect((await act(offline.id, 'home')).status).toBe(409);
  });

  it('homes an idle printer and cools down a faulted one to ambient', async () => {
    const idle = await create({ name: 'homer' });
    expect((await act(idle.id, 'home')).json.status).toBe('idle');
    const hot = await create({ name: 'hot', status: 'error' });
    await call(sb, sb.admin, 'PATCH', `/printers/${hot.id}`, { temperatures: { hotend: 240, bed: 90 } });
    const cooled = await act(hot.id, 'cooldown');
    expect(cooled.json).toMatchObject({ status: 'error', temperatures: { hotend: 22, bed: 22 } });
  });

  it('refuses an unknown action with 400 and an unknown printer with 404', async () => {
    const p = await create({ name: 'x' });
    const bad = await act(p.id, 'explode');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.error.details)).toEqual(['action']);
    expect((await act('prt_missing', 'home')).status).toBe(404);
  });

  it('follows the action table for every status and action', () => {
    const fits: Record<string, string[]> = {
      pause: ['printing'],
      resume: ['paused'],
      cancel: ['printing', 'paused'],
      home: ['idle'],
      cooldown: ['idle', 'paused', 'error'],
    };
    for (const action of PRINTER_ACTIONS) {
      for (const status of PRINTER_STATUSES) {
        expect(applyPrinterAction(status, action).ok, `${action} while ${status}`).toBe(fits[action]!.includes(status));
      }
    }
  });
});

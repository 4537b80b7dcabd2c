/** spec/cloud-hub.md, "Registration": each test names the rule it pins. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubKey, publishPrinter, registerHub } from './hub-fixtures';
import { startSandbox, type Sandbox } from './server';
import { call, FakeClock, sandboxFor } from './test-support';

const clock = new FakeClock();
let sb: Sandbox & { admin: string };
let key: string;
beforeAll(async () => {
  sb = await sandboxFor({ now: clock.now, organization: 'Farm One' });
  key = hubKey(sb);
});
afterAll(() => sb.close());

describe('POST /hubs/register', () => {
  it('(real) answers 201 with the Hub when the hub_id is new: id, name, is_online, last_seen_at, firmware_version, printer_ids, created_at', async () => {
    const hubId = randomUUID();
    const res = await call(sb, key, 'POST', '/hubs/register', { hub_id: hubId, name: 'Room A' });
    expect(res.status).toBe(201);
    const at = new Date(clock.t).toISOString();
    expect(res.json).toEqual({
      id: hubId,
      name: 'Room A',
      is_online: false,
      last_seen_at: null,
      firmware_version: null,
      hardware_version: null,
      printer_ids: [],
      created_at: at,
      updated_at: at,
    });
  });

  it('(real) is idempotent for the same organization: 200 with the same hub, renamed when a name is given', async () => {
    const hubId = randomUUID();
    const first = await call(sb, key, 'POST', '/hubs/register', { hub_id: hubId, name: 'Room B' });
    const again = await call(sb, key, 'POST', '/hubs/register', { hub_id: hubId });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    const renamed = await call(sb, sb.admin, 'POST', '/hubs/register', { hub_id: hubId, name: 'Room B2' });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ id: hubId, name: 'Room B2', created_at: first.json.created_at });
  });

  it('(real) answers 409 already_registered when another organization owns the hub_id', async () => {
    const hubId = await registerHub(sb, key);
    const stranger = hubKey(sb, 'Farm Two');
    const res = await call(sb, stranger, 'POST', '/hubs/register', { hub_id: hubId, name: 'Mine now' });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('already_registered');
    expect((await call(sb, key, 'GET', `/hubs/${hubId}`)).json.name).toBe('Room A');
  });

  it('refuses a hub_id that is not a UUID v4, an empty name and unknown fields, naming each', async () => {
    const res = await call(sb, key, 'POST', '/hubs/register', { hub_id: 'hub-1', name: ' ', colour: 'red' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.details).sort()).toEqual(['colour', 'hub_id', 'name']);
  });

  it('needs printers:write', async () => {
    const reader = sb.createKey({ name: 'reader', scopes: ['printers:read'] }).key;
    const res = await call(sb, reader, 'POST', '/hubs/register', { hub_id: randomUUID() });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toBe('This API key lacks the required scope: printers:write');
  });
});

describe('GET /hubs and GET /hubs/:id (printers:read)', () => {
  it("lists the caller's organization's hubs only, and answers another organization's hub with 404", async () => {
    const other = hubKey(sb, 'Farm Three');
    const theirs = await registerHub(sb, other, 'Their room');
    const ours = await registerHub(sb, key, 'Our room');
    const list = await call(sb, key, 'GET', '/hubs?per_page=100');
    expect(list.status).toBe(200);
    const ids = list.json.data.map((h: { id: string }) => h.id);
    expect(ids).toContain(ours);
    expect(ids).not.toContain(theirs);
    expect((await call(sb, key, 'GET', `/hubs/${theirs}`)).status).toBe(404);
    expect((await call(sb, other, 'GET', '/hubs')).json.data.map((h: { id: string }) => h.id)).toEqual([theirs]);
  });

  it('needs printers:read', async () => {
    const jobsOnly = sb.createKey({ name: 'jobs', scopes: ['jobs:read'] }).key;
    expect((await call(sb, jobsOnly, 'GET', '/hubs')).status).toBe(403);
  });
});

describe('POST /printers with hub_id and local_id', () => {
  it("(ours) publishes a printer with hub_id, local_id and connection_type, listed in the hub's printer_ids", async () => {
    const hubId = await registerHub(sb, key);
    const p = await publishPrinter(sb, key, hubId, 'usb-1', { connection_type: 'usb', name: 'Ender' });
    expect(p).toMatchObject({ hub_id: hubId, local_id: 'usb-1', connection_type: 'usb', name: 'Ender', status: 'idle' });
    expect((await call(sb, key, 'GET', `/hubs/${hubId}`)).json.printer_ids).toEqual([p.id]);
  });

  it('(ours) is idempotent on (hub_id, local_id): publishing again answers 200 with the same printer, updated', async () => {
    const hubId = await registerHub(sb, key);
    const first = await call(sb, key, 'POST', '/printers', { name: 'A', model: 'MK4', hub_id: hubId, local_id: 'p1', connection_type: 'prusalink' });
    expect(first.status).toBe(201);
    const again = await call(sb, key, 'POST', '/printers', { name: 'A renamed', model: 'MK4S', hub_id: hubId, local_id: 'p1', connection_type: 'prusalink' });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, name: 'A renamed', model: 'MK4S' });
    expect((await call(sb, key, 'GET', `/hubs/${hubId}`)).json.printer_ids).toEqual([first.json.id]);
    // The same local id on another hub is another printer.
    const otherHub = await registerHub(sb, key);
    expect((await call(sb, key, 'POST', '/printers', { name: 'A', model: 'MK4', hub_id: otherHub, local_id: 'p1' })).status).toBe(201);
  });

  it('refuses hub_id without local_id (and the reverse), an unknown hub, and an unknown connection_type', async () => {
    const hubId = await registerHub(sb, key);
    const noLocal = await call(sb, key, 'POST', '/printers', { name: 'x', model: 'y', hub_id: hubId });
    expect(noLocal.json.error.details).toEqual({ local_id: 'a hub publishes a printer with both hub_id and local_id' });
    const noHub = await call(sb, key, 'POST', '/printers', { name: 'x', model: 'y', local_id: 'l' });
    expect(Object.keys(noHub.json.error.details)).toEqual(['hub_id']);
    const ghost = await call(sb, key, 'POST', '/printers', { name: 'x', model: 'y', hub_id: randomUUID(), local_id: 'l' });
    expect(ghost.json.error.details).toEqual({ hub_id: 'no hub with this id' });
    const kind = await call(sb, key, 'POST', '/printers', { name: 'x', model: 'y', hub_id: hubId, local_id: 'l', connection_type: 'serial' });
    expect(Object.keys(kind.json.error.details)).toEqual(['connection_type']);
  });

  it("refuses to publish on another organization's hub", async () => {
    const theirs = await registerHub(sb, hubKey(sb, 'Farm Four'));
    const res = await call(sb, key, 'POST', '/printers', { name: 'x', model: 'y', hub_id: theirs, local_id: 'l' });
    expect(res.json.error.details).toEqual({ hub_id: 'no hub with this id' });
  });
});

describe('DELETE /hubs/:id (printers:write)', () => {
  it('unlinks the hub: 204, then 404; its printers stay, offline, and come back when it registers again', async () => {
    const hubId = await registerHub(sb, key);
    const p = await publishPrinter(sb, key, hubId, 'keep');
    expect((await call(sb, key, 'DELETE', `/hubs/${hubId}`)).status).toBe(204);
    expect((await call(sb, key, 'GET', `/hubs/${hubId}`)).status).toBe(404);
    expect((await call(sb, key, 'DELETE', `/hubs/${hubId}`)).status).toBe(404);
    expect((await call(sb, key, 'GET', `/printers/${p.id}`)).json).toMatchObject({ hub_id: hubId, status: 'offline' });
    await call(sb, key, 'POST', '/hubs/register', { hub_id: hubId, name: 'Back' });
    expect((await call(sb, key, 'GET', `/hubs/${hubId}`)).json.printer_ids).toEqual([p.id]);
  });
});

describe('persistence', () => {
  it('keeps hubs, published printers and the organization rule across a restart on the same database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apf-sandbox-'));
    try {
      const dbFile = join(dir, 'cloud.db');
      const first = await startSandbox({ dbFile });
      const k = hubKey(first);
      const stranger = hubKey(first, 'Elsewhere');
      const hubId = await registerHub(first, k, 'Persisted');
      const p = await publishPrinter(first, k, hubId, 'p1');
      await first.close();

      const second = await startSandbox({ dbFile });
      try {
        expect(second.adminKey).toBeNull();
        const hub = await call(second, k, 'GET', `/hubs/${hubId}`);
        expect(hub.json).toMatchObject({ id: hubId, name: 'Persisted', is_online: false, printer_ids: [p.id] });
        expect((await call(second, k, 'POST', '/hubs/register', { hub_id: hubId })).status).toBe(200);
        expect((await call(second, stranger, 'POST', '/hubs/register', { hub_id: hubId })).status).toBe(409);
        const again = await call(second, k, 'POST', '/printers', { name: 'x', model: 'MK4', hub_id: hubId, local_id: 'p1' });
        expect(again.status).toBe(200);
        expect(again.json.id).toBe(p.id);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

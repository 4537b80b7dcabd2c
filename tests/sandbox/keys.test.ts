import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { firstUnheldScope, grantCovers, holdsScope } from './scopes';
import type { Sandbox } from './server';
import { call, FakeClock, INVALID_KEY, sandboxFor } from './test-support';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('key management', () => {
  const clock = new FakeClock();
  let sb: Sandbox & { admin: string };
  beforeAll(async () => {
    sb = await sandboxFor({ now: clock.now });
  });
  afterAll(() => sb.close());

  it('creates a key with 201, shows the full key once and inherits the caller prefix', async () => {
    const res = await call(sb, sb.admin, 'POST', '/api-keys', {
      name: 'Job Manager',
      scopes: ['jobs:read', 'jobs:write', 'printers:read'],
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^key_/),
      name: 'Job Manager',
      scopes: ['jobs:read', 'jobs:write', 'printers:read'],
      created_at: new Date(clock.t).toISOString(),
      last_used_at: null,
      prefix: 'apf_dev_',
      last4: res.json.key.slice(-4),
      request_count: 0,
      expires_at: null,
      key: expect.stringMatching(/^apf_dev_[0-9a-f]{64}$/),
    });
    expect((await call(sb, res.json.key, 'GET', '/auth/test')).json.key_id).toBe(res.json.id);
  });

  it('never returns a full key from the list or /current', async () => {
    const created = await call(sb, sb.admin, 'POST', '/api-keys', { name: 'secretive', scopes: ['jobs:read'] });
    const list = await call(sb, sb.admin, 'GET', '/api-keys');
    const current = await call(sb, created.json.key, 'GET', '/api-keys/current');
    for (const text of [list.text, current.text]) {
      expect(text).not.toContain(created.json.key);
      expect(text).not.toContain(sb.admin);
      expect(text).not.toMatch(/apf_(live|test|dev)_[0-9a-f]{8}/);
    }
  });

  it('answers /api-keys/current with exactly the seed fields', async () => {
    const k = sb.createKey({ name: 'Production Server', scopes: ['printers:*', 'jobs:*'] });
    const res = await call(sb, k.key, 'GET', '/api-keys/current');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      id: k.id,
      name: 'Production Server',
      scopes: ['printers:*', 'jobs:*'],
      created_at: new Date(clock.t).toISOString(),
      last_used_at: new Date(clock.t).toISOString(),
    });
  });

  it('updates last_used_at and request_count on every authenticated request', async () => {
    const k = sb.createKey({ name: 'counter', scopes: ['printers:read'] });
    const entry = async () => (await call(sb, sb.admin, 'GET', '/api-keys')).json.keys.find((x: { id: string }) => x.id === k.id);
    expect(await entry()).toMatchObject({ last_used_at: null, request_count: 0 });
    await call(sb, k.key, 'GET', '/auth/test');
    clock.advance(5000);
    await call(sb, k.key, 'GET', '/printers');
    // A 403 is still an authenticated request.
    await call(sb, k.key, 'GET', '/jobs');
    expect(await entry()).toMatchObject({ last_used_at: new Date(clock.t).toISOString(), request_count: 3 });
  });

  it('lists every key with prefix, last4, request_count and expires_at', async () => {
    const k = sb.createKey({ name: 'listed', scopes: ['analytics:read'], prefix: 'apf_test_' });
    const res = await call(sb, sb.admin, 'GET', '/api-keys');
    expect(res.status).toBe(200);
    const item = res.json.keys.find((x: { id: string }) => x.id === k.id);
    expect(item).toEqual({
      id: k.id,
      name: 'listed',
      scopes: ['analytics:read'],
      created_at: expect.any(String),
      last_used_at: null,
      prefix: 'apf_test_',
      last4: k.key.slice(-4),
      request_count: 0,
      expires_at: null,
    });
    expect(k.key).toMatch(/^apf_test_[0-9a-f]{64}$/);
  });

  it('deletes a key with 204 and answers a second delete with 404', async () => {
    const k = sb.createKey({ name: 'gone', scopes: ['jobs:read'] });
    const del = await call(sb, sb.admin, 'DELETE', `/api-keys/${k.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const again = await call(sb, sb.admin, 'DELETE', `/api-keys/${k.id}`);
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe('not_found');
    expect((await call(sb, sb.admin, 'GET', '/api-keys')).json.keys.map((x: { id: string }) => x.id)).not.toContain(k.id);
  });

  it('lets a key delete itself, after which it is refused', async () => {
    const k = sb.createKey({ name: 'self-destruct', scopes: ['admin:*'] });
    expect((await call(sb, k.key, 'DELETE', `/api-keys/${k.id}`)).status).toBe(204);
    expect((await call(sb, k.key, 'GET', '/auth/test')).status).toBe(401);
  });
});

describe('rolling a key', () => {
  const clock = new FakeClock();
  let sb: Sandbox & { admin: string };
  beforeAll(async () => {
    sb = await sandboxFor({ now: clock.now });
  });
  afterAll(() => sb.close());

  it('issues a working successor and keeps the old key valid until exactly 24 hours after the roll', async () => {
    const old = sb.createKey({ name: 'Production Server', scopes: ['printers:*'], prefix: 'apf_live_' });
    const rolledAt = clock.t;
    const roll = await call(sb, sb.admin, 'POST', `/api-keys/${old.id}/roll`);
    expect(roll.status).toBe(201);
    expect(roll.json).toMatchObject({
      name: 'Production Server',
      scopes: ['printers:*'],
      prefix: 'apf_live_',
      expires_at: null,
      key: expect.stringMatching(/^apf_live_[0-9a-f]{64}$/),
    });
    expect(roll.json.id).not.toBe(old.id);
    expect((await call(sb, roll.json.key, 'GET', '/auth/test')).status).toBe(200);

    const listed = (await call(sb, sb.admin, 'GET', '/api-keys')).json.keys.find((k: { id: string }) => k.id === old.id);
    expect(listed.expires_at).toBe(new Date(rolledAt + DAY).toISOString());

    clock.t = rolledAt + DAY - 1000;
    expect((await call(sb, old.key, 'GET', '/auth/test')).status).toBe(200);
    clock.t = rolledAt + DAY - 1;
    expect((await call(sb, old.key, 'GET', '/auth/test')).status).toBe(200);
    clock.t = rolledAt + DAY;
    expect((await call(sb, old.key, 'GET', '/auth/test')).status).toBe(401);
    clock.t = rolledAt + DAY + 1000;
    const late = await call(sb, old.key, 'GET', '/auth/test');
    expect(late.status).toBe(401);
    expect(late.text).toBe(INVALID_KEY);
    expect((await call(sb, roll.json.key, 'GET', '/auth/test')).status).toBe(200);
  });

  it('refuses to roll a key twice with 409 invalid_state', async () => {
    const k = sb.createKey({ name: 'twice', scopes: ['jobs:read'] });
    expect((await call(sb, sb.admin, 'POST', `/api-keys/${k.id}/roll`)).status).toBe(201);
    const again = await call(sb, sb.admin, 'POST', `/api-keys/${k.id}/roll`);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('invalid_state');
  });

  it('answers a roll of an unknown key with 404', async () => {
    const res = await call(sb, sb.admin, 'POST', '/api-keys/key_nope/roll');
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('not_found');
  });

  it('lets a delete end the grace period of a rolled key at once', async () => {
    const k = sb.createKey({ name: 'grace', scopes: ['jobs:read'] });
    expect((await call(sb, sb.admin, 'POST', `/api-keys/${k.id}/roll`)).status).toBe(201);
    expect((await call(sb, k.key, 'GET', '/auth/test')).status).toBe(200);
    expect((await call(sb, sb.admin, 'DELETE', `/api-keys/${k.id}`)).status).toBe(204);
    expect((await call(sb, k.key, 'GET', '/auth/test')).status).toBe(401);
  });
});

describe('scopes', () => {
  let sb: Sandbox & { admin: string };
  beforeAll(async () => {
    sb = await sandboxFor();
  });
  afterAll(() => sb.close());

  const forbidden = (scope: string) => `{"error":{"code":"insufficient_permissions","message":"This API key lacks the required scope: ${scope}"}}`;

  it('answers a read-only key trying to write with the exact 403 naming printers:write', async () => {
    const k = sb.createKey({ name: 'reader', scopes: ['printers:read'] });
    expect((await call(sb, k.key, 'GET', '/printers')).status).toBe(200);
    const res = await call(sb, k.key, 'POST', '/printers', { name: 'P', model: 'M' });
    expect(res.status).toBe(403);
    expect(res.text).toBe(forbidden('printers:write'));
  });

  it('lets printers:* read and write printers but not read jobs', async () => {
    const k = sb.createKey({ name: 'printers', scopes: ['printers:*'] });
    expect((await call(sb, k.key, 'GET', '/printers')).status).toBe(200);
    expect((await call(sb, k.key, 'POST', '/printers', { name: 'P', model: 'M' })).status).toBe(201);
    const jobs = await call(sb, k.key, 'GET', '/jobs');
    expect(jobs.status).toBe(403);
    expect(jobs.text).toBe(forbidden('jobs:read'));
  });

  it('lets admin:* use every endpoint', async () => {
    for (const [method, path, body] of [
      ['GET', '/printers'],
      ['POST', '/printers', { name: 'P', model: 'M' }],
      ['GET', '/jobs'],
      ['POST', '/jobs', { name: 'J', file_url: 'https://cdn.example/a.gcode' }],
      ['GET', '/api-keys'],
    ] as const) {
      expect((await call(sb, sb.admin, method, path, body)).status).toBeLessThan(300);
    }
  });

  it('lets any valid key call /auth/test and /api-keys/current but not key management', async () => {
    const k = sb.createKey({ name: 'plain', scopes: ['jobs:read'] });
    expect((await call(sb, k.key, 'GET', '/auth/test')).status).toBe(200);
    expect((await call(sb, k.key, 'GET', '/api-keys/current')).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/api-keys'],
      ['DELETE', `/api-keys/${k.id}`],
      ['POST', `/api-keys/${k.id}/roll`],
    ] as const) {
      const res = await call(sb, k.key, method, path);
      expect(res.status).toBe(403);
      expect(res.text).toBe(forbidden('admin:*'));
    }
  });

  it('refuses a key minting a key with scopes it does not hold (escalation)', async () => {
    const k = sb.createKey({ name: 'jobs only', scopes: ['jobs:*'] });
    for (const scopes of [['admin:*'], ['printers:write'], ['jobs:read']]) {
      const res = await call(sb, k.key, 'POST', '/api-keys', { name: 'escalated', scopes });
      expect(res.status).toBe(403);
      expect(res.text).toBe(forbidden('admin:*'));
    }
    const names = (await call(sb, sb.admin, 'GET', '/api-keys')).json.keys.map((x: { name: string }) => x.name);
    expect(names).not.toContain('escalated');
  });

  it('refuses unknown and wrong-case scopes on create with 400 details naming each', async () => {
    const res = await call(sb, sb.admin, 'POST', '/api-keys', {
      name: 'typos',
      scopes: ['printers:read', 'Printers:Read', 'printers:delete', '*', '*:*', 'printers:*:x', 'ADMIN:*'],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(Object.keys(res.json.error.details)).toEqual(['scopes[1]', 'scopes[2]', 'scopes[3]', 'scopes[4]', 'scopes[5]', 'scopes[6]']);
    expect(res.json.error.details['scopes[1]']).toContain('printers:read');
    expect(res.json.error.details['scopes[6]']).toContain('admin:*');
  });

  it('refuses a create body with a missing name, no scopes or unknown fields', async () => {
    const res = await call(sb, sb.admin, 'POST', '/api-keys', { name: '  ', scopes: [], role: 'owner' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.details).sort()).toEqual(['name', 'role', 'scopes']);
  });

  it('rejects an unknown scope in the createKey test helper', () => {
    expect(() => sb.createKey({ name: 'x', scopes: ['printers:Read'] })).toThrow(/printers:Read/);
  });
});

describe('scope rules', () => {
  it('covers an action by itself, its resource wildcard or admin:*', () => {
    expect(grantCovers('printers:write', 'printers:write')).toBe(true);
    expect(grantCovers('printers:*', 'printers:write')).toBe(true);
    expect(grantCovers('admin:*', 'webhooks:write')).toBe(true);
    expect(grantCovers('printers:*', 'jobs:read')).toBe(false);
    expect(grantCovers('printers:read', 'printers:write')).toBe(false);
    expect(grantCovers('jobs:*', 'admin:*')).toBe(false);
    expect(holdsScope(['jobs:read', 'printers:*'], 'printers:read')).toBe(true);
  });

  it('names the first requested scope the holder does not cover', () => {
    expect(firstUnheldScope(['printers:*'], ['printers:read', 'jobs:read'])).toBe('jobs:read');
    expect(firstUnheldScope(['printers:read', 'printers:write'], ['printers:*'])).toBe('printers:*');
    expect(firstUnheldScope(['jobs:*'], ['admin:*'])).toBe('admin:*');
    expect(firstUnheldScope(['admin:*'], ['admin:*', 'printers:*'])).toBeNull();
    expect(firstUnheldScope(['printers:*'], ['printers:read', 'printers:*'])).toBeNull();
  });
});

describe('keys at rest', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps no plaintext key in the database file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-sandbox-'));
    const sb = await sandboxFor({ dbFile: join(dir, 'sandbox.db') });
    const minted = sb.createKey({ name: 'x', scopes: ['jobs:read'] });
    const rolled = await call(sb, sb.admin, 'POST', `/api-keys/${minted.id}/roll`);
    await sb.close();
    const bytes = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('');
    expect(bytes.length).toBeGreaterThan(0);
    for (const key of [sb.admin, minted.key, rolled.json.key as string]) {
      expect(bytes).not.toContain(key);
      expect(bytes).not.toContain(key.slice(8, 40));
    }
  });

  it('shows the first admin key only on the start that created the database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-sandbox-'));
    const file = join(dir, 'sandbox.db');
    const first = await sandboxFor({ dbFile: file, adminKeyPrefix: 'apf_test_' });
    expect(first.admin).toMatch(/^apf_test_[0-9a-f]{64}$/);
    await first.close();
    const second = await startSandboxAgain(file);
    expect(second.adminKey).toBeNull();
    expect((await call(second, first.admin, 'GET', '/auth/test')).status).toBe(200);
    await second.close();
  });
});

async function startSandboxAgain(dbFile: string) {
  const { startSandbox } = await import('./server');
  return startSandbox({ dbFile });
}

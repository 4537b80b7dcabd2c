/**
 * spec/cloud-hub.md, "The hub socket": the upgrade gate, hello/welcome, close codes and the heartbeat.
 * Time limits are injected (hello 300 ms, silence 600 ms) so no test waits the real 10 s or 60 s.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSocketRefused, HubTestClient } from '../support/hub-test-client';
import { eventually, hubKey, publishPrinter, registerHub } from './hub-fixtures';
import type { Sandbox } from './server';
import { call, INVALID_KEY, sandboxFor } from './test-support';

const HELLO_MS = 300;
const SILENCE_MS = 600;
const logLines: string[] = [];
let sb: Sandbox & { admin: string };
let key: string;
beforeAll(async () => {
  sb = await sandboxFor({
    organization: 'Socket Farm',
    hubTimings: { helloTimeoutMs: HELLO_MS, silenceLimitMs: SILENCE_MS },
    log: (line) => logLines.push(line),
  });
  key = hubKey(sb);
});
afterAll(() => sb.close());

const open = (hubId: string, k: string | null = key) => HubTestClient.open({ apiUrl: sb.url, hubId, key: k });
const refusal = async (hubId: string, k: string | null) => {
  const err = await open(hubId, k).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HubSocketRefused);
  return err as HubSocketRefused;
};
const hub = async (id: string) => (await call(sb, key, 'GET', `/hubs/${id}`)).json;

describe('upgrade: Authorization: Bearer checked before any upgrade (ours)', () => {
  it('answers a missing, unknown or malformed key with the REST 401 body and no upgrade', async () => {
    const hubId = await registerHub(sb, key);
    for (const k of [null, 'apf_dev_' + '0'.repeat(64), 'not-a-key']) {
      const err = await refusal(hubId, k);
      expect(err.status).toBe(401);
      expect(err.body).toBe(INVALID_KEY);
      expect(err.headers['x-ratelimit-limit']).toBeDefined();
    }
  });

  it('needs printers:write and jobs:write: 403 with the REST body naming the missing scope', async () => {
    const hubId = await registerHub(sb, key);
    const noJobs = sb.createKey({ name: 'p', scopes: ['printers:write', 'jobs:read'] }).key;
    const noPrinters = sb.createKey({ name: 'j', scopes: ['printers:read', 'jobs:write'] }).key;
    const a = await refusal(hubId, noJobs);
    expect(a.status).toBe(403);
    expect(JSON.parse(a.body)).toEqual({
      error: { code: 'insufficient_permissions', message: 'This API key lacks the required scope: jobs:write' },
    });
    const b = await refusal(hubId, noPrinters);
    expect(JSON.parse(b.body).error.message).toBe('This API key lacks the required scope: printers:write');
    const wildcard = sb.createKey({ name: 'w', scopes: ['printers:*', 'jobs:*'] }).key;
    const ok = await open(hubId, wildcard);
    await ok.close();
  });

  it('answers an upgrade on another path with 404 (after the key check, as REST does)', async () => {
    const ws = (path: string, k: string | null) =>
      HubTestClient.open({ apiUrl: `${sb.url}${path}`, hubId: 'x', key: k }).then(
        () => null,
        (e: HubSocketRefused) => e.status,
      );
    expect(await ws('/nothing', key)).toBe(404);
    expect(await ws('/nothing', null)).toBe(401);
  });
});

describe('hub_hello and hub_welcome (real)', () => {
  it('answers hub_hello with hub_welcome { hub_id, hub_name, organization, server_time } and marks the hub online', async () => {
    const hubId = await registerHub(sb, key, 'Welcome room');
    const client = await open(hubId);
    client.hello({ firmware_version: '0.1.0', hardware_version: 'desktop-linux', mac_address: '02:00:00:00:00:01' });
    const welcome = await client.next('hub_welcome');
    expect(welcome).toEqual({
      type: 'hub_welcome',
      hub_id: hubId,
      hub_name: 'Welcome room',
      organization: 'Socket Farm',
      server_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(await hub(hubId)).toMatchObject({ is_online: true, firmware_version: '0.1.0', hardware_version: 'desktop-linux' });
    expect((await hub(hubId)).last_seen_at).not.toBeNull();
    expect(sb.connectedHubs()).toContain(hubId);
    await client.close();
    await eventually(
      () => hub(hubId),
      (h) => h.is_online === false,
    );
  });

  it('closes 4001 when no hub_hello arrives within the hello limit (10 s real; injected here)', async () => {
    const hubId = await registerHub(sb, key);
    const client = await open(hubId);
    const closed = await client.closed;
    expect(closed.code).toBe(4001);
    expect(closed.reason).toContain('hub_hello');
    expect((await hub(hubId)).is_online).toBe(false);
  });

  it('closes 4003 when hub_hello names another hub than the path', async () => {
    const hubId = await registerHub(sb, key);
    const other = await registerHub(sb, key);
    const client = await open(hubId);
    client.hello({ hub_id: other });
    expect((await client.closed).code).toBe(4003);
    expect((await hub(hubId)).is_online).toBe(false);
    expect((await hub(other)).is_online).toBe(false);
  });

  it('closes 4004 for an unknown hub, and for a hub of another organization', async () => {
    const unknown = await open(randomUUID());
    expect((await unknown.closed).code).toBe(4004);
    const theirs = await registerHub(sb, hubKey(sb, 'Other Farm'));
    const client = await open(theirs);
    expect((await client.closed).code).toBe(4004);
  });

  it('answers anything sent before hub_hello with error hello_first and stays open for the hello', async () => {
    const hubId = await registerHub(sb, key);
    const client = await open(hubId);
    client.send({ type: 'printer_status', printer_id: 'prt_x', status: 'idle' });
    expect(await client.next('error')).toMatchObject({ code: 'hello_first' });
    client.hello();
    await client.next('hub_welcome');
    await client.close();
  });

  it('answers a hub_hello without firmware_version with error invalid_message naming it', async () => {
    const hubId = await registerHub(sb, key);
    const client = await open(hubId);
    client.send({ type: 'hub_hello', hub_id: hubId });
    expect((await client.next('error')).message).toContain('firmware_version');
    await client.close();
  });
});

describe('heartbeat (real): the hub pings; 60 s of silence is offline, close 4002', () => {
  it('keeps a hub that pings online past the silence limit, closes 4002 once it stops, and marks it and its printers offline', async () => {
    const hubId = await registerHub(sb, key);
    const printer = await publishPrinter(sb, key, hubId, 'p1');
    const client = await HubTestClient.connect({ apiUrl: sb.url, hubId, key });
    client.send({ type: 'printer_status', printer_id: printer.id, status: 'idle' });
    const pinger = setInterval(() => client.ping(), SILENCE_MS / 6);
    await new Promise((r) => setTimeout(r, SILENCE_MS * 3));
    clearInterval(pinger);
    expect((await hub(hubId)).is_online).toBe(true);
    const closed = await client.closed;
    expect(closed.code).toBe(4002);
    expect((await hub(hubId)).is_online).toBe(false);
    expect((await call(sb, key, 'GET', `/printers/${printer.id}`)).json.status).toBe('offline');
  });

  it('counts any message as a sign of life, and moves last_seen_at', async () => {
    const hubId = await registerHub(sb, key);
    const client = await HubTestClient.connect({ apiUrl: sb.url, hubId, key });
    const seen = (await hub(hubId)).last_seen_at;
    await new Promise((r) => setTimeout(r, 20));
    client.send({ type: 'printer_discovered', printers: [] });
    await eventually(
      () => hub(hubId),
      (h) => h.last_seen_at > seen,
    );
    await client.close();
  });
});

describe('the socket while it is open', () => {
  it('(real) DELETE /hubs/:id closes its socket with 4004', async () => {
    const hubId = await registerHub(sb, key);
    const client = await HubTestClient.connect({ apiUrl: sb.url, hubId, key });
    expect((await call(sb, key, 'DELETE', `/hubs/${hubId}`)).status).toBe(204);
    expect((await client.closed).code).toBe(4004);
  });

  it('(ours) a second socket for the same hub takes over; the first is closed 4009 and the hub stays online', async () => {
    const hubId = await registerHub(sb, key);
    const first = await HubTestClient.connect({ apiUrl: sb.url, hubId, key });
    const second = await HubTestClient.connect({ apiUrl: sb.url, hubId, key });
    expect((await first.closed).code).toBe(4009);
    expect((await hub(hubId)).is_online).toBe(true);
    await second.close();
  });

  it('(ours) a key deleted while the socket is open ends it at the next frame: error invalid_api_key, close 4401', async () => {
    const k = hubKey(sb);
    const hubId = await registerHub(sb, k);
    const client = await HubTestClient.connect({ apiUrl: sb.url, hubId, key: k });
    const keyId = (await call(sb, k, 'GET', '/api-keys/current')).json.id;
    expect((await call(sb, sb.admin, 'DELETE', `/api-keys/${keyId}`)).status).toBe(204);
    client.ping();
    expect(await client.next('error')).toMatchObject({ code: 'invalid_api_key' });
    expect((await client.closed).code).toBe(4401);
    expect((await hub(hubId)).is_online).toBe(false);
  });

  it('(real) ignores unknown message types and logs each type once; the socket stays open', async () => {
    const hubId = await registerHub(sb, key);
    const client = await HubTestClient.connect({ apiUrl: sb.url, hubId, key });
    client.send({ type: 'hub_selfie' });
    client.send({ type: 'hub_selfie' });
    client.send({ type: 'printer_discovered', printers: [{ ip_address: '192.168.1.9', kind: 'octoprint' }] });
    await eventually(
      () => call(sb, key, 'GET', `/hubs/${hubId}/discovered`),
      (r) => r.json.printers.length === 1,
    );
    expect(logLines.filter((l) => l.includes(hubId) && l.includes('hub_selfie'))).toHaveLength(1);
    expect(client.all('error')).toEqual([]);
    await client.close();
  });

  it('answers a frame that is not a JSON object with a type with error invalid_message and stays open', async () => {
    const hubId = await registerHub(sb, key);
    const client = await HubTestClient.connect({ apiUrl: sb.url, hubId, key });
    for (const text of ['not json', '[1,2]', '{"no":"type"}']) {
      client.sendRaw(text);
      expect((await client.next('error')).code, text).toBe('invalid_message');
    }
    client.send({ type: 'printer_discovered', printers: [] });
    await eventually(
      () => call(sb, key, 'GET', `/hubs/${hubId}/discovered`),
      (r) => r.json.reported_at !== null,
    );
    await client.close();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { hubIdOf } from '../../../electron/core/hub/hub-identity';
import { HubLink, type HubLinkState, type HubMessage } from '../../../electron/core/hub/hub-link';
import { HubOutbox } from '../../../electron/core/hub/outbox';
import { OutboxDelivery } from '../../../electron/core/hub/outbox-delivery';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { openDatabase, type Db } from '../../../electron/core/store/database';

/**
 * The hub's link against a minimal cloud socket written here from cloud-hub.md ("The hub socket"): Bearer key
 * checked before the upgrade, hub_hello → hub_welcome, close codes. The sandbox's own socket has its tests.
 */
interface FakeCloud {
  url: string;
  hubId: string;
  received: HubMessage[];
  sockets: WebSocket[];
  /** What the next upgrade gets: accepted, or an HTTP refusal. */
  refuseWith: number | null;
  welcome: boolean;
  autoAck: boolean;
  close(): Promise<void>;
}

async function fakeCloud(hubId: string, key: string | ((authorization: string | undefined) => boolean) = 'apf_test_key'): Promise<FakeCloud> {
  const accepts = typeof key === 'string' ? (a: string | undefined) => a === `Bearer ${key}` : key;
  const server: Server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const cloud: FakeCloud = {
    url: '',
    hubId,
    received: [],
    sockets: [],
    refuseWith: null,
    welcome: true,
    autoAck: true,
    close: async () => {
      for (const s of cloud.sockets) s.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  server.on('upgrade', (req, socket, head) => {
    const status = !accepts(req.headers.authorization) ? 401 : cloud.refuseWith;
    if (status) {
      const body = JSON.stringify({
        error: { code: status === 401 ? 'unauthorized' : 'forbidden', message: status === 401 ? 'The API key is invalid or revoked.' : 'The key lacks jobs:write.' },
      });
      socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      cloud.sockets.push(ws);
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as HubMessage;
        cloud.received.push(m);
        if (m.type === 'hub_hello' && cloud.welcome)
          ws.send(JSON.stringify({ type: 'hub_welcome', hub_id: m.hub_id, hub_name: 'Room A', organization: 'Sandbox Farm', server_time: new Date().toISOString() }));
        if (m.type === 'job_event' && cloud.autoAck) ws.send(JSON.stringify({ type: 'job_event_ack', event_id: m.event_id }));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cloud.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ws/hub/${hubId}`;
  return cloud;
}

const until = async (what: string, ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function link(cloud: FakeCloud, key = 'apf_test_key', extra: Partial<ConstructorParameters<typeof HubLink>[0]> = {}) {
  const l = new HubLink({
    url: cloud.url,
    hubId: cloud.hubId,
    credential: async () => key,
    firmwareVersion: '0.1.0',
    hardwareVersion: 'desktop-linux',
    backoff: { initialMs: 20, maxMs: 50 },
    ...extra,
  });
  const states: HubLinkState[] = [];
  l.events.on('state', (s) => states.push(s));
  cleanups.push(() => l.stop());
  return { l, states };
}

function outboxDb(): { db: Db; outbox: HubOutbox } {
  const dir = mkdtempSync(join(tmpdir(), 'apf-hub-'));
  const db = openDatabase(dir);
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, outbox: new HubOutbox(db, () => Date.now()) };
}

describe('the hub identity', () => {
  it('is made once and kept, so the cloud sees the same hub after a restart', () => {
    const settings = createMemorySettingsStore();
    const id = hubIdOf(settings);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(hubIdOf(settings)).toBe(id);
    settings.set('hub.id', 'not-a-uuid');
    expect(hubIdOf(settings)).not.toBe('not-a-uuid');
  });
});

describe('the hub link', () => {
  it('says hub_hello with its id and version, and is connected once the cloud welcomes it', async () => {
    const cloud = await fakeCloud('0b7c9f64-1d2e-4a3b-8c4d-5e6f7a8b9c0d');
    cleanups.push(() => cloud.close());
    const { l } = link(cloud);
    l.start();
    await until('welcome', () => l.state().kind === 'connected');
    expect(cloud.received[0]).toEqual({ type: 'hub_hello', hub_id: cloud.hubId, firmware_version: '0.1.0', hardware_version: 'desktop-linux' });
    expect(l.state()).toMatchObject({ kind: 'connected', hubName: 'Room A', organization: 'Sandbox Farm' });
  });

  it('reconnects with backoff when the connection drops, and forever', async () => {
    const cloud = await fakeCloud('0b7c9f64-1d2e-4a3b-8c4d-5e6f7a8b9c0d');
    cleanups.push(() => cloud.close());
    const { l, states } = link(cloud);
    l.start();
    for (let drop = 0; drop < 5; drop++) {
      await until('connected', () => l.state().kind === 'connected');
      cloud.sockets.at(-1)!.terminate();
      await until('offline', () => l.state().kind !== 'connected');
    }
    await until('connected again', () => l.state().kind === 'connected');
    expect(states.filter((s) => s.kind === 'offline').length).toBeGreaterThanOrEqual(5);
  });

  it('stops, saying why, when the cloud refuses its key before the upgrade (401), and does not knock again', async () => {
    const cloud = await fakeCloud('0b7c9f64-1d2e-4a3b-8c4d-5e6f7a8b9c0d');
    cleanups.push(() => cloud.close());
    const { l } = link(cloud, 'apf_revoked');
    l.start();
    await until('refused', () => l.state().kind === 'refused');
    expect(l.state()).toMatchObject({ reason: expect.stringContaining('HTTP 401: The API key is invalid or revoked.') });
    await new Promise((r) => setTimeout(r, 150));
    expect(cloud.sockets).toHaveLength(0);
    expect(l.state().kind).toBe('refused');
  });

  it('reconnects at once with a fresh sign-in token when the cloud ends the socket because its token expired (4401)', async () => {
    const seen: string[] = [];
    const cloud = await fakeCloud('0b7c9f64-1d2e-4a3b-8c4d-5e6f7a8b9c0d', (auth) => (seen.push(auth ?? ''), /^Bearer tok-\d$/.test(auth ?? '')));
    cleanups.push(() => cloud.close());
    let token = 'tok-1';
    const { l } = link(cloud, 'unused', { credential: async () => token });
    l.start();
    await until('connected', () => l.state().kind === 'connected');
    token = 'tok-2'; // the app refreshed its sign-in
    cloud.sockets[0]!.close(4401, 'the access token has expired');
    await until('connected again', () => cloud.sockets.length === 2 && l.state().kind === 'connected');
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('stops, saying why, when the cloud ends the socket because its key was deleted (4401) and the app has no other', async () => {
    const cloud = await fakeCloud('0b7c9f64-1d2e-4a3b-8c4d-5e6f7a8b9c0d');
    cleanups.push(() => cloud.close());
    const { l } = link(cloud);
    l.start();
    await until('connected', () => l.state().kind === 'connected');
    cloud.sockets[0]!.close(4401, 'the API key was deleted');
    await until('refused', () => l.state().kind === 'refused');
    expect(l.state()).toMatchObject({ reason: expect.stringContaining('revoked or has expired') });
    await new Promise((r) => setTimeout(r, 150));
    expect(cloud.sockets).toHaveLength(1);
  });

  it('stops as unlinked when the cloud closes with 4004 (the hub was removed)', async () => {
    const cloud = await fakeCloud('0b7c9f64-1d2e-4a3b-8c4d-5e6f7a8b9c0d');
    cleanups.push(() => cloud.close());
    const { l } = link(cloud);
    l.start();
    await until('connected', () => l.state().kind === 'connected');
    cloud.sockets[0]!.close(4004, 'hub unlinked');
    await until('unlinked', () => l.state().kind === 'unlinked');
    expect(l.state()).toMatchObject({ reason: expect.stringContaining('(hub unlinked)') });
  });

  it('takes a silent cloud for dead and reconnects', async () => {
    const cloud = await fakeCloud('0b7c9f64-1d2e-4a3b-8c4d-5e6f7a8b9c0d');
    cleanups.push(() => cloud.close());
    const { l, states } = link(cloud, 'apf_test_key', { pingMs: 20, silenceMs: 60 });
    l.start();
    await until('connected', () => l.state().kind === 'connected');
    cloud.sockets[0]!.pause(); // reads nothing, answers no ping
    await until('offline', () => states.some((s) => s.kind === 'offline' && /stopped answering/.test(s.reason)));
    await until('connected again', () => l.state().kind === 'connected' && cloud.sockets.length === 2);
  });
});

describe('the outbox', () => {
  it('delivers job events in order, keeps each until the cloud acknowledges it, and sends again after a reconnect', async () => {
    const cloud = await fakeCloud('0b7c9f64-1d2e-4a3b-8c4d-5e6f7a8b9c0d');
    cleanups.push(() => cloud.close());
    cloud.autoAck = false;
    const { outbox } = outboxDb();
    const { l } = link(cloud);
    const delivery = new OutboxDelivery(l, outbox);
    cleanups.push(() => delivery.close());
    // Offline: events are kept.
    // As the hub queues them: committed to the outbox first, then handed to delivery.
    const ids = [1, 2, 3].map((n) => outbox.add({ type: 'job_event', job_id: `job-${n}`, status: 'printing' }).eventId);
    delivery.pump();
    expect(outbox.depth()).toBe(3);
    l.start();
    await until('three sent', () => cloud.received.filter((m) => m.type === 'job_event').length === 3);
    expect(cloud.received.filter((m) => m.type === 'job_event').map((m) => m.event_id)).toEqual(ids);
    // Not acknowledged, the connection drops: all three go again, in order, and still nothing is lost.
    cloud.sockets[0]!.terminate();
    await until('sent again', () => cloud.received.filter((m) => m.type === 'job_event').length === 6);
    expect(
      cloud.received
        .filter((m) => m.type === 'job_event')
        .slice(3)
        .map((m) => m.event_id),
    ).toEqual(ids);
    expect(outbox.depth()).toBe(3);
    for (const id of ids) cloud.sockets.at(-1)!.send(JSON.stringify({ type: 'job_event_ack', event_id: id }));
    await until('acknowledged', () => outbox.depth() === 0);
  });

  it('survives a restart of the app: what was not acknowledged is still there', async () => {
    const { db, outbox } = outboxDb();
    outbox.add({ type: 'job_event', job_id: 'j', status: 'completed' });
    const again = new HubOutbox(db, () => Date.now());
    expect(again.pending(10).map((e) => e.message.job_id)).toEqual(['j']);
  });
});

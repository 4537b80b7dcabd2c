import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileHost, waitUntil, type HostileHost } from './hostile-host';

let host: HostileHost;
beforeAll(async () => (host = await startHostileHost({ limits: { heartbeatMs: 100 } })));
afterAll(() => host.close());

describe('attack: a client that goes silent (answers no pings) with an upload open', () => {
  it('is dropped after two missed pings, and its upload with it', async () => {
    const ws = await host.raw({ autoPong: false });
    const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'library.uploadBegin', params: { name: 'a.gcode', sizeBytes: 10 } }));
    await waitUntil(() => host.partFiles().length === 1, 2000, 'the upload to open');
    await closed;
    await waitUntil(() => host.partFiles().length === 0, 2000, 'the upload to be deleted');
    expect(host.server.clients()).toEqual([]);
  });

  it('a client that answers pings stays connected', async () => {
    const c = await host.client();
    await new Promise((r) => setTimeout(r, 500));
    expect((await c.request('settings.get')).result).toBeDefined();
    c.close();
  });
});

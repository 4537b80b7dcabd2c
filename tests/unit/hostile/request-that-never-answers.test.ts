import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/core';
import { startHostileHost, type HostileHost } from './hostile-host';

let host: HostileHost;
// A core whose app.info never settles stands in for any handler stuck on a device or a peer.
const stuck = (core: Core): Core => ({ ...core, dispatch: (method, params, ctx) => (method === 'app.info' ? new Promise(() => {}) : core.dispatch(method, params, ctx)) });
beforeAll(async () => (host = await startHostileHost({ limits: { requestDeadlineMs: 300 }, wrapCore: stuck })));
afterAll(() => host.close());

describe('attack: a request whose handler never finishes', () => {
  it('is answered with a timeout error naming the method, and the socket goes on working', async () => {
    const c = await host.client();
    const reply = await c.request('app.info', undefined, 5000);
    expect(reply.error).toMatchObject({ code: -32000, data: { code: 'timeout', message: expect.stringContaining('app.info did not finish') } });
    const batch = (await c.sendRaw(
      JSON.stringify([
        { jsonrpc: '2.0', id: 'b1', method: 'app.info' },
        { jsonrpc: '2.0', method: 'app.info' },
      ]),
    )) as { id: string; error: { data: { code: string } } }[];
    expect(batch).toEqual([expect.objectContaining({ id: 'b1', error: expect.objectContaining({ data: expect.objectContaining({ code: 'timeout' }) }) })]);
    expect((await c.request('settings.get')).result).toBeDefined();
    expect(host.server.clients()[0]!.inFlight).toBe(0);
    c.close();
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { createLogger } from '../../../electron/core/log/logger';
import { startHeadlessServer } from '../../../electron/headless/serve/server';
import { rawRequest } from '../../support/session';
import { createTestCore } from '../../support/test-core';
import { startLanHost, type LanHost } from './lan-host';

// Attack: the start link leaked (browser history, a screenshot, a shoulder, a proxy log) and is opened again
// after the admin's browser swapped it for a session; or its token is put on the socket's URL.
let h: LanHost;
beforeAll(async () => (h = await startLanHost()));
afterAll(() => h.close());

it('the start link answered the first browser with a cookie and a redirect that drops the token', async () => {
  // startLanHost made that first exchange itself; a host of our own shows the answer.
  const t = createTestCore();
  const fresh = await startHeadlessServer({ core: t.core, rendererDir: tmpdir(), host: '127.0.0.1', port: 0, allowLan: false, log: createLogger({ write: () => undefined }) });
  try {
    const res = await rawRequest(fresh.url.replace('/?', '/printers?view=grid&'));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/printers?view=grid');
    expect(res.headers['set-cookie']?.[0]).toContain('HttpOnly');
  } finally {
    await fresh.close();
    await t.core.close();
  }
});

it('opened again, the link is refused with a page saying it was used, and gives no cookie', async () => {
  for (const path of [`/?token=${h.server.token}`, `/fleet?token=${h.server.token}`]) {
    const res = await rawRequest(`${h.origin}${path}`);
    expect(res.status).toBe(410);
    expect(res.body).toContain('This link was already used');
    expect(res.body).toContain('pair this device');
    expect(res.headers['set-cookie']).toBeUndefined();
  }
});

it('the token on the socket URL opens nothing', async () => {
  const { RpcClient } = await import('../../support/rpc-client');
  await expect(RpcClient.open(`${h.rpcUrl}?token=${h.server.token}`)).rejects.toThrow('HTTP 401');
});

it('wrong tokens are rate-limited per address', async () => {
  let last = 0;
  for (let i = 0; i < 12; i++) last = (await rawRequest(`${h.origin}/?token=guess${i}`)).status;
  expect(last).toBe(429);
});

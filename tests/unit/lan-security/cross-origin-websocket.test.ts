import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLanHost, type LanHost } from './lan-host';

// Attack: a page on another site, opened in the admin's browser, opens a WebSocket to the farm PC. The browser
// would attach the session cookie only if SameSite allowed it; the host also refuses any foreign Origin.
let h: LanHost;
beforeAll(async () => (h = await startLanHost()));
afterAll(() => h.close());

it('a socket from another origin is refused with 403, even carrying the admin cookie', async () => {
  for (const origin of ['https://evil.example', 'http://127.0.0.1:80', `http://127.0.0.1:${h.server.port}`, 'null', 'file://']) {
    await expect(h.open(h.admin, { Origin: origin }), origin).rejects.toThrow('HTTP 403');
  }
});

it('a socket from the page the host served opens', async () => {
  const c = await h.open(h.admin, { Origin: h.origin });
  expect((await c.request('app.info')).error).toBeUndefined();
  c.close();
});

it('the session cookie is HttpOnly, Secure, SameSite=Strict and host-only', async () => {
  const { rawRequest } = await import('../../support/session');
  const c = await h.open(h.admin);
  const offer = (await c.request('access.pair', { role: 'viewer', label: 'cookie check' })).result as { code: string };
  c.close();
  const res = await h.postCode(offer.code);
  const cookie = res.headers['set-cookie']![0]!;
  expect(cookie).toMatch(new RegExp(`^__Host-apf_session_${h.server.port}=`));
  for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) expect(cookie).toContain(attribute);
  expect(cookie).not.toMatch(/Domain=/i);
  expect((await rawRequest(h.origin)).status).toBe(401);
});

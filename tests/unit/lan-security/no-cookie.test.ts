import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawRequest } from '../../support/session';
import { startLanHost, type LanHost } from './lan-host';

// Attack: a device on the LAN that was never paired opens the page or the socket directly.
let h: LanHost;
beforeAll(async () => (h = await startLanHost()));
afterAll(() => h.close());

it('the socket without a session cookie is refused with 401', async () => {
  await expect(h.open(null)).rejects.toThrow('HTTP 401');
});

it('the socket with a made-up or malformed cookie is refused with 401', async () => {
  await expect(h.open(`${h.admin.name}=${'x'.repeat(43)}`)).rejects.toThrow('HTTP 401');
  await expect(h.open(`${h.admin.name}=../../etc`)).rejects.toThrow('HTTP 401');
  await expect(h.open(`other_cookie=${h.admin.value}`)).rejects.toThrow('HTTP 401');
});

it('the interface page without a cookie explains how to pair instead of loading the app', async () => {
  const res = await rawRequest(`${h.origin}/`);
  expect(res.status).toBe(401);
  expect(res.body).toContain('This device is not paired');
  expect(res.body).not.toContain('<title>APF</title>');
});

it('with the admin cookie the same socket opens (the control case)', async () => {
  const c = await h.open(h.admin);
  expect((await c.request('access.whoami')).result).toMatchObject({ role: 'admin', connection: { transport: 'https', fingerprint256: h.server.fingerprint256 } });
  c.close();
});

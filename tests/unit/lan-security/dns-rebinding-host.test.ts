import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawRequest } from '../../support/session';
import { startLanHost, type LanHost } from './lan-host';

// Attack (DNS rebinding): evil.example first resolves to the attacker, then to the farm PC, so the attacker's
// page becomes "same origin" with it. The browser then sends Host: evil.example; the host answers no such name.
let h: LanHost;
beforeAll(async () => (h = await startLanHost()));
afterAll(() => h.close());

const foreign = (port: number) => ['evil.example', `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`];

it('pages, the start link and the pairing page answer 421 to a foreign Host', async () => {
  for (const host of foreign(h.server.port)) {
    for (const path of ['/', `/?token=${h.server.token}`, '/pair']) {
      const res = await rawRequest(`${h.origin}${path}`, { headers: { host, cookie: h.admin.header } });
      expect(res.status, `${host} ${path}`).toBe(421);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  }
});

it('the socket answers 421 to a foreign Host even with a matching Origin and the admin cookie', async () => {
  for (const host of foreign(h.server.port)) {
    await expect(h.open(h.admin, { Host: host, Origin: `https://${host}` }), host).rejects.toThrow('HTTP 421');
  }
});

it('a pairing POST with a rebound Host is refused', async () => {
  const res = await h.postCode('ABCDE-FGHJK', { host: `evil.example:${h.server.port}`, origin: `https://evil.example:${h.server.port}` });
  expect(res.status).toBe(421);
});

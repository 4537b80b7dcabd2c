import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawRequest } from '../../support/session';
import { startLanHost, type LanHost } from './lan-host';

// Attack (CSRF): a page on another site posts a form to the farm PC. The only POST route is /pair; it takes a
// form only from this host's own pairing page (Origin and Fetch Metadata), so a foreign page can neither redeem
// a code nor sign the victim's browser into the attacker's session (login CSRF). Nothing else accepts a POST.
let h: LanHost;
let code: string;
beforeAll(async () => {
  h = await startLanHost();
  const c = await h.open(h.admin);
  code = ((await c.request('access.pair', { role: 'admin', label: 'CSRF target' })).result as { code: string }).code;
  c.close();
});
afterAll(() => h.close());

it('a cross-site form post to /pair is refused and the code stays unused', async () => {
  for (const headers of <Record<string, string>[]>[
    { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    { origin: 'https://evil.example' },
    { origin: h.origin, 'sec-fetch-site': 'cross-site' },
    { origin: 'null' },
  ]) {
    const res = await h.postCode(code, headers);
    expect(res.status, JSON.stringify(headers)).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  }
  const noOrigin = await rawRequest(`${h.origin}/pair`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `code=${code}` });
  expect(noOrigin.status).toBe(403);
  // The code still works from the real pairing page: the attempts above did not consume it.
  expect((await h.postCode(code)).status).toBe(303);
});

it('a form post with another content type (a text/plain CSRF) is refused', async () => {
  const res = await h.postCode('X', { 'content-type': 'text/plain' });
  expect(res.status).toBe(415);
});

it('no other path takes a POST, PUT or DELETE', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    for (const path of ['/', '/rpc', `/?token=${h.server.token}`, '/settings']) {
      const res = await rawRequest(`${h.origin}${path}`, { method, headers: { origin: h.origin, cookie: h.admin.header } });
      expect(res.status, `${method} ${path}`).toBe(405);
    }
  }
});

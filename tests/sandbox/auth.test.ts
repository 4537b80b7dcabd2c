import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentedKey } from './auth-header';
import type { Sandbox } from './server';
import { basic, call, INVALID_KEY, rawGet, sandboxFor, withAuthorization } from './test-support';

let sb: Sandbox & { admin: string };
beforeAll(async () => {
  sb = await sandboxFor({ organization: 'Acme Manufacturing' });
});
afterAll(() => sb.close());

/** The server must still answer a valid request after whatever the previous one threw at it. */
async function expectStillServing(): Promise<void> {
  const ok = await call(sb, sb.admin, 'GET', '/auth/test');
  expect(ok.status).toBe(200);
}

describe('GET /auth/test', () => {
  it('answers with the key id and organization for a valid Bearer key', async () => {
    const res = await call(sb, sb.admin, 'GET', '/auth/test');
    const current = await call(sb, sb.admin, 'GET', '/api-keys/current');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ authenticated: true, key_id: current.json.id, organization: 'Acme Manufacturing' });
    expect(res.json.key_id).toMatch(/^key_/);
  });

  it('mints the first admin key as apf_dev_ plus 64 lowercase hex characters', () => {
    expect(sb.admin).toMatch(/^apf_dev_[0-9a-f]{64}$/);
  });
});

describe('accepted credentials', () => {
  it('accepts the Bearer scheme in any letter case', async () => {
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      expect((await withAuthorization(sb, `${scheme} ${sb.admin}`)).status).toBe(200);
    }
  });

  it('accepts more than one space between scheme and key, as RFC 9110 allows', async () => {
    expect((await withAuthorization(sb, `Bearer  ${sb.admin}`)).status).toBe(200);
    expect((await withAuthorization(sb, `Bearer   ${sb.admin}`)).status).toBe(200);
  });

  it('accepts Basic auth with the key as user name and an empty password (curl -u key:)', async () => {
    expect((await withAuthorization(sb, basic(sb.admin))).status).toBe(200);
    expect((await withAuthorization(sb, basic(sb.admin).replace('Basic', 'basic'))).status).toBe(200);
  });

  it('ignores whitespace around the whole header value, which HTTP strips', async () => {
    const res = await rawGet(sb.url, [`Authorization:   Bearer ${sb.admin}   `]);
    expect(res.status).toBe(200);
  });
});

describe('refused credentials all get the same 401 body', () => {
  const refusals: [string, () => string | null][] = [
    ['no Authorization header', () => null],
    ['Bearer with no key', () => 'Bearer'],
    ['Bearer with only spaces', () => 'Bearer    '],
    ['a scheme other than Bearer or Basic', () => `Token ${sb.admin}`],
    ['the key without any scheme', () => sb.admin],
    ['a tab between scheme and key', () => `Bearer\t${sb.admin}`],
    ['a well-formed key the server never issued', () => 'Bearer apf_dev_' + '0'.repeat(64)],
    ['an upper-case prefix', () => `Bearer ${sb.admin.replace('apf_dev_', 'APF_DEV_')}`],
    ['upper-case hex in the key body', () => `Bearer ${sb.admin.slice(0, 8)}${sb.admin.slice(8).toUpperCase()}`],
    ['an unknown environment prefix', () => `Bearer ${sb.admin.replace('apf_dev_', 'apf_prod_')}`],
    ['a truncated key', () => `Bearer ${sb.admin.slice(0, -1)}`],
    ['a key with one character added', () => `Bearer ${sb.admin}0`],
    ['a one-character typo', () => `Bearer ${sb.admin.slice(0, -1)}${sb.admin.endsWith('a') ? 'b' : 'a'}`],
    ['two tokens after the scheme', () => `Bearer ${sb.admin} extra`],
    ['a JWT in place of the key', () => 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc'],
    ['Basic with a non-empty password', () => basic(sb.admin, 'secret')],
    ['Basic with the key in the password slot', () => basic('', sb.admin)],
    ['Basic with the key as user and the key as password', () => basic(sb.admin, sb.admin)],
    ['Basic without a colon', () => 'Basic ' + Buffer.from(sb.admin).toString('base64')],
    ['Basic with invalid base64', () => 'Basic !!!notbase64!!!'],
    ['Basic with unpadded base64', () => basic(sb.admin).replace(/=+$/, '')],
    ['Basic whose decoded user holds a NUL byte', () => 'Basic ' + Buffer.from(`${sb.admin}\0:`).toString('base64')],
    ['Basic of UTF-16 text', () => 'Basic ' + Buffer.from(`${sb.admin}:`, 'utf16le').toString('base64')],
    ['an 8 KB Authorization header', () => `Bearer ${sb.admin}${'a'.repeat(8 * 1024)}`],
    ['an 8 KB Basic header', () => `Basic ${'QUJD'.repeat(2048)}`],
  ];

  for (const [what, header] of refusals) {
    it(`refuses ${what}`, async () => {
      const value = header();
      const res = value === null ? await call(sb, null, 'GET', '/auth/test') : await withAuthorization(sb, value);
      expect(res.status).toBe(401);
      expect(res.text).toBe(INVALID_KEY);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    });
  }

  it('refuses a request that sends two Authorization headers, even if one is valid', async () => {
    const res = await rawGet(sb.url, [`Authorization: Bearer ${sb.admin}`, `Authorization: Bearer ${sb.admin}`]);
    expect(res.status).toBe(401);
    expect(res.body).toBe(INVALID_KEY);
  });

  it('refuses a key passed in the query string instead of the header', async () => {
    const res = await call(sb, null, 'GET', `/auth/test?api_key=${sb.admin}`);
    expect(res.status).toBe(401);
    expect(res.text).toBe(INVALID_KEY);
  });

  it('refuses non-ASCII bytes in the header and keeps serving', async () => {
    const line = Buffer.concat([Buffer.from(`Authorization: Bearer ${sb.admin.slice(0, -2)}`), Buffer.from([0xc3, 0xa9])]);
    const res = await rawGet(sb.url, [line]);
    expect(res.status).toBe(401);
    expect(res.body).toBe(INVALID_KEY);
    await expectStillServing();
  });

  it('refuses a Cyrillic homoglyph in the key', async () => {
    const homoglyph = sb.admin.replace(/a/, '\u0430');
    const line = Buffer.from(`Authorization: Bearer ${homoglyph}`, 'utf8');
    const res = await rawGet(sb.url, [line]);
    expect(res.status).toBe(401);
    await expectStillServing();
  });

  it('answers a NUL byte in the header with a 400 envelope and keeps serving', async () => {
    const line = Buffer.concat([Buffer.from(`Authorization: Bearer ${sb.admin}`), Buffer.from([0])]);
    const res = await rawGet(sb.url, [line]);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
    expect(res.head).toMatch(/^X-RateLimit-Limit: 1000$/m);
    expect(res.head).toMatch(/^X-RateLimit-Reset: \d{10}$/m);
    await expectStillServing();
  });

  it('answers headers larger than the server accepts with 431 and keeps serving', async () => {
    const res = await rawGet(sb.url, [`Authorization: Bearer ${'a'.repeat(20 * 1024)}`]);
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body).error.code).toBe('invalid_request');
    await expectStillServing();
  });

  it('refuses a deleted key on its very next request', async () => {
    const doomed = sb.createKey({ name: 'doomed', scopes: ['printers:read'] });
    expect((await call(sb, doomed.key, 'GET', '/auth/test')).status).toBe(200);
    expect((await call(sb, sb.admin, 'DELETE', `/api-keys/${doomed.id}`)).status).toBe(204);
    const res = await call(sb, doomed.key, 'GET', '/auth/test');
    expect(res.status).toBe(401);
    expect(res.text).toBe(INVALID_KEY);
  });

  it('asks for a key before saying whether a path exists', async () => {
    const res = await call(sb, null, 'GET', '/no-such-thing');
    expect(res.status).toBe(401);
    expect(res.text).toBe(INVALID_KEY);
  });
});

describe('paths', () => {
  it('answers an unknown path under /v1 with 404 not_found for a valid key', async () => {
    const res = await call(sb, sb.admin, 'GET', '/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('not_found');
  });

  it('answers a known path with an unsupported method with 404 naming the methods it supports', async () => {
    const res = await call(sb, sb.admin, 'PUT', '/printers');
    expect(res.status).toBe(404);
    expect(res.json.error.message).toContain('GET, POST');
  });

  it('answers paths outside /v1 with 404 without asking for a key', async () => {
    const res = await call({ url: sb.url.replace(/\/v1$/, '') }, null, 'GET', '/');
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('not_found');
  });
});

describe('presentedKey', () => {
  it('reads the key from Bearer and from Basic with an empty password', () => {
    expect(presentedKey(['Bearer abc'])).toBe('abc');
    expect(presentedKey([basic('apf_dev_x')])).toBe('apf_dev_x');
  });

  it('yields nothing for zero or several header lines', () => {
    expect(presentedKey(undefined)).toBeNull();
    expect(presentedKey([])).toBeNull();
    expect(presentedKey(['Bearer a', 'Bearer a'])).toBeNull();
  });
});

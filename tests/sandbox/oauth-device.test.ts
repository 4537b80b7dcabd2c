/** spec/oauth.md, device authorization grant (RFC 8628): codes, the verification page, polling answers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, DEVICE_GRANT, formOf, getPage, oauthPost, submit, type OAuthAnswer } from './oauth-support';
import { startSandbox, type Sandbox } from './server';
import { call, FakeClock } from './test-support';

let sb: Sandbox;
const clock = new FakeClock();
beforeAll(async () => {
  sb = await startSandbox({ now: clock.now });
});
afterAll(() => sb.close());

const start = (scope = 'printers:read jobs:read', target: Sandbox = sb) => oauthPost(target, '/oauth/device_authorization', { client_id: CLIENT_ID, scope });
const poll = (deviceCode: string, target: Sandbox = sb): Promise<OAuthAnswer> =>
  oauthPost(target, '/oauth/token', { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: CLIENT_ID });

/** The person's half: open verification_uri_complete, continue, then sign in and decide on the consent page. */
async function approve(target: Sandbox, d: { verification_uri_complete: string; user_code: string }, opts: { decision?: 'approve' | 'deny'; grant?: string[] } = {}) {
  const entry = await getPage(d.verification_uri_complete);
  // A browser sends the prefilled text box as it is.
  const typed = /name="user_code"[^>]* value="([^"]*)"/.exec(entry.html)?.[1];
  expect(typed).toBe(d.user_code);
  const consent = await submit(target, entry.html, { userCode: typed! });
  expect(consent.status).toBe(200);
  return submit(target, consent.html, opts);
}

describe('device authorization (RFC 8628 §3.1–3.2)', () => {
  it('answers a device code, an 8-letter user code from an unambiguous alphabet, the verification URIs, expires_in 600 and interval 5', async () => {
    const answer = await start();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const d = answer.json;
    expect(d).toEqual({
      device_code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      user_code: expect.stringMatching(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/),
      verification_uri: `${sb.issuer}/oauth/device`,
      verification_uri_complete: `${sb.issuer}/oauth/device?user_code=${d.user_code}`,
      expires_in: 600,
      interval: 5,
    });
  });

  it('refuses another client (401 invalid_client) and an unknown scope (invalid_scope)', async () => {
    expect((await oauthPost(sb, '/oauth/device_authorization', { client_id: 'x', scope: 'jobs:read' })).status).toBe(401);
    expect((await start('jobs:read nope')).json.error).toBe('invalid_scope');
  });
});

describe('polling (RFC 8628 §3.4–3.5)', () => {
  it('authorization_pending until the user approves, then tokens once', async () => {
    const d = (await start()).json;
    const pending = await poll(d.device_code);
    expect(pending.status).toBe(400);
    expect(pending.json).toEqual({ error: 'authorization_pending', error_description: expect.any(String) });
    const done = await approve(sb, d);
    expect(done.html).toContain('Device connected');
    clock.advance(5000);
    const tokens = await poll(d.device_code);
    expect(tokens.status).toBe(200);
    expect(tokens.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, refresh_token: expect.any(String), scope: 'printers:read jobs:read' });
    expect((await call(sb, tokens.json.access_token, 'GET', '/jobs')).status).toBe(200);
    clock.advance(5000);
    expect((await poll(d.device_code)).json.error).toBe('invalid_grant');
  });

  it('the user may untick scopes on the device page', async () => {
    const d = (await start('printers:read printers:write')).json;
    await approve(sb, d, { grant: ['printers:read'] });
    const tokens = (await poll(d.device_code)).json;
    expect(tokens.scope).toBe('printers:read');
    expect((await call(sb, tokens.access_token, 'POST', '/printers', { name: 'x', model: 'y' })).status).toBe(403);
  });

  it('slow_down when polling faster than the interval, and the interval grows by 5 s each time', async () => {
    const d = (await start()).json;
    expect((await poll(d.device_code)).json.error).toBe('authorization_pending');
    clock.advance(4999);
    expect((await poll(d.device_code)).json.error).toBe('slow_down'); // interval is now 10 s
    clock.advance(9999);
    expect((await poll(d.device_code)).json.error).toBe('slow_down'); // now 15 s
    clock.advance(15_000);
    expect((await poll(d.device_code)).json.error).toBe('authorization_pending');
    clock.advance(15_000);
    expect((await poll(d.device_code)).json.error).toBe('authorization_pending');
  });

  it('access_denied when the user denies', async () => {
    const d = (await start()).json;
    const denied = await approve(sb, d, { decision: 'deny' });
    expect(denied.html).toContain('Access denied');
    expect((await poll(d.device_code)).json.error).toBe('access_denied');
  });

  it('expired_token once the device code is older than expires_in; the page no longer takes the code', async () => {
    const d = (await start()).json;
    clock.advance(600 * 1000);
    expect((await poll(d.device_code)).json.error).toBe('expired_token');
    const entry = await getPage(d.verification_uri_complete);
    const refused = await submit(sb, entry.html, { userCode: d.user_code });
    expect(refused.html).toContain('not valid or has expired');
  });

  it('an unknown device code is invalid_grant', async () => {
    expect((await poll('nope')).json.error).toBe('invalid_grant');
  });

  it('interval and expiry are configurable for tests', async () => {
    const fast = await startSandbox({ now: clock.now, oauth: { deviceIntervalSeconds: 0, deviceCodeTtlSeconds: 2 } });
    try {
      const d = (await start('jobs:read', fast)).json;
      expect(d).toMatchObject({ interval: 0, expires_in: 2 });
      expect((await poll(d.device_code, fast)).json.error).toBe('authorization_pending');
      expect((await poll(d.device_code, fast)).json.error).toBe('authorization_pending');
      clock.advance(2000);
      expect((await poll(d.device_code, fast)).json.error).toBe('expired_token');
    } finally {
      await fast.close();
    }
  });
});

describe('the verification page (RFC 8628 §3.3)', () => {
  it('verification_uri_complete prefills the code; typing it in any case, with or without the dash, works', async () => {
    const d = (await start()).json;
    const entry = await getPage(d.verification_uri_complete);
    expect(entry.status).toBe(200);
    expect(formOf(entry.html).fields.get('step')).toBe('code');
    expect(entry.html).toContain(`value="${d.user_code}"`);
    const plain = await getPage(`${sb.issuer}/oauth/device`);
    const consent = await submit(sb, plain.html, { userCode: d.user_code.replace('-', '').toLowerCase() });
    expect(consent.html).toContain(d.user_code);
    expect(formOf(consent.html).boxes).toEqual(['printers:read', 'jobs:read']);
  });

  it('a wrong password shows the consent page again; the code stays pending', async () => {
    const d = (await start()).json;
    const entry = await getPage(d.verification_uri_complete);
    const consent = await submit(sb, entry.html, { userCode: d.user_code });
    const wrong = await submit(sb, consent.html, { password: 'nope' });
    expect(wrong.html).toContain('Wrong email or password.');
    expect((await poll(d.device_code)).json.error).toBe('authorization_pending');
    await submit(sb, wrong.html);
    clock.advance(5000);
    expect((await poll(d.device_code)).status).toBe(200);
  });

  it('the forms carry one-use CSRF tokens', async () => {
    const d = (await start()).json;
    const entry = await getPage(d.verification_uri_complete);
    expect((await submit(sb, entry.html, { userCode: d.user_code, fields: { csrf_token: 'forged' } })).status).toBe(400);
    const consent = await submit(sb, (await getPage(d.verification_uri_complete)).html, { userCode: d.user_code });
    expect((await submit(sb, consent.html, { fields: { csrf_token: 'forged' } })).status).toBe(400);
    expect((await poll(d.device_code)).json.error).toBe('authorization_pending');
  });

  it('rate-limits wrong codes: after 10 in 15 minutes the page refuses (429)', async () => {
    const own = await startSandbox({ now: clock.now });
    try {
      let html = (await getPage(`${own.issuer}/oauth/device`)).html;
      for (let i = 0; i < 10; i++) html = (await submit(own, html, { userCode: 'BBBB-BBBB' })).html;
      const d = (await start('jobs:read', own)).json;
      expect((await submit(own, html, { userCode: d.user_code })).status).toBe(429);
    } finally {
      await own.close();
    }
  });
});

/** spec/oauth.md, "Authorization server": metadata, the registered client and its redirect URIs, PKCE, the consent page. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { startSandbox } from './server';
import { authorizeCode, authorizeUrl, callbackParams, CLIENT_ID, DEVICE_GRANT, exchangeCode, formOf, getPage, pkce, REDIRECT_URI, submit } from './oauth-support';
import { FakeClock } from './test-support';

let sb: Sandbox;
const clock = new FakeClock();
beforeAll(async () => {
  sb = await startSandbox({ now: clock.now });
});
afterAll(() => sb.close());

describe('metadata (RFC 8414)', () => {
  it('publishes the issuer, every endpoint, S256 only, the grant types, the seed scopes and public-client auth', async () => {
    const res = await fetch(`${sb.issuer}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    const meta = await res.json();
    expect(sb.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(meta).toMatchObject({
      issuer: sb.issuer,
      authorization_endpoint: `${sb.issuer}/oauth/authorize`,
      token_endpoint: `${sb.issuer}/oauth/token`,
      revocation_endpoint: `${sb.issuer}/oauth/revoke`,
      device_authorization_endpoint: `${sb.issuer}/oauth/device_authorization`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token', DEVICE_GRANT],
      response_types_supported: ['code'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['printers:read', 'printers:write', 'jobs:read', 'jobs:write', 'analytics:read', 'webhooks:write', 'admin:*'],
    });
  });
});

describe('the registered client and its redirect URIs (RFC 8252 §7.3)', () => {
  const { challenge } = pkce();

  it.each([
    ['127.0.0.1 on any port', 'http://127.0.0.1:1/oauth/callback'],
    ['127.0.0.1 on a high port', 'http://127.0.0.1:65535/oauth/callback'],
    ['[::1]', 'http://[::1]:49152/oauth/callback'],
  ])('accepts a loopback redirect URI: %s', async (_name, uri) => {
    const page = await getPage(authorizeUrl(sb, challenge, { redirect_uri: uri }));
    expect(page.status).toBe(200);
    expect(page.html).toContain('Sign in with AutoPrintFarm');
  });

  it.each([
    ['localhost', 'http://localhost:5000/oauth/callback'],
    ['https', 'https://127.0.0.1:5000/oauth/callback'],
    ['another path', 'http://127.0.0.1:5000/oauth/callback/x'],
    ['a path prefix', 'http://127.0.0.1:5000/oauth/'],
    ['a query', 'http://127.0.0.1:5000/oauth/callback?x=1'],
    ['a fragment', 'http://127.0.0.1:5000/oauth/callback#x'],
    ['user info', 'http://evil@127.0.0.1:5000/oauth/callback'],
    ['another host', 'http://evil.example:5000/oauth/callback'],
    ['a port out of range', 'http://127.0.0.1:70000/oauth/callback'],
    ['missing', null],
  ])('refuses a redirect URI with an error page, never a redirect: %s', async (_name, uri) => {
    const page = await getPage(authorizeUrl(sb, challenge, { redirect_uri: uri }));
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.html).toContain('redirect_uri');
  });

  it('refuses an unknown or missing client_id with an error page, never a redirect', async () => {
    for (const clientId of ['someone-else', null]) {
      const page = await getPage(authorizeUrl(sb, challenge, { client_id: clientId }));
      expect(page.status).toBe(400);
      expect(page.headers.get('location')).toBeNull();
    }
  });

  it('redirects an unsupported response_type back with unsupported_response_type and the state', async () => {
    const page = await getPage(authorizeUrl(sb, challenge, { response_type: 'token', state: 'abc' }));
    expect(page.status).toBe(302);
    const q = callbackParams(page.headers.get('location'));
    expect(q.get('error')).toBe('unsupported_response_type');
    expect(q.get('state')).toBe('abc');
  });

  it('redirects an unknown or missing scope back with invalid_scope', async () => {
    for (const scope of ['printers:read Printers:Read', null, '']) {
      const page = await getPage(authorizeUrl(sb, challenge, { scope }));
      expect(callbackParams(page.headers.get('location')).get('error')).toBe('invalid_scope');
    }
  });
});

describe('PKCE (RFC 7636, S256 only)', () => {
  it('S256 passes: the code and its verifier give tokens', async () => {
    const { code, pkce: p } = await authorizeCode(sb);
    const answer = await exchangeCode(sb, code, p.verifier);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, refresh_token: expect.any(String), scope: 'printers:read jobs:read' });
    expect(answer.json.access_token).not.toBe(answer.json.refresh_token);
  });

  it('refuses code_challenge_method=plain with a redirect error invalid_request', async () => {
    const { verifier } = pkce();
    const page = await getPage(authorizeUrl(sb, verifier, { code_challenge_method: 'plain', state: 's1' }));
    expect(page.status).toBe(302);
    const q = callbackParams(page.headers.get('location'));
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('state')).toBe('s1');
    expect(q.get('iss')).toBe(sb.issuer);
  });

  it('refuses a missing code_challenge (or a missing method, which means plain) with invalid_request', async () => {
    const { challenge } = pkce();
    for (const params of [{ code_challenge: null, code_challenge_method: null }, { code_challenge: null }, { code_challenge_method: null }]) {
      const page = await getPage(authorizeUrl(sb, challenge, params));
      expect(callbackParams(page.headers.get('location')).get('error')).toBe('invalid_request');
    }
  });

  it('a wrong code_verifier is invalid_grant', async () => {
    const { code } = await authorizeCode(sb);
    const answer = await exchangeCode(sb, code, pkce().verifier);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
  });

  it('a missing code_verifier is invalid_request', async () => {
    const { code } = await authorizeCode(sb);
    const answer = await exchangeCode(sb, code, '');
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_request');
  });
});

describe('the sign-in and consent page', () => {
  it('lists each requested scope as a ticked checkbox and works as a plain HTML form (no script, framing refused)', async () => {
    const page = await getPage(authorizeUrl(sb, pkce().challenge, { scope: 'jobs:write printers:read' }));
    expect(page.html).not.toContain('<script');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const form = formOf(page.html);
    expect(form.action).toBe('/oauth/authorize');
    expect(form.boxes).toEqual(['printers:read', 'jobs:write']);
    expect(form.fields.getAll('grant')).toEqual(['printers:read', 'jobs:write']);
    expect(form.fields.get('csrf_token')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('approve redirects (303) to the redirect URI with the code, the state and the issuer', async () => {
    const page = await getPage(authorizeUrl(sb, pkce().challenge, { state: 'xyz 1/2' }));
    const sent = await submit(sb, page.html);
    expect(sent.status).toBe(303);
    expect(sent.location!.startsWith(REDIRECT_URI + '?')).toBe(true);
    const q = callbackParams(sent.location);
    expect(q.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toBe('xyz 1/2');
    expect(q.get('iss')).toBe(sb.issuer);
  });

  it('deny redirects with error=access_denied and the state', async () => {
    const page = await getPage(authorizeUrl(sb, pkce().challenge, { state: 'd1' }));
    const sent = await submit(sb, page.html, { decision: 'deny', password: '' });
    const q = callbackParams(sent.location);
    expect(q.get('error')).toBe('access_denied');
    expect(q.get('state')).toBe('d1');
    expect(q.get('code')).toBeNull();
  });

  it('the user may untick scopes: the token holds only those granted', async () => {
    const { code, pkce: p } = await authorizeCode(sb, { scope: 'printers:read printers:write jobs:read', grant: ['printers:read'] });
    expect((await exchangeCode(sb, code, p.verifier)).json.scope).toBe('printers:read');
  });

  it('unticking every scope shows the page again instead of a code', async () => {
    const page = await getPage(authorizeUrl(sb, pkce().challenge));
    const sent = await submit(sb, page.html, { grant: [] });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain('Tick at least one permission');
  });

  it('a box the request did not ask for is not granted', async () => {
    const { code, pkce: p } = await authorizeCode(sb, { scope: 'printers:read', grant: ['printers:read', 'admin:*'] });
    expect((await exchangeCode(sb, code, p.verifier)).json.scope).toBe('printers:read');
  });

  it('a wrong password shows the page again with an error and a fresh CSRF token', async () => {
    const page = await getPage(authorizeUrl(sb, pkce().challenge));
    const sent = await submit(sb, page.html, { password: 'wrong' });
    expect(sent.status).toBe(200);
    expect(sent.location).toBeNull();
    expect(sent.html).toContain('Wrong email or password.');
    expect(formOf(sent.html).fields.get('csrf_token')).not.toBe(formOf(page.html).fields.get('csrf_token'));
    // …and the page shown again works.
    expect(callbackParams((await submit(sb, sent.html)).location).get('code')).not.toBeNull();
  });

  it('a form without its page token, with a reused one or with altered hidden fields is refused (CSRF)', async () => {
    const page = await getPage(authorizeUrl(sb, pkce().challenge));
    expect((await submit(sb, page.html, { fields: { csrf_token: 'forged' } })).status).toBe(400);
    const good = await getPage(authorizeUrl(sb, pkce().challenge));
    expect((await submit(sb, good.html)).status).toBe(303);
    const again = await submit(sb, good.html);
    expect(again.status).toBe(400);
    expect(again.location).toBeNull();
    const other = await getPage(authorizeUrl(sb, pkce().challenge, { scope: 'printers:read' }));
    const widened = await submit(sb, other.html, { fields: { scope: 'admin:*' }, grant: ['admin:*'] });
    expect(widened.status).toBe(400);
  });

  it('rate-limits sign-in: after 5 wrong passwords even the right one is refused for 15 minutes', async () => {
    const own = await startSandbox({ now: clock.now });
    try {
      let html = (await getPage(authorizeUrl(own, pkce().challenge))).html;
      for (let i = 0; i < 5; i++) html = (await submit(own, html, { password: 'nope' })).html;
      const locked = await submit(own, html);
      expect(locked.status).toBe(429);
      expect(locked.html).toContain('Too many failed sign-in attempts');
      clock.advance(15 * 60 * 1000);
      expect((await submit(own, locked.html)).status).toBe(303);
    } finally {
      await own.close();
    }
  });

  it('the client_id on the token endpoint must be ours (401 invalid_client), and no client secret is accepted', async () => {
    const { code, pkce: p } = await authorizeCode(sb);
    const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: p.verifier };
    const res = await fetch(`${sb.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...params, client_id: 'other' }).toString(),
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('invalid_client');
    const basic = await fetch(`${sb.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Basic ' + Buffer.from(`${CLIENT_ID}:secret`).toString('base64') },
      body: new URLSearchParams({ ...params, client_id: CLIENT_ID }).toString(),
    });
    expect(basic.status).toBe(401);
  });
});

/** spec/oauth.md, token endpoint and revocation: code single use and expiry, refresh rotation, RFC 7009. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeCode, CLIENT_ID, exchangeCode, oauthPost, REDIRECT_URI, refresh, signIn } from './oauth-support';
import { startSandbox, type Sandbox } from './server';
import { call, FakeClock } from './test-support';

let sb: Sandbox;
const clock = new FakeClock();
beforeAll(async () => {
  sb = await startSandbox({ now: clock.now });
});
afterAll(() => sb.close());

const works = async (token: string) => (await call(sb, token, 'GET', '/auth/test')).status === 200;

describe('authorization codes (RFC 6749 §4.1.2, §4.1.3)', () => {
  it('a code is single use: the second exchange is invalid_grant', async () => {
    const { code, pkce } = await authorizeCode(sb);
    expect((await exchangeCode(sb, code, pkce.verifier)).status).toBe(200);
    const again = await exchangeCode(sb, code, pkce.verifier);
    expect(again.status).toBe(400);
    expect(again.json.error).toBe('invalid_grant');
  });

  it('reusing a code revokes every token it produced, refreshed ones included', async () => {
    const { code, pkce } = await authorizeCode(sb);
    const first = (await exchangeCode(sb, code, pkce.verifier)).json;
    const refreshed = (await refresh(sb, first.refresh_token)).json;
    expect(await works(refreshed.access_token)).toBe(true);
    await exchangeCode(sb, code, pkce.verifier);
    expect(await works(first.access_token)).toBe(false);
    expect(await works(refreshed.access_token)).toBe(false);
    expect((await refresh(sb, refreshed.refresh_token)).json.error).toBe('invalid_grant');
  });

  it('a code expires 10 minutes after it was issued', async () => {
    const fresh = await authorizeCode(sb);
    const old = await authorizeCode(sb);
    clock.advance(10 * 60 * 1000 - 1);
    expect((await exchangeCode(sb, fresh.code, fresh.pkce.verifier)).status).toBe(200);
    clock.advance(1);
    const late = await exchangeCode(sb, old.code, old.pkce.verifier);
    expect(late.status).toBe(400);
    expect(late.json.error).toBe('invalid_grant');
  });

  it('a code is bound to its redirect_uri: another port is invalid_grant', async () => {
    const { code, pkce } = await authorizeCode(sb);
    const answer = await exchangeCode(sb, code, pkce.verifier, 'http://127.0.0.1:1/oauth/callback');
    expect(answer.json.error).toBe('invalid_grant');
  });

  it('an unknown code is invalid_grant; an unknown grant type unsupported_grant_type; a JSON body invalid_request', async () => {
    expect((await exchangeCode(sb, 'nope', 'x'.repeat(43))).json.error).toBe('invalid_grant');
    expect((await oauthPost(sb, '/oauth/token', { grant_type: 'password', client_id: CLIENT_ID })).json.error).toBe('unsupported_grant_type');
    const json = await fetch(`${sb.issuer}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
    expect((await json.json()).error).toBe('invalid_request');
  });

  it('a parameter sent twice is invalid_request', async () => {
    const { code, pkce } = await authorizeCode(sb);
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier, client_id: CLIENT_ID });
    body.append('code', code);
    const res = await fetch(`${sb.issuer}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect((await res.json()).error).toBe('invalid_request');
  });
});

describe('refresh tokens with rotation (RFC 9700 §4.14)', () => {
  it('each refresh returns a new access and refresh token with no-store; the old access token keeps working until it expires', async () => {
    const t = await signIn(sb);
    const r = await refresh(sb, t.refresh_token);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, refresh_token: expect.any(String), scope: t.scope });
    expect(r.json.refresh_token).not.toBe(t.refresh_token);
    expect(r.json.access_token).not.toBe(t.access_token);
    expect(await works(r.json.access_token)).toBe(true);
    expect(await works(t.access_token)).toBe(true);
    expect((await refresh(sb, r.json.refresh_token)).status).toBe(200);
  });

  it('presenting a used refresh token revokes the whole family', async () => {
    const t = await signIn(sb);
    const r1 = (await refresh(sb, t.refresh_token)).json;
    const r2 = (await refresh(sb, r1.refresh_token)).json;
    const reuse = await refresh(sb, t.refresh_token);
    expect(reuse.status).toBe(400);
    expect(reuse.json.error).toBe('invalid_grant');
    for (const token of [t.access_token, r1.access_token, r2.access_token]) expect(await works(token)).toBe(false);
    expect((await refresh(sb, r2.refresh_token)).json.error).toBe('invalid_grant');
  });

  it('a refresh may narrow the scope of the access token; the new refresh token keeps the grant', async () => {
    const t = await signIn(sb, { scope: 'printers:read jobs:read' });
    const narrow = (await refresh(sb, t.refresh_token, 'jobs:read')).json;
    expect(narrow.scope).toBe('jobs:read');
    expect((await call(sb, narrow.access_token, 'GET', '/printers')).status).toBe(403);
    expect((await call(sb, narrow.access_token, 'GET', '/jobs')).status).toBe(200);
    expect((await refresh(sb, narrow.refresh_token, 'printers:read jobs:read')).json.scope).toBe('printers:read jobs:read');
  });

  it('a refresh may not widen the scope: invalid_scope, and the refresh token stays usable', async () => {
    const t = await signIn(sb, { scope: 'printers:read' });
    const wide = await refresh(sb, t.refresh_token, 'printers:read printers:write');
    expect(wide.status).toBe(400);
    expect(wide.json.error).toBe('invalid_scope');
    expect((await refresh(sb, t.refresh_token, 'Printers:Read')).json.error).toBe('invalid_scope');
    expect((await refresh(sb, t.refresh_token)).status).toBe(200);
  });

  it('an access token is not a refresh token: invalid_grant', async () => {
    const t = await signIn(sb);
    expect((await refresh(sb, t.access_token)).json.error).toBe('invalid_grant');
  });
});

describe('revocation (RFC 7009)', () => {
  const revoke = (token: string, extra: Record<string, string> = {}) => oauthPost(sb, '/oauth/revoke', { token, client_id: CLIENT_ID, ...extra });

  it('revoking an access token ends it alone; the refresh token still works', async () => {
    const t = await signIn(sb);
    const answer = await revoke(t.access_token, { token_type_hint: 'access_token' });
    expect(answer.status).toBe(200);
    expect(await works(t.access_token)).toBe(false);
    const r = await refresh(sb, t.refresh_token);
    expect(r.status).toBe(200);
    expect(await works(r.json.access_token)).toBe(true);
  });

  it('revoking a refresh token revokes its family and its access tokens', async () => {
    const t = await signIn(sb);
    const r = (await refresh(sb, t.refresh_token)).json;
    expect((await revoke(r.refresh_token, { token_type_hint: 'refresh_token' })).status).toBe(200);
    expect(await works(t.access_token)).toBe(false);
    expect(await works(r.access_token)).toBe(false);
    expect((await refresh(sb, r.refresh_token)).json.error).toBe('invalid_grant');
  });

  it('a wrong token_type_hint is only a hint', async () => {
    const t = await signIn(sb);
    await revoke(t.refresh_token, { token_type_hint: 'access_token' });
    expect(await works(t.access_token)).toBe(false);
  });

  it('an unknown or already revoked token is answered 200', async () => {
    expect((await revoke('not-a-token')).status).toBe(200);
    const t = await signIn(sb);
    await revoke(t.refresh_token);
    expect((await revoke(t.refresh_token)).status).toBe(200);
  });

  it('a missing token is invalid_request; another client is invalid_client (401)', async () => {
    expect((await oauthPost(sb, '/oauth/revoke', { client_id: CLIENT_ID })).json.error).toBe('invalid_request');
    const other = await oauthPost(sb, '/oauth/revoke', { token: 'x', client_id: 'other' });
    expect(other.status).toBe(401);
    expect(other.json.error).toBe('invalid_client');
  });
});

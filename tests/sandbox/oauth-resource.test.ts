/** spec/oauth.md: an access token works on every /v1 endpoint like a key with the granted scopes (RFC 6750). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './oauth-support';
import { startSandbox, type Sandbox } from './server';
import { call, FakeClock, INVALID_KEY } from './test-support';

let sb: Sandbox;
const clock = new FakeClock();
beforeAll(async () => {
  sb = await startSandbox({ now: clock.now, rateLimitPerHour: 5 });
});
afterAll(() => sb.close());

const INVALID_TOKEN = '{"error":{"code":"invalid_token","message":"The access token is invalid, expired or revoked"}}';

describe('an access token on /v1', () => {
  it('works on a route its granted scope covers, and /auth/test names the grant', async () => {
    const t = await signIn(sb, { scope: 'printers:read jobs:read' });
    expect((await call(sb, t.access_token, 'GET', '/printers')).status).toBe(200);
    expect((await call(sb, t.access_token, 'GET', '/jobs')).status).toBe(200);
    const who = await call(sb, t.access_token, 'GET', '/auth/test');
    expect(who.json).toEqual({ authenticated: true, key_id: expect.stringMatching(/^grt_/), organization: 'Sandbox Farm' });
  });

  it("/api-keys/current describes the sign-in in a key's shape, with the token's scopes", async () => {
    const t = await signIn(sb, { scope: 'printers:read jobs:read' });
    const current = await call(sb, t.access_token, 'GET', '/api-keys/current');
    expect(current.status).toBe(200);
    expect(current.json).toEqual({
      id: expect.stringMatching(/^grt_/),
      name: `Signed in as ${sb.demoUser.email}`,
      scopes: ['printers:read', 'jobs:read'],
      created_at: new Date(clock.t).toISOString(),
      last_used_at: new Date(clock.t).toISOString(),
    });
  });

  it('an unticked scope → 403 insufficient_permissions like a key (plus RFC 6750 insufficient_scope)', async () => {
    const t = await signIn(sb, { scope: 'printers:read printers:write', grant: ['printers:read'] });
    const refused = await call(sb, t.access_token, 'POST', '/printers', { name: 'P', model: 'X1C' });
    expect(refused.status).toBe(403);
    expect(refused.text).toBe('{"error":{"code":"insufficient_permissions","message":"This API key lacks the required scope: printers:write"}}');
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="AutoPrintFarm", error="insufficient_scope", scope="printers:write"');
    expect((await call(sb, t.access_token, 'GET', '/api-keys')).status).toBe(403);
  });

  it('a granted write scope writes', async () => {
    const t = await signIn(sb, { scope: 'printers:write printers:read' });
    const made = await call(sb, t.access_token, 'POST', '/printers', { name: 'By token', model: 'MK4' });
    expect(made.status).toBe(201);
  });

  it('an unknown token → 401 invalid_token with WWW-Authenticate: Bearer error="invalid_token"', async () => {
    const answer = await call(sb, 'apfat_' + 'A'.repeat(43), 'GET', '/auth/test');
    expect(answer.status).toBe(401);
    expect(answer.text).toBe(INVALID_TOKEN);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="AutoPrintFarm", error="invalid_token"/);
  });

  it('an expired access token (after 3600 s) → 401 invalid_token', async () => {
    const t = await signIn(sb);
    clock.advance(3600 * 1000 - 1);
    expect((await call(sb, t.access_token, 'GET', '/printers')).status).toBe(200);
    clock.advance(1);
    const answer = await call(sb, t.access_token, 'GET', '/printers');
    expect(answer.status).toBe(401);
    expect(answer.text).toBe(INVALID_TOKEN);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('a refresh token is not an access token → 401 invalid_token', async () => {
    const t = await signIn(sb);
    expect((await call(sb, t.refresh_token, 'GET', '/auth/test')).text).toBe(INVALID_TOKEN);
  });

  it('a token sent as Basic, or a bad key, still gets the key 401', async () => {
    const t = await signIn(sb);
    const basic = await call(sb, null, 'GET', '/auth/test', undefined, { Authorization: 'Basic ' + Buffer.from(`${t.access_token}:`).toString('base64') });
    expect(basic.text).toBe(INVALID_KEY);
    expect((await call(sb, 'apf_dev_' + '0'.repeat(64), 'GET', '/auth/test')).text).toBe(INVALID_KEY);
  });

  it('rate-limits per grant: the tokens of one sign-in share a window, another sign-in has its own', async () => {
    clock.advance(3600 * 1000); // a fresh window
    const t = await signIn(sb);
    const again = await call(sb, t.access_token, 'GET', '/auth/test');
    expect(again.headers.get('x-ratelimit-limit')).toBe('5');
    expect(again.headers.get('x-ratelimit-remaining')).toBe('4');
    for (let i = 0; i < 4; i++) await call(sb, t.access_token, 'GET', '/auth/test');
    const refused = await call(sb, t.access_token, 'GET', '/auth/test');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    const other = await signIn(sb);
    expect((await call(sb, other.access_token, 'GET', '/auth/test')).status).toBe(200);
  });
});

/** spec/oauth.md: an access token opens the hub socket exactly like a key with the granted scopes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSocketRefused, HubTestClient } from '../support/hub-test-client';
import { registerHub } from './hub-fixtures';
import { CLIENT_ID, oauthPost, signIn } from './oauth-support';
import { startSandbox, type Sandbox } from './server';
import { call, FakeClock } from './test-support';

let sb: Sandbox;
const clock = new FakeClock();
beforeAll(async () => {
  sb = await startSandbox({ now: clock.now });
});
afterAll(() => sb.close());

const HUB_SCOPE = 'printers:read printers:write jobs:read jobs:write';
const refusal = async (hubId: string, token: string): Promise<HubSocketRefused> => {
  const err = await HubTestClient.open({ apiUrl: sb.url, hubId, key: token }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HubSocketRefused);
  return err as HubSocketRefused;
};
const revoke = (token: string) => oauthPost(sb, '/oauth/revoke', { token, client_id: CLIENT_ID });

describe('an access token on the hub socket', () => {
  it('with printers:write and jobs:write, registers a hub and opens its socket: hub_welcome', async () => {
    const t = await signIn(sb, { scope: HUB_SCOPE });
    const hubId = await registerHub(sb, t.access_token);
    const hub = await HubTestClient.connect({ apiUrl: sb.url, hubId, key: t.access_token });
    expect(sb.connectedHubs()).toContain(hubId);
    expect((await call(sb, t.access_token, 'GET', `/hubs/${hubId}`)).json.is_online).toBe(true);
    await hub.close();
  });

  it('with jobs:write unticked, is refused 403 like a key, naming the scope', async () => {
    const full = await signIn(sb, { scope: HUB_SCOPE });
    const hubId = await registerHub(sb, full.access_token);
    const t = await signIn(sb, { scope: HUB_SCOPE, grant: ['printers:read', 'printers:write', 'jobs:read'] });
    const err = await refusal(hubId, t.access_token);
    expect(err.status).toBe(403);
    expect(JSON.parse(err.body)).toEqual({ error: { code: 'insufficient_permissions', message: 'This API key lacks the required scope: jobs:write' } });
  });

  it('revoked or unknown, is refused 401 invalid_token with WWW-Authenticate and no upgrade', async () => {
    const t = await signIn(sb, { scope: HUB_SCOPE });
    const hubId = await registerHub(sb, t.access_token);
    await revoke(t.access_token);
    for (const token of [t.access_token, 'apfat_' + 'x'.repeat(43)]) {
      const err = await refusal(hubId, token);
      expect(err.status).toBe(401);
      expect(JSON.parse(err.body).error.code).toBe('invalid_token');
      expect(err.headers['www-authenticate']).toContain('error="invalid_token"');
    }
  });

  it('revoking the sign-in (its refresh token) while the socket is open ends it at once: error invalid_token, close 4401', async () => {
    const t = await signIn(sb, { scope: HUB_SCOPE });
    const hubId = await registerHub(sb, t.access_token);
    const hub = await HubTestClient.connect({ apiUrl: sb.url, hubId, key: t.access_token });
    await revoke(t.refresh_token);
    expect(await hub.next('error')).toMatchObject({ code: 'invalid_token' });
    expect((await hub.closed).code).toBe(4401);
  });

  it('revoking the access token itself also ends its socket at once', async () => {
    const t = await signIn(sb, { scope: HUB_SCOPE });
    const hubId = await registerHub(sb, t.access_token);
    const hub = await HubTestClient.connect({ apiUrl: sb.url, hubId, key: t.access_token });
    await revoke(t.access_token);
    expect((await hub.closed).code).toBe(4401);
  });

  it('an access token that expires while the socket is open ends it at the next frame (4401): reconnect with a refreshed one', async () => {
    const t = await signIn(sb, { scope: HUB_SCOPE });
    const hubId = await registerHub(sb, t.access_token);
    const hub = await HubTestClient.connect({ apiUrl: sb.url, hubId, key: t.access_token });
    clock.advance(3600 * 1000);
    hub.ping();
    expect(await hub.next('error')).toMatchObject({ code: 'invalid_token' });
    expect((await hub.closed).code).toBe(4401);
    const fresh = (await oauthPost(sb, '/oauth/token', { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: CLIENT_ID })).json;
    const again = await HubTestClient.connect({ apiUrl: sb.url, hubId, key: fresh.access_token });
    await again.close();
  });
});

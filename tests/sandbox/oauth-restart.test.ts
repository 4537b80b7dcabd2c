/** spec/oauth.md: tokens, codes and device codes are in the database (hashed), so they survive a restart. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizeCode, CLIENT_ID, DEVICE_GRANT, exchangeCode, oauthPost, refresh, signIn } from './oauth-support';
import { startSandbox, type Sandbox } from './server';
import { call, FakeClock } from './test-support';

const dirs: string[] = [];
const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const clock = new FakeClock();
async function sandboxOn(dbFile: string): Promise<Sandbox> {
  const sb = await startSandbox({ dbFile, now: clock.now });
  open.push(sb);
  return sb;
}
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apf-oauth-'));
  dirs.push(dir);
  return join(dir, 'cloud.db');
}

describe('restart on the same database file', () => {
  it('tokens survive a sandbox restart: the access token works, the refresh token rotates, the demo user keeps its password', async () => {
    const dbFile = tempDb();
    const first = await sandboxOn(dbFile);
    const t = await signIn(first, { scope: 'printers:read jobs:read' });
    const pendingCode = await authorizeCode(first);
    const password = first.demoUser.password;
    await first.close();

    const second = await sandboxOn(dbFile);
    expect(second.demoUser).toEqual({ email: 'demo@autoprintfarm.test', password });
    expect((await call(second, t.access_token, 'GET', '/printers')).status).toBe(200);
    const r = await refresh(second, t.refresh_token);
    expect(r.status).toBe(200);
    expect((await call(second, r.json.access_token, 'GET', '/jobs')).status).toBe(200);
    // A code issued before the restart can be exchanged after it.
    expect((await exchangeCode(second, pendingCode.code, pendingCode.pkce.verifier)).status).toBe(200);
    // A used refresh token is still known as used: the family goes.
    expect((await refresh(second, t.refresh_token)).json.error).toBe('invalid_grant');
    expect((await call(second, r.json.access_token, 'GET', '/jobs')).status).toBe(401);
  });

  it('a revocation survives a restart, and a pending device code can still be approved after one', async () => {
    const dbFile = tempDb();
    const first = await sandboxOn(dbFile);
    const t = await signIn(first);
    await oauthPost(first, '/oauth/revoke', { token: t.refresh_token, client_id: CLIENT_ID });
    const d = (await oauthPost(first, '/oauth/device_authorization', { client_id: CLIENT_ID, scope: 'jobs:read' })).json;
    await first.close();

    const second = await sandboxOn(dbFile);
    expect((await call(second, t.access_token, 'GET', '/auth/test')).status).toBe(401);
    const poll = () => oauthPost(second, '/oauth/token', { grant_type: DEVICE_GRANT, device_code: d.device_code, client_id: CLIENT_ID });
    expect((await poll()).json.error).toBe('authorization_pending');
  });

  it('the database holds only SHA-256 hashes of codes and tokens', async () => {
    const dbFile = tempDb();
    const first = await sandboxOn(dbFile);
    const { code, pkce } = await authorizeCode(first);
    const t = (await exchangeCode(first, code, pkce.verifier)).json;
    await first.close();
    const db = new Database(dbFile, { readonly: true });
    try {
      const dump = JSON.stringify([db.prepare('SELECT * FROM oauth_tokens').all(), db.prepare('SELECT * FROM oauth_codes').all()]);
      for (const secret of [code, t.access_token, t.refresh_token]) expect(dump).not.toContain(secret);
      expect(db.prepare('SELECT COUNT(*) AS n FROM oauth_tokens').get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }
  });
});

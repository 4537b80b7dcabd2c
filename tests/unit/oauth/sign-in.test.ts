/**
 * The app's side of "Sign in with AutoPrintFarm" against the sandbox's authorization server: the browser flow
 * with PKCE and the loopback redirect, the device grant, and the token session's upkeep (refresh ahead of expiry,
 * one refresh shared by every caller, sign-out with a reason when the cloud ends the sign-in).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fetchMetadata } from '../../../electron/core/oauth/metadata';
import { browserSignIn, deviceSignIn } from '../../../electron/core/oauth/sign-in';
import { TokenEndpoint, type TokenSet } from '../../../electron/core/oauth/token-endpoint';
import { TokenSession, type TokenStore } from '../../../electron/core/oauth/token-session';
import { getPage, submit } from '../../sandbox/oauth-support';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { FakeClock } from '../../sandbox/test-support';

let sb: Sandbox | null = null;
afterEach(async () => {
  await sb?.close();
  sb = null;
});

const SCOPES = ['printers:read', 'printers:write', 'jobs:read', 'jobs:write'];

/** The person at the browser: opens the link, signs in as the demo user, and allows (or unticks, or denies). */
function person(target: Sandbox, opts: { grant?: string[]; decision?: 'approve' | 'deny' } = {}) {
  return async (url: string) => {
    const page = await getPage(url);
    expect(page.status).toBe(200);
    const sent = await submit(target, page.html, opts);
    expect(sent.status).toBe(303);
    // The browser follows the redirect to the app's loopback listener.
    await fetch(sent.location!);
  };
}

const works = async (target: Sandbox, token: string) => (await fetch(`${target.url}/auth/test`, { headers: { authorization: `Bearer ${token}` } })).status;

function memoryStore(): TokenStore & { saved: (TokenSet | null)[] } {
  const saved: (TokenSet | null)[] = [];
  return { saved, load: async () => saved.at(-1) ?? null, save: async (t) => void saved.push(t) };
}

describe('signing in in the system browser', () => {
  it('gets tokens for the scopes the person allowed, usable on the API', async () => {
    sb = await startSandbox();
    const tokens = await browserSignIn({ apiBaseUrl: sb.url, scopes: SCOPES, openBrowser: person(sb, { grant: ['printers:read', 'jobs:read'] }) });
    expect(tokens.scopes.sort()).toEqual(['jobs:read', 'printers:read']);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    expect(await works(sb, tokens.accessToken)).toBe(200);
  });

  it('ends with a plain reason when the person declines', async () => {
    sb = await startSandbox();
    await expect(browserSignIn({ apiBaseUrl: sb.url, scopes: SCOPES, openBrowser: person(sb, { decision: 'deny' }) })).rejects.toThrow('The sign-in was declined in the browser.');
  });

  it('refuses a metadata document that names another server as its issuer', async () => {
    sb = await startSandbox();
    const lying: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const meta = (await res.json()) as Record<string, unknown>;
      return new Response(JSON.stringify({ ...meta, issuer: 'https://evil.example' }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    await expect(fetchMetadata(sb.url, lying)).rejects.toThrow(/name another server/);
  });
});

describe('signing in with a code typed on another device', () => {
  it('shows a code and a link, waits while the person approves, and slows down when asked', async () => {
    // The sandbox's clock moves only when this sign-in "waits", so its slow_down rule is met without real time.
    const clock = new FakeClock();
    sb = await startSandbox({ now: clock.now, oauth: { deviceIntervalSeconds: 1 } });
    const target = sb;
    const waits: number[] = [];
    const signIn = await deviceSignIn({
      apiBaseUrl: sb.url,
      scopes: SCOPES,
      sleep: async (ms) => {
        waits.push(ms);
        // The second wait is cut short (the first poll is never early): polling too early is answered slow_down,
        // and the interval grows by 5 s.
        clock.advance(waits.length === 2 ? 0 : ms);
        if (waits.length === 3) {
          const entry = await getPage(signIn.authorization.verification_uri_complete!);
          const consent = await submit(target, entry.html, { userCode: signIn.authorization.user_code });
          await submit(target, consent.html);
        }
      },
    });
    expect(signIn.authorization.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    const tokens = await signIn.tokens;
    expect(await works(sb, tokens.accessToken)).toBe(200);
    expect(waits).toEqual([1000, 1000, 6000]);
  });
});

describe('the token session', () => {
  async function signedIn(target: Sandbox, opts: { now?: () => number; onSignedOut?: (r: string) => void } = {}) {
    const tokens = await browserSignIn({ apiBaseUrl: target.url, scopes: SCOPES, openBrowser: person(target) });
    const store = memoryStore();
    const metadata = await fetchMetadata(target.url);
    const session = new TokenSession({
      endpoint: async () => new TokenEndpoint({ metadata, ...(opts.now ? { now: opts.now } : {}) }),
      store,
      ...(opts.now ? { now: opts.now } : {}),
      onSignedOut: opts.onSignedOut ?? (() => {}),
    });
    await session.signedIn(tokens);
    return { session, store, tokens };
  }

  it('refreshes a minute before expiry, once for all callers at the same moment (a refresh token is spent by its use)', async () => {
    sb = await startSandbox();
    let now = Date.now();
    const { session, tokens } = await signedIn(sb, { now: () => now });
    expect(await session.accessToken()).toBe(tokens.accessToken);
    now = tokens.expiresAt - 30_000;
    const [a, b, c] = await Promise.all([session.accessToken(), session.accessToken(), session.accessToken()]);
    expect(a).not.toBe(tokens.accessToken);
    expect(new Set([a, b, c]).size).toBe(1);
    // Had two refreshes used the same refresh token, the cloud would have revoked the family.
    expect(await works(sb, a)).toBe(200);
    expect(session.current()?.refreshToken).not.toBe(tokens.refreshToken);
  });

  it('after invalid_token refreshes once and hands out the new token', async () => {
    sb = await startSandbox();
    const { session, tokens } = await signedIn(sb);
    const retry = await session.afterInvalidToken(tokens.accessToken);
    expect(retry).not.toBe(tokens.accessToken);
    expect(await works(sb, retry!)).toBe(200);
  });

  it('signs out with the reason when the cloud refuses the refresh, and keeps nothing', async () => {
    sb = await startSandbox();
    let reason = '';
    const { session, store, tokens } = await signedIn(sb, { onSignedOut: (r) => (reason = r) });
    // The family is revoked elsewhere (the user signed the app out from the cloud's side).
    await new TokenEndpoint({ metadata: await fetchMetadata(sb.url) }).revoke(tokens.refreshToken!, 'refresh_token');
    expect(await session.afterInvalidToken(tokens.accessToken)).toBeNull();
    expect(reason).toMatch(/The cloud ended the sign-in/);
    expect(session.current()).toBeNull();
    expect(store.saved.at(-1)).toBeNull();
  });

  it('sign-out revokes both tokens at the cloud', async () => {
    sb = await startSandbox();
    const { session, tokens } = await signedIn(sb);
    await session.signOut();
    expect(await works(sb, tokens.accessToken)).toBe(401);
    const refreshed = await fetch(`${sb.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken!, client_id: 'autoprintfarm-desktop' }).toString(),
    });
    expect(((await refreshed.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('a refresh token stolen and used after the app rotated it kills the family, and the app signs out cleanly with the reason', async () => {
    sb = await startSandbox();
    let reason = '';
    let now = Date.now();
    const { session, tokens } = await signedIn(sb, { now: () => now, onSignedOut: (r) => (reason = r) });
    // The app rotates its refresh token in the normal way.
    now = tokens.expiresAt - 30_000;
    await session.accessToken();
    // The thief replays the old, spent refresh token: the cloud sees a reuse and revokes the whole family.
    const replay = await fetch(`${sb.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken!, client_id: 'autoprintfarm-desktop' }).toString(),
    });
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
    // The app's next refresh is refused: it signs out, says why, and keeps no token.
    now = session.current()!.expiresAt - 30_000;
    await expect(session.accessToken()).rejects.toThrow();
    expect(reason).toMatch(/The cloud ended the sign-in/);
    expect(session.current()).toBeNull();
  });
});

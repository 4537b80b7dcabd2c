import { describe, expect, it } from 'vitest';
import { listenForRedirect } from '../../../electron/core/oauth/loopback-redirect';
import { newPkce, newState, s256 } from '../../../electron/core/oauth/pkce';

describe('the loopback redirect of a browser sign-in', () => {
  it('listens on 127.0.0.1 at a port the OS picks, takes the code that comes back with its state, and tells the browser it is done', async () => {
    const state = newState();
    const redirect = await listenForRedirect(state);
    expect(redirect.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    const res = await fetch(`${redirect.redirectUri}?code=abc123&state=${state}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Signed in — you can close this tab');
    expect(res.headers.get('cache-control')).toBe('no-store');
    await expect(redirect.code).resolves.toBe('abc123');
  });

  it('refuses an answer carrying another state (a stale tab, a forged link) and keeps waiting for the real one', async () => {
    const state = newState();
    const redirect = await listenForRedirect(state);
    const forged = await fetch(`${redirect.redirectUri}?code=evil&state=${newState()}`);
    expect(forged.status).toBe(400);
    expect(await fetch(`${redirect.redirectUri.replace('/oauth/callback', '/other')}?code=x&state=${state}`).then((r) => r.status)).toBe(404);
    await fetch(`${redirect.redirectUri}?code=real&state=${state}`);
    await expect(redirect.code).resolves.toBe('real');
  });

  it('ends the sign-in with a plain reason when the user declines in the browser', async () => {
    const state = newState();
    const redirect = await listenForRedirect(state);
    await fetch(`${redirect.redirectUri}?error=access_denied&state=${state}`);
    await expect(redirect.code).rejects.toThrow('The sign-in was declined in the browser.');
  });

  it('gives up after its time limit with a message saying so, and stops listening', async () => {
    const redirect = await listenForRedirect(newState(), 50);
    await expect(redirect.code).rejects.toThrow(/not finished in the browser within/);
    await new Promise((r) => setTimeout(r, 20));
    await expect(fetch(redirect.redirectUri)).rejects.toThrow();
  });
});

describe('PKCE', () => {
  it('uses a 32-byte verifier (43 base64url characters) and its S256 challenge (RFC 7636 appendix B)', () => {
    const { verifier, challenge, method } = newPkce();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(s256(verifier));
    expect(method).toBe('S256');
    expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});

describe('attacks on the loopback listener', () => {
  it('a second request after the answer was taken gets nothing: the listener is closed or says it is done', async () => {
    const state = newState();
    const redirect = await listenForRedirect(state);
    await fetch(`${redirect.redirectUri}?code=first&state=${state}`);
    await expect(redirect.code).resolves.toBe('first');
    const second = await fetch(`${redirect.redirectUri}?code=second&state=${state}`).then(
      (r) => r.status,
      () => 'closed',
    );
    expect([409, 'closed']).toContain(second);
  });
});

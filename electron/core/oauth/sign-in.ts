import { AppError } from '../errors';
import { listenForRedirect, SIGN_IN_TIMEOUT_MS } from './loopback-redirect';
import { CLIENT_ID, fetchMetadata } from './metadata';
import { newPkce, newState } from './pkce';
import { TokenEndpoint, type DeviceAuthorization, type TokenSet } from './token-endpoint';

export interface SignInDeps {
  /** The cloud's API base URL (`https://host/v1`); its origin is the authorization server. */
  apiBaseUrl: string;
  scopes: readonly string[];
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * "Sign in with AutoPrintFarm" in the system browser (RFC 8252): authorization code with PKCE S256, a fresh
 * `state`, the redirect caught by a one-shot loopback listener. `openBrowser` is the host's (Electron's
 * `shell.openExternal`, or printing the link on a headless host): never an embedded web view.
 */
export async function browserSignIn(deps: SignInDeps & { openBrowser(url: string): Promise<void> | void; timeoutMs?: number; signal?: AbortSignal }): Promise<TokenSet> {
  const metadata = await fetchMetadata(deps.apiBaseUrl, deps.fetch);
  const pkce = newPkce();
  const state = newState();
  const redirect = await listenForRedirect(state, deps.timeoutMs ?? SIGN_IN_TIMEOUT_MS);
  deps.signal?.addEventListener('abort', () => redirect.close(), { once: true });
  try {
    const url = new URL(metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: redirect.redirectUri,
      scope: deps.scopes.join(' '),
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: pkce.method,
    }).toString();
    await deps.openBrowser(url.toString());
    const code = await redirect.code;
    return await new TokenEndpoint({ metadata, ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.now ? { now: deps.now } : {}) }).exchangeCode(
      code,
      redirect.redirectUri,
      pkce.verifier,
      deps.scopes,
    );
  } finally {
    redirect.close();
  }
}

export interface DeviceSignIn {
  /** What to show the user: the code to type and where (a QR code of `verification_uri_complete` does both). */
  authorization: DeviceAuthorization;
  /** Resolves with the tokens once the user approved; rejects when they declined or the code expired. */
  tokens: Promise<TokenSet>;
  cancel: () => void;
}

/**
 * Sign-in on a machine whose browser is elsewhere (RFC 8628): the user types a short code on their phone, and
 * this polls at the interval the cloud asks for, 5 s slower after each `slow_down`.
 */
export async function deviceSignIn(deps: SignInDeps & { sleep?: (ms: number) => Promise<void> }): Promise<DeviceSignIn> {
  const metadata = await fetchMetadata(deps.apiBaseUrl, deps.fetch);
  const endpoint = new TokenEndpoint({ metadata, ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.now ? { now: deps.now } : {}) });
  const authorization = await endpoint.startDevice(deps.scopes);
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  let cancelled = false;
  const deadline = now() + authorization.expires_in * 1000;
  const tokens = (async () => {
    let interval = (authorization.interval ?? 5) * 1000;
    for (;;) {
      await sleep(interval);
      if (cancelled) throw new AppError('conflict', 'The sign-in was cancelled.');
      if (now() > deadline) throw new AppError('timeout', 'The code was not entered in time. Start the sign-in again.');
      const answer = await endpoint.pollDevice(authorization.device_code, deps.scopes);
      if (answer === 'slow_down') interval += 5000;
      else if (answer !== 'pending') return answer;
    }
  })();
  tokens.catch(() => undefined);
  return { authorization, tokens, cancel: () => void (cancelled = true) };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { presentedCredential } from './auth-header';
import { ApiError, errorBody, INVALID_KEY_BODY, parseJsonObject, readBody, redactKeys, sendBytes, sendJson } from './http-io';
import type { KeyStore, VerifiedKey } from './keys';
import { OAuthStore } from './oauth-store';
import type { FixedWindowLimiter, RateDecision } from './rate-limit';
import type { PublicRoute, Reply, Router } from './router';
import { holdsScope } from './scopes';

export interface PipelineDeps {
  keys: KeyStore;
  /** OAuth access tokens, accepted wherever a key is (spec/oauth.md). */
  tokens?: OAuthStore;
  limiter: FixedWindowLimiter;
  router: Router;
  /** Routes that carry their own proof (signed links), matched before any key is asked for. */
  publicRouter?: Router<PublicRoute>;
  now: () => number;
  /** Where unexpected errors go. Lines are redacted of anything key-shaped before they get here. */
  log: (line: string) => void;
}

const API_BASE = '/v1';

/**
 * The key check the server runs on every request, callable on its own (the auth benchmark times it):
 * parse the Authorization header(s), then verify the key. Null means "answer 401", whatever the reason.
 */
export function authenticate(keys: KeyStore, authorization: readonly string[] | undefined, tokens?: OAuthStore): VerifiedKey | null {
  const outcome = authenticateCaller(keys, tokens, authorization);
  return outcome.ok ? outcome.caller : null;
}

/** A refused credential: the 401 body and the headers that go with it. */
export type AuthOutcome = { ok: true; caller: VerifiedKey } | { ok: false; body: string; headers: Record<string, string> };

export const INVALID_TOKEN_BODY = errorBody('invalid_token', 'The access token is invalid, expired or revoked');
/** RFC 6750 §3: a refused bearer token says why in WWW-Authenticate. */
export const INVALID_TOKEN_HEADERS: Readonly<Record<string, string>> = {
  'WWW-Authenticate': 'Bearer realm="AutoPrintFarm", error="invalid_token", error_description="The access token is invalid, expired or revoked"',
};

/**
 * The one place every REST request and hub socket is authenticated. A `Bearer` credential shaped like one of our
 * OAuth tokens is an access token: refused with 401 `invalid_token` and RFC 6750's header. Anything else is a key:
 * refused with the seed's one 401 `invalid_api_key`, whatever the reason.
 */
export function authenticateCaller(keys: KeyStore, tokens: OAuthStore | undefined, authorization: readonly string[] | undefined): AuthOutcome {
  const credential = presentedCredential(authorization);
  if (credential !== null && credential.scheme === 'bearer' && OAuthStore.looksLikeToken(credential.value)) {
    const grant = tokens?.verifyAccess(credential.value) ?? null;
    if (grant === null) return { ok: false, body: INVALID_TOKEN_BODY, headers: { ...INVALID_TOKEN_HEADERS } };
    return { ok: true, caller: { id: grant.grantId, scopes: grant.scopes, organization: null, oauth: { tokenId: grant.tokenId, userId: grant.userId } } };
  }
  const key = credential === null ? null : keys.verify(credential.value);
  return key === null ? { ok: false, body: INVALID_KEY_BODY, headers: {} } : { ok: true, caller: key };
}

/** The X-RateLimit-* headers for a response whose caller has no known key. */
export function anonymousRateHeaders(limiter: FixedWindowLimiter): Record<string, string> {
  return rateHeaders(limiter.anonymous());
}

/** What a request with a known key meets before its route: usage count, then the rate limit. */
export type Admission = { ok: true; headers: Record<string, string> } | { ok: false; status: 429; body: string; headers: Record<string, string> };

export function admit(keys: KeyStore, limiter: FixedWindowLimiter, now: () => number, caller: VerifiedKey, tokens?: OAuthStore): Admission {
  // A token's requests count against its grant (one sign-in of one user), as a key's count against the key.
  if (caller.oauth) tokens?.recordUse(caller.id);
  else keys.recordUse(caller.id);
  const rate = limiter.take(caller.id);
  const headers = rateHeaders(rate);
  if (rate.allowed) return { ok: true, headers };
  const retryAfter = Math.max(1, Math.ceil((rate.resetAt - now()) / 1000));
  return {
    ok: false,
    status: 429,
    body: errorBody('rate_limit_exceeded', `Rate limit exceeded. Retry after ${retryAfter} seconds`),
    headers: { ...headers, 'Retry-After': String(retryAfter) },
  };
}

/** The 403 body for the first of `required` the caller does not hold, or null when it holds them all. */
export function missingScopeBody(caller: VerifiedKey, required: readonly string[]): string | null {
  const missing = required.find((scope) => !holdsScope(caller.scopes, scope));
  return missing === undefined ? null : errorBody('insufficient_permissions', `This API key lacks the required scope: ${missing}`);
}

/** For a token caller refused a scope, RFC 6750 §3.1's header beside the API's 403 body. */
export function missingScopeHeaders(caller: VerifiedKey, required: readonly string[]): Record<string, string> {
  const missing = required.find((scope) => !holdsScope(caller.scopes, scope));
  return caller.oauth && missing !== undefined ? { 'WWW-Authenticate': `Bearer realm="AutoPrintFarm", error="insufficient_scope", scope="${missing}"` } : {};
}

function rateHeaders(d: RateDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(d.limit),
    'X-RateLimit-Remaining': String(d.remaining),
    'X-RateLimit-Reset': String(Math.ceil(d.resetAt / 1000)),
  };
}

/**
 * Every request goes: route prefix → key → rate limit → route → scope → handler. The key comes before
 * the route, so a caller without a valid key learns nothing, not even which paths exist.
 */
export function createRequestHandler(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { keys, tokens, limiter, router, publicRouter, now, log } = deps;

  function send(res: ServerResponse, reply: Reply, headers: Record<string, string>): void {
    if (reply.status === 204) return sendJson(res, 204, null, headers);
    if ('bytes' in reply) return sendBytes(res, reply.bytes, { ...headers, ...reply.headers });
    return sendJson(res, reply.status, JSON.stringify(reply.body), headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    } catch {
      return sendJson(res, 404, errorBody('not_found', 'No such endpoint.'), headers);
    }
    const path = url.pathname;
    if (path !== API_BASE && !path.startsWith(API_BASE + '/')) {
      return sendJson(res, 404, errorBody('not_found', `No such endpoint: the API lives under ${API_BASE}.`), headers);
    }

    const method = req.method ?? 'GET';
    const relative = path.slice(API_BASE.length);
    const open = publicRouter?.match(method, relative);
    if (open?.kind === 'found') return send(res, await open.route.handle({ params: open.params, query: url.searchParams }), headers);

    const auth = authenticateCaller(keys, tokens, req.headersDistinct.authorization);
    if (!auth.ok) return sendJson(res, 401, auth.body, { ...headers, ...auth.headers });
    const caller = auth.caller;

    const admission = admit(keys, limiter, now, caller, tokens);
    Object.assign(headers, admission.headers);
    if (!admission.ok) return sendJson(res, admission.status, admission.body, headers);

    const match = router.match(method, relative);
    if (match.kind === 'none') return sendJson(res, 404, errorBody('not_found', `No such endpoint: ${method} ${path}.`), headers);
    if (match.kind === 'wrong_method') {
      return sendJson(res, 404, errorBody('not_found', `${path} does not support ${method}; it supports ${match.allowed.join(', ')}.`), headers);
    }

    const { route, params } = match;
    const refused = route.scope === null ? null : missingScopeBody(caller, [route.scope]);
    if (refused !== null) return sendJson(res, 403, refused, { ...headers, ...missingScopeHeaders(caller, [route.scope!]) });

    const reply = await route.handle({
      params,
      query: url.searchParams,
      caller,
      headers: req.headers,
      readJson: async () => parseJsonObject(await readBody(req)),
      readRaw: (maxBytes) => readBody(req, maxBytes),
    });
    send(res, reply, headers);
  }

  return (req, res) => {
    const headers = anonymousRateHeaders(limiter);
    handle(req, res, headers).catch((err: unknown) => {
      if (err instanceof ApiError) {
        // A refused body may still be arriving; close the connection rather than read it all.
        const extra: Record<string, string> = err.status === 413 ? { Connection: 'close' } : {};
        return sendJson(res, err.status, errorBody(err.code, err.message, err.details), { ...headers, ...extra });
      }
      log(`sandbox: internal error on ${req.method} ${redactKeys(req.url ?? '')}: ${redactKeys(err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
      sendJson(res, 500, errorBody('internal_error', 'The sandbox hit an unexpected error. The details are in its log.'), headers);
    });
  };
}

/**
 * The sandbox as an OAuth 2.0 authorization server (spec/oauth.md): RFC 8414 metadata, the authorization code
 * grant with PKCE S256 (RFC 6749, 7636, 8252), refresh rotation (RFC 9700 §4.14), revocation (RFC 7009) and the
 * device authorization grant (RFC 8628). State lives in `OAuthStore`; the pages in `oauth-pages.ts`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errorBody, readBody, sendJson } from './http-io';
import { CLIENT_ID, DEVICE_CODE_GRANT, formatUserCode, normalizeUserCode, OAUTH_SCOPES, parseScope, type DemoUser, type OAuthStore, type TokenResult } from './oauth-store';
import { consentPage, deviceEntryPage, messagePage } from './oauth-pages';

export interface OAuthServerDeps {
  store: OAuthStore;
  user: DemoUser;
  /** `http://127.0.0.1:<port>`: the issuer, and the base of every endpoint URL. */
  issuer: () => string;
  now: () => number;
  /** RFC 8628 `interval` (seconds) and device code life (ms). */
  deviceIntervalS: number;
  deviceTtlMs: number;
}

export const METADATA_PATH = '/.well-known/oauth-authorization-server';

/** RFC 8252 §7.3: loopback IP literal, any port, exactly this path; nothing else (no localhost, query or fragment). */
const REDIRECT_URI = /^http:\/\/(?:127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?\/oauth\/callback$/;
/** The S256 challenge is BASE64URL(SHA-256(verifier)) without padding: exactly 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const FORM_MAX_BYTES = 64 * 1024;
const CSRF_TTL_MS = 30 * 60 * 1000;
/** Sign-in attempts: this many failures per window lock the account for the rest of the window. */
const SIGN_IN_FAILURES = 5;
/** Wrong device codes typed (all users together): RFC 8628 §5.1 asks for a limit against guessing. */
const USER_CODE_FAILURES = 10;
const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;

export function isRedirectUri(uri: string): boolean {
  const m = REDIRECT_URI.exec(uri);
  if (!m) return false;
  const port = m[1] === undefined ? 80 : Number(m[1]);
  return port >= 1 && port <= 65535 && !(m[1] ?? '').startsWith('0');
}

/** Failures counted per subject in fixed windows; a full window refuses until it ends. */
class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();
  constructor(
    private readonly max: number,
    private readonly now: () => number,
  ) {}
  /** Milliseconds until `subject` may try again, or 0. */
  lockedFor(subject: string): number {
    const w = this.windows.get(subject);
    if (!w || this.now() >= w.start + ATTEMPT_WINDOW_MS) return 0;
    return w.failures >= this.max ? w.start + ATTEMPT_WINDOW_MS - this.now() : 0;
  }
  fail(subject: string): void {
    const w = this.windows.get(subject);
    if (!w || this.now() >= w.start + ATTEMPT_WINDOW_MS) this.windows.set(subject, { start: this.now(), failures: 1 });
    else w.failures++;
  }
  reset(subject: string): void {
    this.windows.delete(subject);
  }
}

/** One-use form tokens, each bound to what its page was about (an authorization request, a device code). */
class CsrfTokens {
  private readonly tokens = new Map<string, { purpose: string; expiresAt: number }>();
  constructor(private readonly now: () => number) {}
  issue(purpose: string): string {
    const now = this.now();
    for (const [t, v] of this.tokens) if (v.expiresAt <= now) this.tokens.delete(t);
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { purpose, expiresAt: now + CSRF_TTL_MS });
    return token;
  }
  consume(token: string | null, purpose: string): boolean {
    if (token === null) return false;
    const entry = this.tokens.get(token);
    if (!entry) return false;
    this.tokens.delete(token);
    return entry.purpose === purpose && this.now() < entry.expiresAt;
  }
}

interface AuthorizationRequest {
  redirectUri: string;
  state: string | null;
  codeChallenge: string;
  scopes: string[];
  /** The request's own fields, carried through the consent form as hidden inputs. */
  fields: Record<string, string>;
}

type AuthorizeCheck =
  | { kind: 'ok'; request: AuthorizationRequest }
  /** No trustworthy redirect_uri: an error page, never a redirect (RFC 6749 §4.1.2.1). */
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; redirectUri: string; state: string | null; error: string; description: string };

const AUTHORIZE_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

function checkAuthorizeRequest(p: URLSearchParams): AuthorizeCheck {
  if (p.getAll('client_id').length > 1 || p.getAll('redirect_uri').length > 1) return { kind: 'page', message: 'client_id and redirect_uri may each be sent only once.' };
  const clientId = p.get('client_id');
  if (clientId !== CLIENT_ID) return { kind: 'page', message: clientId === null ? 'The request names no client (client_id).' : `Unknown client: ${clientId}.` };
  const redirectUri = p.get('redirect_uri');
  if (redirectUri === null || !isRedirectUri(redirectUri)) {
    return { kind: 'page', message: 'The redirect_uri is not registered for this app: it must be http://127.0.0.1:<port>/oauth/callback or http://[::1]:<port>/oauth/callback.' };
  }
  const state = p.get('state');
  const refuse = (error: string, description: string): AuthorizeCheck => ({ kind: 'redirect', redirectUri, state, error, description });
  const repeated = AUTHORIZE_FIELDS.find((f) => p.getAll(f).length > 1);
  if (repeated !== undefined) return refuse('invalid_request', `${repeated} was sent more than once.`);
  if (p.get('response_type') !== 'code') return refuse('unsupported_response_type', 'Only response_type=code is supported.');
  const method = p.get('code_challenge_method');
  const challenge = p.get('code_challenge');
  if (challenge === null) return refuse('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.');
  if (method !== 'S256') return refuse('invalid_request', 'Only code_challenge_method=S256 is supported (plain is refused).');
  if (!S256_CHALLENGE.test(challenge)) return refuse('invalid_request', 'code_challenge must be the 43-character BASE64URL of a SHA-256.');
  const scope = p.get('scope');
  const scopes = scope === null ? null : parseScope(scope);
  if (scopes === null || scopes.length === 0) return refuse('invalid_scope', `Ask for one or more of: ${OAUTH_SCOPES.join(' ')}.`);
  const fields: Record<string, string> = {};
  for (const f of AUTHORIZE_FIELDS) {
    const v = p.get(f);
    if (v !== null) fields[f] = v;
  }
  return { kind: 'ok', request: { redirectUri, state, codeChallenge: challenge, scopes, fields } };
}

/** Binds a consent page's CSRF token to the exact authorization request it shows. */
const authorizePurpose = (r: AuthorizationRequest): string =>
  'authorize:' +
  createHash('sha256')
    .update(JSON.stringify(AUTHORIZE_FIELDS.map((f) => r.fields[f] ?? null)))
    .digest('base64url');

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self' http://127.0.0.1:* http://[::1]:*",
};

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': String(Buffer.byteLength(html)) });
  res.end(html);
}

function redirect(res: ServerResponse, status: 302 | 303, location: string): void {
  res.writeHead(status, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': '0' });
  res.end();
}

/** RFC 6749 §5.2. */
function sendOAuthError(res: ServerResponse, status: number, error: string, description: string): void {
  sendJson(res, status, JSON.stringify({ error, error_description: description }), { Pragma: 'no-cache' });
}

class FormError extends Error {}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new FormError('Send the parameters as application/x-www-form-urlencoded.');
  const body = await readBody(req, FORM_MAX_BYTES);
  return new URLSearchParams(body.toString('utf8'));
}

export interface OAuthServer {
  /** True for the paths this server answers (`/oauth/…` and the metadata). */
  owns(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createOAuthServer(deps: OAuthServerDeps): OAuthServer {
  const { store, user, now } = deps;
  const csrf = new CsrfTokens(now);
  const signIns = new AttemptLimiter(SIGN_IN_FAILURES, now);
  const codeGuesses = new AttemptLimiter(USER_CODE_FAILURES, now);

  function metadata() {
    const iss = deps.issuer();
    return {
      issuer: iss,
      authorization_endpoint: `${iss}/oauth/authorize`,
      token_endpoint: `${iss}/oauth/token`,
      revocation_endpoint: `${iss}/oauth/revoke`,
      device_authorization_endpoint: `${iss}/oauth/device_authorization`,
      scopes_supported: OAUTH_SCOPES,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
      authorization_response_iss_parameter_supported: true,
    };
  }

  function redirectWith(res: ServerResponse, status: 302 | 303, redirectUri: string, params: Record<string, string | null>): void {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null) query.set(k, v);
    query.set('iss', deps.issuer()); // RFC 9207: lets the client tell authorization servers apart
    redirect(res, status, `${redirectUri}?${query.toString()}`);
  }

  /**
   * The sign-in half of a consent form. Null when the user is signed in; else the message to show again
   * (and the HTTP status: 429 while locked out).
   */
  function signIn(form: URLSearchParams): { status: number; message: string } | null {
    const subject = user.email;
    const locked = signIns.lockedFor(subject);
    if (locked > 0) return { status: 429, message: `Too many failed sign-in attempts. Try again in ${Math.ceil(locked / 60_000)} minutes.` };
    const emailOk = (form.get('email') ?? '').trim().toLowerCase() === user.email;
    const passwordOk = sameSecret(form.get('password') ?? '', user.password);
    if (!emailOk || !passwordOk) {
      signIns.fail(subject);
      return { status: 200, message: 'Wrong email or password.' };
    }
    signIns.reset(subject);
    return null;
  }

  /** The scopes the user left ticked, in canonical order, within those asked for. */
  const ticked = (form: URLSearchParams, asked: readonly string[]): string[] => {
    const grant = form.getAll('grant');
    return asked.filter((s) => grant.includes(s));
  };

  function authorizePage(res: ServerResponse, status: number, request: AuthorizationRequest, extra: { error?: string; email?: string; ticked?: string[] } = {}): void {
    sendPage(res, status, consentPage({ action: '/oauth/authorize', csrf: csrf.issue(authorizePurpose(request)), hidden: request.fields, scopes: request.scopes, ...extra }));
  }

  async function authorize(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const post = req.method === 'POST';
    const form = post ? await readForm(req) : url.searchParams;
    const check = checkAuthorizeRequest(form);
    if (check.kind === 'page') return sendPage(res, 400, messagePage('Sign-in request refused', check.message));
    if (check.kind === 'redirect') {
      return redirectWith(res, post ? 303 : 302, check.redirectUri, { error: check.error, error_description: check.description, state: check.state });
    }
    const request = check.request;
    if (!post) return authorizePage(res, 200, request);

    if (!csrf.consume(form.get('csrf_token'), authorizePurpose(request))) {
      return sendPage(res, 400, messagePage('This page has expired', 'The sign-in form was too old or not sent by this page. Start the sign-in again from the app.'));
    }
    if (form.get('decision') !== 'approve') {
      return redirectWith(res, 303, request.redirectUri, { error: 'access_denied', error_description: 'The user denied access.', state: request.state });
    }
    const email = form.get('email') ?? '';
    const refused = signIn(form);
    if (refused !== null) return authorizePage(res, refused.status, request, { error: refused.message, email, ticked: ticked(form, request.scopes) });
    const granted = ticked(form, request.scopes);
    if (granted.length === 0) return authorizePage(res, 200, request, { error: 'Tick at least one permission, or choose Deny.', email, ticked: [] });
    const code = store.createCode({ redirectUri: request.redirectUri, codeChallenge: request.codeChallenge, userId: user.id, scopes: granted });
    redirectWith(res, 303, request.redirectUri, { code, state: request.state });
  }

  function devicePage(res: ServerResponse, status: number, userCode: string, scopes: readonly string[], extra: { error?: string; email?: string; ticked?: string[] } = {}): void {
    sendPage(
      res,
      status,
      consentPage({
        action: '/oauth/device',
        csrf: csrf.issue(`device:${userCode}`),
        hidden: { step: 'consent', user_code: userCode },
        scopes,
        userCode: formatUserCode(userCode),
        ...extra,
      }),
    );
  }

  async function device(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'GET') {
      const typed = url.searchParams.get('user_code');
      const code = typed === null ? null : normalizeUserCode(typed);
      return sendPage(res, 200, deviceEntryPage({ csrf: csrf.issue('device-entry'), userCode: code === null ? (typed ?? '') : formatUserCode(code) }));
    }
    const form = await readForm(req);
    if (form.get('step') === 'consent') {
      const userCode = form.get('user_code') ?? '';
      if (!csrf.consume(form.get('csrf_token'), `device:${userCode}`)) {
        return sendPage(res, 400, messagePage('This page has expired', 'The form was too old or not sent by this page. Enter the code again.'));
      }
      const pending = store.pendingDevice(userCode);
      if (!pending) return sendPage(res, 400, messagePage('Code expired', 'This code has expired or was already used. Start again on your device.'));
      if (form.get('decision') !== 'approve') {
        store.decideDevice(userCode, { approve: false });
        return sendPage(res, 200, messagePage('Access denied', 'The device was not connected. You can close this page.'));
      }
      const email = form.get('email') ?? '';
      const refused = signIn(form);
      if (refused !== null) return devicePage(res, refused.status, userCode, pending.scopes, { error: refused.message, email, ticked: ticked(form, pending.scopes) });
      const granted = ticked(form, pending.scopes);
      if (granted.length === 0) return devicePage(res, 200, userCode, pending.scopes, { error: 'Tick at least one permission, or choose Deny.', email, ticked: [] });
      store.decideDevice(userCode, { approve: true, userId: user.id, scopes: granted });
      return sendPage(res, 200, messagePage('Device connected', 'You are signed in on your device. You can close this page.'));
    }

    if (!csrf.consume(form.get('csrf_token'), 'device-entry')) {
      return sendPage(res, 400, messagePage('This page has expired', 'The form was too old or not sent by this page. Open the link again.'));
    }
    const typed = form.get('user_code') ?? '';
    const locked = codeGuesses.lockedFor('*');
    if (locked > 0) {
      return sendPage(
        res,
        429,
        deviceEntryPage({ csrf: csrf.issue('device-entry'), userCode: typed, error: `Too many wrong codes. Try again in ${Math.ceil(locked / 60_000)} minutes.` }),
      );
    }
    const code = normalizeUserCode(typed);
    const pending = code === null ? null : store.pendingDevice(code);
    if (pending === null) {
      codeGuesses.fail('*');
      return sendPage(
        res,
        200,
        deviceEntryPage({ csrf: csrf.issue('device-entry'), userCode: typed, error: 'That code is not valid or has expired. Check the code on your device.' }),
      );
    }
    devicePage(res, 200, pending.userCode, pending.scopes);
  }

  /** client_id as a public client sends it (no secret, no Authorization header); a failure answer, or null. */
  function clientProblem(req: IncomingMessage, form: URLSearchParams): string | null {
    if (req.headers.authorization !== undefined) return `${CLIENT_ID} is a public client: send client_id in the body and no Authorization header.`;
    if (form.getAll('client_id').length !== 1 || form.get('client_id') !== CLIENT_ID) return 'Unknown client; this server knows client_id=autoprintfarm-desktop.';
    return null;
  }

  function answerTokens(res: ServerResponse, result: TokenResult): void {
    if (!result.ok) return sendOAuthError(res, 400, result.error, result.description);
    sendJson(res, 200, JSON.stringify(result.tokens), { Pragma: 'no-cache' });
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const client = clientProblem(req, form);
    if (client !== null) return sendOAuthError(res, 401, 'invalid_client', client);
    const repeated = [...new Set(form.keys())].find((k) => form.getAll(k).length > 1);
    if (repeated !== undefined) return sendOAuthError(res, 400, 'invalid_request', `${repeated} was sent more than once.`);
    const need = (...names: string[]): string | null => names.find((n) => (form.get(n) ?? '') === '') ?? null;
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const missing = need('code', 'redirect_uri', 'code_verifier');
      if (missing !== null) return sendOAuthError(res, 400, 'invalid_request', `${missing} is required.`);
      return answerTokens(res, store.redeemCode({ code: form.get('code')!, clientId: CLIENT_ID, redirectUri: form.get('redirect_uri')!, verifier: form.get('code_verifier')! }));
    }
    if (grantType === 'refresh_token') {
      const missing = need('refresh_token');
      if (missing !== null) return sendOAuthError(res, 400, 'invalid_request', `${missing} is required.`);
      const scope = form.get('scope');
      const scopes = scope === null ? null : parseScope(scope);
      if (scope !== null && (scopes === null || scopes.length === 0)) return sendOAuthError(res, 400, 'invalid_scope', `Ask for one or more of: ${OAUTH_SCOPES.join(' ')}.`);
      return answerTokens(res, store.refresh({ refreshToken: form.get('refresh_token')!, clientId: CLIENT_ID, scopes }));
    }
    if (grantType === DEVICE_CODE_GRANT) {
      const missing = need('device_code');
      if (missing !== null) return sendOAuthError(res, 400, 'invalid_request', `${missing} is required.`);
      return answerTokens(res, store.pollDevice({ deviceCode: form.get('device_code')!, clientId: CLIENT_ID }));
    }
    if (grantType === null) return sendOAuthError(res, 400, 'invalid_request', 'grant_type is required.');
    sendOAuthError(res, 400, 'unsupported_grant_type', `grant_type ${grantType} is not supported.`);
  }

  async function revoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const client = clientProblem(req, form);
    if (client !== null) return sendOAuthError(res, 401, 'invalid_client', client);
    const presented = form.get('token');
    if (presented === null || presented === '') return sendOAuthError(res, 400, 'invalid_request', 'token is required.');
    // token_type_hint is only a hint (RFC 7009 §2.1): we find either kind by its hash.
    store.revoke(presented);
    sendJson(res, 200, null);
  }

  async function deviceAuthorization(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const client = clientProblem(req, form);
    if (client !== null) return sendOAuthError(res, 401, 'invalid_client', client);
    const scope = form.get('scope');
    const scopes = scope === null || form.getAll('scope').length > 1 ? null : parseScope(scope);
    if (scopes === null || scopes.length === 0) return sendOAuthError(res, 400, 'invalid_scope', `Ask for one or more of: ${OAUTH_SCOPES.join(' ')}.`);
    const { deviceCode, userCode } = store.startDevice({ scopes, intervalS: deps.deviceIntervalS, ttlMs: deps.deviceTtlMs });
    const verification = `${deps.issuer()}/oauth/device`;
    sendJson(
      res,
      200,
      JSON.stringify({
        device_code: deviceCode,
        user_code: formatUserCode(userCode),
        verification_uri: verification,
        verification_uri_complete: `${verification}?user_code=${formatUserCode(userCode)}`,
        expires_in: Math.round(deps.deviceTtlMs / 1000),
        interval: deps.deviceIntervalS,
      }),
      { Pragma: 'no-cache' },
    );
  }

  type Endpoint = { methods: string[]; run: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void };
  const endpoints: Record<string, Endpoint> = {
    [METADATA_PATH]: { methods: ['GET'], run: (_req, res) => sendJson(res, 200, JSON.stringify(metadata())) },
    '/oauth/authorize': { methods: ['GET', 'POST'], run: authorize },
    '/oauth/token': { methods: ['POST'], run: token },
    '/oauth/revoke': { methods: ['POST'], run: revoke },
    '/oauth/device_authorization': { methods: ['POST'], run: deviceAuthorization },
    '/oauth/device': { methods: ['GET', 'POST'], run: device },
  };

  return {
    owns: (path) => path === METADATA_PATH || path === '/oauth' || path.startsWith('/oauth/'),
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
      const endpoint = endpoints[url.pathname];
      if (!endpoint) return sendJson(res, 404, errorBody('not_found', `No such endpoint: ${url.pathname}.`));
      if (!endpoint.methods.includes(req.method ?? 'GET')) {
        const error = JSON.stringify({ error: 'invalid_request', error_description: `${url.pathname} supports ${endpoint.methods.join(', ')}.` });
        return sendJson(res, 405, error, { Allow: endpoint.methods.join(', ') });
      }
      try {
        await endpoint.run(req, res, url);
      } catch (err) {
        if (err instanceof FormError) {
          if (url.pathname === '/oauth/authorize' || url.pathname === '/oauth/device') return sendPage(res, 400, messagePage('Bad request', err.message));
          return sendOAuthError(res, 400, 'invalid_request', err.message);
        }
        if (err instanceof ApiError && err.status === 413) return sendOAuthError(res, 413, 'invalid_request', err.message);
        throw err;
      }
    },
  };
}

/**
 * Sends one logical request: resolves and checks the key, applies a timeout that covers the whole response
 * including the body, honours the caller's AbortSignal (also while waiting between attempts), and retries
 * what is safe to retry with exponential backoff and full jitter, or after the delay the server asked for.
 */
import { randomUUID } from 'node:crypto';
import { checkBaseUrl, checkKeyFitsTarget, parseApiKey, type KeyEnvironment, type ParsedKey } from '../keys/key-format';
import { AbortError, ApiKeyConfigError, CloudError, InvalidResponseError, NetworkError, NotFoundError, RateLimitError, ServerError, TimeoutError } from './errors';
import { errorFromResponse } from './error-parser';
import { readRateLimit, type RateLimitInfo } from './rate-limit';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface RequestSpec {
  method: HttpMethod;
  /** Relative to the base URL, starting with '/'. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /**
   * A POST's Idempotency-Key. Default: a new one per call (kept over that call's retries). A caller that must not
   * create twice across restarts keeps its own and passes it each time.
   */
  idempotencyKey?: string | undefined;
}

export interface SenderResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * An OAuth access token in place of an API key: read before each request, and renewed once when the cloud says
 * it is invalid (expired early, revoked), so one stale token costs a refresh, not a failed call.
 */
export interface BearerTokenSource {
  token(): Promise<string>;
  /** The cloud refused `rejected`: the token to try once more with, or null (signed out). */
  afterInvalidToken(rejected: string): Promise<string | null>;
  /** How the signed-in user is named in messages (never the token). */
  label: string;
}

/** What a request is sent with: its Authorization value and how a message names it. */
interface Credential {
  secret: string;
  mask: string;
}

export interface SenderOptions {
  baseUrl: string;
  apiKey: () => string | null | Promise<string | null>;
  /** Sign-in tokens instead of the key (the key is then not read). */
  bearer?: BearerTokenSource | undefined;
  /** When set, a key of another environment is refused before any request. */
  environment?: KeyEnvironment | undefined;
  fetch?: typeof fetch;
  /** Per attempt, from sending the request to the last byte of the body. Default 30 s. */
  timeoutMs?: number;
  /** Attempts after the first. Default 2. */
  maxRetries?: number;
  /** Backoff: the first retry waits up to this, doubling each time (full jitter). Default 500 ms. */
  initialRetryDelayMs?: number;
  /** Backoff never waits longer than this. Default 8 s. */
  maxRetryDelayMs?: number;
  /** A server asking to wait longer than this gets its error surfaced instead of a retry. Default 60 s. */
  maxRetryAfterMs?: number;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  userAgent?: string;
}

export interface RequestSender {
  request(spec: RequestSpec): Promise<SenderResponse>;
  /** The last rate-limit headers seen on any response, or null before the first. */
  rateLimit(): RateLimitInfo | null;
  readonly baseUrl: string;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'DELETE']);

// Errors that mean the connection was never established: the server cannot have acted on the request.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

export function createRequestSender(opts: SenderOptions): RequestSender {
  const base = checkBaseUrl(opts.baseUrl);
  if (!base.ok) throw new ApiKeyConfigError({ problem: 'bad_base_url', message: base.message });
  const baseUrl = base.url;
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxRetries = Math.max(0, opts.maxRetries ?? 2);
  const initialDelay = opts.initialRetryDelayMs ?? 500;
  const maxDelay = opts.maxRetryDelayMs ?? 8_000;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const userAgent = opts.userAgent ?? 'AutoPrintFarm-Desktop';
  let lastRateLimit: RateLimitInfo | null = null;

  async function resolveKey(): Promise<ParsedKey> {
    const raw = await opts.apiKey();
    if (raw === null || raw.trim() === '') {
      throw new ApiKeyConfigError({
        problem: 'missing',
        message: 'No AutoPrintFarm API key is set. Enter your key in the app settings, or set AUTOPRINTFARM_API_KEY.',
      });
    }
    const parsed = parseApiKey(raw);
    if (!parsed.ok) throw new ApiKeyConfigError({ problem: 'malformed', message: parsed.message });
    const fits = checkKeyFitsTarget(parsed, { environment: opts.environment, baseUrl });
    if (!fits.ok) throw new ApiKeyConfigError({ problem: 'environment_mismatch', message: fits.message });
    return parsed;
  }

  function buildUrl(spec: RequestSpec): string {
    const url = new URL(baseUrl + spec.path);
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    return url.href;
  }

  /** One attempt. Resolves with the whole body read, or throws a CloudError. */
  async function resolveCredential(): Promise<Credential> {
    if (opts.bearer) return { secret: await opts.bearer.token(), mask: opts.bearer.label };
    const key = await resolveKey();
    return { secret: key.key, mask: key.mask };
  }

  async function attempt(spec: RequestSpec, key: Credential, label: string, idempotencyKey: string | null) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const forwardAbort = () => controller.abort();
    spec.signal?.addEventListener('abort', forwardAbort, { once: true });

    const headers: Record<string, string> = {
      authorization: `Bearer ${key.secret}`,
      accept: 'application/json',
      'user-agent': userAgent,
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;

    try {
      const response = await untilAborted(
        fetchImpl(buildUrl(spec), {
          method: spec.method,
          headers,
          body: spec.body === undefined ? null : JSON.stringify(spec.body),
          signal: controller.signal,
        }),
        controller.signal,
      );
      const text = await untilAborted(response.text(), controller.signal);
      return { status: response.status, headers: response.headers, text };
    } catch (err) {
      if (timedOut) {
        throw new TimeoutError({
          timeoutMs,
          request: label,
          message: `AutoPrintFarm did not answer ${label} within ${formatMs(timeoutMs)}. Check the connection and try again.`,
        });
      }
      if (spec.signal?.aborted === true) throw abortError(label);
      throw toNetworkError(err, label, baseUrl);
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', forwardAbort);
    }
  }

  function retryDelayMs(error: CloudError, method: HttpMethod, retriesDone: number): number | null {
    if (retriesDone >= maxRetries) return null;
    const safe =
      error instanceof RateLimitError ||
      (error instanceof NetworkError && (error.beforeSend || IDEMPOTENT.has(method))) ||
      // 503 means the server did not take the request on; other 5xx may have half-done a POST.
      (error instanceof ServerError && (IDEMPOTENT.has(method) || error.status === 503));
    if (!safe) return null;
    const hint = error instanceof RateLimitError || error instanceof ServerError ? error.retryAfterSeconds : null;
    if (hint !== null) {
      const ms = hint * 1000;
      return ms > maxRetryAfterMs ? null : ms;
    }
    return random() * Math.min(maxDelay, initialDelay * 2 ** retriesDone);
  }

  return {
    baseUrl,
    rateLimit: () => lastRateLimit,

    async request(spec) {
      const label = `${spec.method} ${spec.path}`;
      if (spec.signal?.aborted === true) throw abortError(label);
      let key = await resolveCredential();
      // The same idempotency key on every attempt, so a server that knows idempotency keys runs a POST once.
      const idempotencyKey = spec.method === 'POST' ? (spec.idempotencyKey ?? randomUUID()) : null;
      let renewed = false;

      for (let retries = 0; ; retries++) {
        let error: CloudError;
        try {
          const res = await attempt(spec, key, label, idempotencyKey);
          lastRateLimit = readRateLimit(res.headers, now()) ?? lastRateLimit;
          const body = parseBody(res.text);
          if (res.status >= 200 && res.status < 300) {
            if (body.ok) return { status: res.status, headers: res.headers, body: body.value };
            throw new InvalidResponseError({
              status: res.status,
              request: label,
              issues: ['the body is not JSON'],
              message: `AutoPrintFarm sent an answer to ${label} that is not JSON. The server address may point at something else; check it in Settings.`,
            });
          }
          // A sign-in token the cloud calls invalid is renewed once and the request sent again: the cloud did not act on it.
          if (res.status === 401 && opts.bearer && !renewed && isInvalidToken(res.headers, body.ok ? body.value : null)) {
            renewed = true;
            const next = await opts.bearer.afterInvalidToken(key.secret);
            if (next !== null) {
              key = { secret: next, mask: key.mask };
              retries--;
              continue;
            }
          }
          error = errorFromResponse({
            status: res.status,
            headers: res.headers,
            body: body.ok ? body.value : res.text,
            request: label,
            now: now(),
            keyMask: key.mask,
          });
        } catch (err) {
          if (!(err instanceof CloudError)) throw err;
          error = err;
        }
        // A DELETE whose earlier attempt got through before the connection broke: the goal is reached.
        if (retries > 0 && spec.method === 'DELETE' && error instanceof NotFoundError) {
          return { status: 204, headers: new Headers(), body: undefined };
        }
        const delay = retryDelayMs(error, spec.method, retries);
        if (delay === null) throw error;
        await untilAborted(sleep(delay, spec.signal), spec.signal).catch(() => {
          throw abortError(label);
        });
        if (isAborted(spec.signal)) throw abortError(label);
      }
    },
  };
}

/** RFC 6750 §3.1: `WWW-Authenticate: Bearer error="invalid_token"`, or the API's own `invalid_token` code. */
function isInvalidToken(headers: Headers, body: unknown): boolean {
  if (/error="invalid_token"/i.test(headers.get('www-authenticate') ?? '')) return true;
  const b = body as { code?: unknown; error?: { code?: unknown } } | null;
  return b?.code === 'invalid_token' || b?.error?.code === 'invalid_token';
}

// A function, so TypeScript does not keep an earlier narrowing of `signal.aborted` across awaits.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function parseBody(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Rejects as soon as the signal fires, even if the wrapped promise ignores it (a fake fetch, a stuck body). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function abortError(label: string): AbortError {
  return new AbortError({ request: label, message: `The request ${label} was cancelled.` });
}

function toNetworkError(err: unknown, label: string, baseUrl: string): NetworkError {
  const systemCode = findSystemCode(err);
  const host = new URL(baseUrl).host;
  const why = systemCode === null ? describeUnknown(err) : describeSystemCode(systemCode);
  return new NetworkError({
    request: label,
    systemCode,
    beforeSend: systemCode !== null && NOT_SENT_CODES.has(systemCode),
    message: `Could not reach AutoPrintFarm at ${host} (${why}) during ${label}. Check the internet connection and the server address.`,
  });
}

function findSystemCode(err: unknown): string | null {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

function describeSystemCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the name could not be resolved';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network is unreachable';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connecting timed out';
    default:
      return code;
  }
}

// The raw error text may come from any fetch implementation; only a short, redacted first line is kept.
function describeUnknown(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? '').slice(0, 120) || 'unknown error';
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

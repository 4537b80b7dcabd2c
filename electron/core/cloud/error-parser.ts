/**
 * Turns a non-2xx answer into the right CloudError. Three envelopes are in use across the generations of
 * the AutoPrintFarm API and all map to the same classes:
 *   nested lower-case   {"error":{"code":"invalid_api_key","message":"…","details":…}}        (v1, ours)
 *   flat                {"success":false,"code":"TOKEN_INVALID","error":"…"}                    (/public/v1)
 *   nested UPPER_CASE   {"success":false,"error":{"code":"INSUFFICIENT_SCOPE","message":"…"}}  (/public/v1, internal)
 * The code decides the class when it is known; otherwise the HTTP status does.
 */
import {
  CloudError,
  InsufficientPermissionsError,
  InvalidApiKeyError,
  InvalidRequestError,
  InvalidStateError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnexpectedStatusError,
  type CloudErrorKind,
  type InvalidKeyReason,
} from './errors';
import { readRetryAfterSeconds } from './rate-limit';

export interface ErrorEnvelope {
  code: string | null;
  message: string | null;
  details: unknown;
  /** A scope named by a field of the body (not all servers send one; the message is tried next). */
  scope: string | null;
}

export function readErrorEnvelope(body: unknown): ErrorEnvelope {
  const none: ErrorEnvelope = { code: null, message: null, details: undefined, scope: null };
  if (!isRecord(body)) return none;
  const err = body.error;
  if (isRecord(err)) {
    return {
      code: str(err.code) ?? str(body.code),
      message: str(err.message) ?? str(body.message),
      details: err.details ?? body.details,
      scope: str(err.required_scope) ?? str(err.scope) ?? str(body.required_scope),
    };
  }
  return {
    code: str(body.code),
    message: str(err) ?? str(body.message),
    details: body.details,
    scope: str(body.required_scope) ?? str(body.scope),
  };
}

type HttpKind = Extract<CloudErrorKind, 'invalid_api_key' | 'insufficient_permissions' | 'rate_limited' | 'invalid_request' | 'not_found' | 'invalid_state' | 'server_error'>;

const CODE_KINDS: Readonly<Record<string, HttpKind>> = {
  invalid_api_key: 'invalid_api_key',
  unauthorized: 'invalid_api_key',
  token_invalid: 'invalid_api_key',
  token_revoked: 'invalid_api_key',
  token_expired: 'invalid_api_key',
  authentication_error: 'invalid_api_key',
  insufficient_permissions: 'insufficient_permissions',
  insufficient_scope: 'insufficient_permissions',
  permission_denied: 'insufficient_permissions',
  forbidden: 'insufficient_permissions',
  rate_limit_exceeded: 'rate_limited',
  rate_limited: 'rate_limited',
  too_many_requests: 'rate_limited',
  invalid_request: 'invalid_request',
  invalid_request_error: 'invalid_request',
  validation_error: 'invalid_request',
  bad_request: 'invalid_request',
  not_found: 'not_found',
  invalid_state: 'invalid_state',
  invalid_transition: 'invalid_state',
  job_state_changed: 'invalid_state',
  conflict: 'invalid_state',
  internal_error: 'server_error',
  database_error: 'server_error',
};

function kindOfCode(code: string | null): HttpKind | null {
  if (code === null) return null;
  const lower = code.toLowerCase();
  return CODE_KINDS[lower] ?? (lower.endsWith('_not_found') ? 'not_found' : null);
}

function kindOfStatus(status: number): HttpKind | null {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401) return 'invalid_api_key';
  if (status === 403) return 'insufficient_permissions';
  if (status === 404) return 'not_found';
  if (status === 409) return 'invalid_state';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return null;
}

export interface ErrorResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  request: string;
  now: number;
  /** The mask of the key that was sent, to name it in a 401 message. */
  keyMask: string | null;
}

export function errorFromResponse(res: ErrorResponse): CloudError {
  const env = readErrorEnvelope(res.body);
  const kind = kindOfCode(env.code) ?? kindOfStatus(res.status);
  const base = {
    status: res.status,
    serverCode: env.code,
    requestId: res.headers.get('x-request-id') ?? res.headers.get('request-id'),
    request: res.request,
  };
  const said = env.message === null ? '' : ` The server said: "${clip(env.message)}".`;
  const retryAfterSeconds = readRetryAfterSeconds(res.headers, res.now, env.message);

  switch (kind) {
    case 'invalid_api_key': {
      const reason = keyReason(env.code, res.status);
      const key = res.keyMask === null ? 'the API key' : `the API key ${res.keyMask}`;
      const what =
        reason === 'revoked'
          ? `AutoPrintFarm says ${key} has been revoked. Create a new key under Settings → API Keys in your dashboard.`
          : reason === 'expired'
            ? `AutoPrintFarm says ${key} has expired. Create a new key under Settings → API Keys in your dashboard.`
            : reason === 'missing'
              ? 'AutoPrintFarm did not receive an API key. Enter your key in the app settings.'
              : `AutoPrintFarm did not accept ${key}: it is wrong, revoked or expired. ` + 'Check it under Settings → API Keys in your dashboard, or create a new one.';
      return new InvalidApiKeyError({ ...base, reason, message: what });
    }
    case 'insufficient_permissions': {
      const missingScope = env.scope ?? scopeFromMessage(env.message);
      const message =
        missingScope === null
          ? `The API key is not allowed to do this (${res.request}).${said} Use a key with more permissions.`
          : `The API key lacks the permission "${missingScope}" needed for ${res.request}. ` + 'Create a key that includes it, or ask an admin of your AutoPrintFarm organization.';
      return new InsufficientPermissionsError({ ...base, missingScope, message });
    }
    case 'rate_limited': {
      const when = retryAfterSeconds === null ? 'Try again later.' : `Try again in ${describeSeconds(retryAfterSeconds)}.`;
      return new RateLimitError({
        ...base,
        retryAfterSeconds,
        message: `Too many requests to AutoPrintFarm: the rate limit for this API key is used up. ${when}`,
      });
    }
    case 'invalid_request':
      return new InvalidRequestError({
        ...base,
        fieldDetails: env.details,
        message: `AutoPrintFarm rejected the request ${res.request} as invalid.${said}${describeDetails(env.details)}`,
      });
    case 'not_found':
      return new NotFoundError({
        ...base,
        message: `AutoPrintFarm found nothing at ${res.request}; it may have been deleted.${said}`,
      });
    case 'invalid_state':
      return new InvalidStateError({
        ...base,
        message: `AutoPrintFarm refused ${res.request} because it does not fit the current state.${said}`,
      });
    case 'server_error':
      return new ServerError({
        ...base,
        retryAfterSeconds,
        message: `AutoPrintFarm had a problem on its side (HTTP ${res.status}) during ${res.request}.${said} Try again in a moment.`,
      });
    case null:
      return new UnexpectedStatusError({
        ...base,
        message: `AutoPrintFarm answered ${res.request} with HTTP ${res.status}.${said}`,
      });
  }
}

function keyReason(code: string | null, status: number): InvalidKeyReason {
  switch (code?.toLowerCase()) {
    case 'token_revoked':
      return 'revoked';
    case 'token_expired':
      return 'expired';
    case 'unauthorized':
      // The newer API uses UNAUTHORIZED only for a missing Authorization header.
      return status === 401 && code === 'UNAUTHORIZED' ? 'missing' : 'invalid';
    default:
      return 'invalid';
  }
}

/** "This API key lacks the required scope: printers:write", "API key missing required scope: read". */
export function scopeFromMessage(message: string | null): string | null {
  if (message === null) return null;
  const m = /required scope:?\s*["'`]?([A-Za-z][\w.-]*(?::[\w.*-]+)?)/i.exec(message);
  return m?.[1] ?? null;
}

function describeDetails(details: unknown): string {
  if (details === undefined || details === null) return '';
  if (typeof details === 'string') return ` Details: ${clip(details)}.`;
  if (Array.isArray(details)) return ` Details: ${clip(details.map((d) => (typeof d === 'string' ? d : JSON.stringify(d))).join('; '))}.`;
  if (isRecord(details)) {
    const parts = Object.entries(details).map(([field, why]) => `${field}: ${Array.isArray(why) ? why.join(', ') : String(why)}`);
    return parts.length === 0 ? '' : ` Details: ${clip(parts.join('; '))}.`;
  }
  return '';
}

export function describeSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

// A server message is shown inside ours; a runaway one (an HTML error page) must not take over the dialog.
function clip(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

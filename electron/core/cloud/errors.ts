/**
 * One error class per way a cloud call can fail, all under CloudError. CloudError is an AppError, so a
 * failure reaches the UI with its own message instead of "something went wrong"; `kind` says exactly which
 * failure it was and `details` repeats the machine-readable parts. Every message is redacted at construction:
 * no code path can build a CloudError whose text, stack or details hold a key.
 */
import { AppError, type ErrorCode } from '../errors';
import { redactKeys } from '../keys/key-format';

export type CloudErrorKind =
  | 'invalid_api_key'
  | 'insufficient_permissions'
  | 'rate_limited'
  | 'invalid_request'
  | 'not_found'
  | 'invalid_state'
  | 'server_error'
  | 'unexpected_status'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'invalid_response'
  | 'api_key_config';

export interface CloudErrorInit {
  message: string;
  /** HTTP status, or null when no response arrived. */
  status?: number | null;
  /** The code the server sent, as sent (`invalid_api_key`, `TOKEN_REVOKED`…), or null. */
  serverCode?: string | null;
  requestId?: string | null;
  /** `GET /printers`: where it happened, without host or query. */
  request?: string | null;
}

export abstract class CloudError extends AppError {
  abstract readonly kind: CloudErrorKind;
  readonly status: number | null;
  readonly serverCode: string | null;
  readonly requestId: string | null;
  readonly request: string | null;

  protected constructor(appCode: ErrorCode, init: CloudErrorInit, extra: Record<string, unknown> = {}) {
    const status = init.status ?? null;
    const serverCode = init.serverCode === undefined || init.serverCode === null ? null : redactKeys(init.serverCode);
    const details = redactDeep({ status, serverCode, ...extra });
    super(appCode, redactKeys(init.message), details);
    this.name = new.target.name;
    this.status = status;
    this.serverCode = serverCode;
    this.requestId = init.requestId ?? null;
    this.request = init.request ?? null;
  }

  override toBody() {
    const body = super.toBody();
    return { ...body, details: { kind: this.kind, ...(body.details as Record<string, unknown>) } };
  }
}

export type InvalidKeyReason = 'invalid' | 'revoked' | 'expired' | 'missing';

/** 401: the server did not accept the key (it never says why to the caller, except newer UPPER_CASE codes). */
export class InvalidApiKeyError extends CloudError {
  readonly kind = 'invalid_api_key';
  readonly reason: InvalidKeyReason;
  constructor(init: CloudErrorInit & { reason: InvalidKeyReason }) {
    super('cloud_error', init, { reason: init.reason });
    this.reason = init.reason;
  }
}

/** 403: the key is valid but lacks a scope. `missingScope` is parsed from the body when the server names it. */
export class InsufficientPermissionsError extends CloudError {
  readonly kind = 'insufficient_permissions';
  readonly missingScope: string | null;
  constructor(init: CloudErrorInit & { missingScope: string | null }) {
    super('forbidden', init, { missingScope: init.missingScope });
    this.missingScope = init.missingScope;
  }
}

/** 429. `retryAfterSeconds` from Retry-After, X-RateLimit-Reset or the message, or null if none was given. */
export class RateLimitError extends CloudError {
  readonly kind = 'rate_limited';
  readonly retryAfterSeconds: number | null;
  constructor(init: CloudErrorInit & { retryAfterSeconds: number | null }) {
    super('cloud_error', init, { retryAfterSeconds: init.retryAfterSeconds });
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** 400/422: the request was malformed; `fieldDetails` is what the server said about the fields. */
export class InvalidRequestError extends CloudError {
  readonly kind = 'invalid_request';
  readonly fieldDetails: unknown;
  constructor(init: CloudErrorInit & { fieldDetails: unknown }) {
    super('invalid_input', init, { fieldDetails: init.fieldDetails ?? null });
    this.fieldDetails = redactDeep(init.fieldDetails ?? null);
  }
}

export class NotFoundError extends CloudError {
  readonly kind = 'not_found';
  constructor(init: CloudErrorInit) {
    super('not_found', init);
  }
}

/** 409: the action does not fit the current state (pausing an idle printer, restarting a finished job). */
export class InvalidStateError extends CloudError {
  readonly kind = 'invalid_state';
  constructor(init: CloudErrorInit) {
    super('conflict', init);
  }
}

export class ServerError extends CloudError {
  readonly kind = 'server_error';
  readonly retryAfterSeconds: number | null;
  constructor(init: CloudErrorInit & { retryAfterSeconds: number | null }) {
    super('cloud_error', init, { retryAfterSeconds: init.retryAfterSeconds });
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** Any other non-2xx answer (405, 410, 413…): reported as it came. */
export class UnexpectedStatusError extends CloudError {
  readonly kind = 'unexpected_status';
  constructor(init: CloudErrorInit) {
    super('cloud_error', init);
  }
}

export class NetworkError extends CloudError {
  readonly kind = 'network';
  /** The connection was never made, so the server cannot have acted on the request: safe to retry a POST. */
  readonly beforeSend: boolean;
  /** `ECONNREFUSED`, `ENOTFOUND`… when the platform said. */
  readonly systemCode: string | null;
  constructor(init: CloudErrorInit & { beforeSend: boolean; systemCode: string | null }) {
    super('cloud_error', init, { beforeSend: init.beforeSend, systemCode: init.systemCode });
    this.beforeSend = init.beforeSend;
    this.systemCode = init.systemCode;
  }
}

export class TimeoutError extends CloudError {
  readonly kind = 'timeout';
  readonly timeoutMs: number;
  constructor(init: CloudErrorInit & { timeoutMs: number }) {
    super('timeout', init, { timeoutMs: init.timeoutMs });
    this.timeoutMs = init.timeoutMs;
  }
}

/** The caller's AbortSignal fired. Named like the platform's abort error so generic `name === 'AbortError'` checks work. */
export class AbortError extends CloudError {
  readonly kind = 'aborted';
  constructor(init: CloudErrorInit) {
    super('cloud_error', init);
  }
}

/** A 2xx answer that is not JSON or does not have the documented shape. */
export class InvalidResponseError extends CloudError {
  readonly kind = 'invalid_response';
  readonly issues: string[];
  constructor(init: CloudErrorInit & { issues: string[] }) {
    super('cloud_error', init, { issues: init.issues });
    this.issues = init.issues.map(redactKeys);
  }
}

export type ApiKeyConfigProblem = 'missing' | 'malformed' | 'environment_mismatch' | 'bad_base_url';

/** Refused before any request: no key, a key that cannot be one, a key for another environment, or a bad server URL. */
export class ApiKeyConfigError extends CloudError {
  readonly kind = 'api_key_config';
  readonly problem: ApiKeyConfigProblem;
  constructor(init: CloudErrorInit & { problem: ApiKeyConfigProblem }) {
    super('invalid_input', init, { problem: init.problem });
    this.problem = init.problem;
  }
}

function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactKeys(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactKeys(k), redactDeep(v, depth + 1)]));
}

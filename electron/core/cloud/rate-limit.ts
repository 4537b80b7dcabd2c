/**
 * Reading the server's rate-limit hints. Retry-After is either delay-seconds or an HTTP date (RFC 9110);
 * X-RateLimit-Reset is epoch seconds on AutoPrintFarm, but some servers send a delta, so small values are
 * read as one.
 */

export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
  /** When the window resets, epoch milliseconds. */
  resetAt: number | null;
  /** When these headers were seen, epoch milliseconds. */
  observedAt: number;
}

// Anything below this is too small to be an epoch time in seconds (it is 2001-09-09).
const EPOCH_SECONDS_FLOOR = 1e9;

export function readRateLimit(headers: Headers, now: number): RateLimitInfo | null {
  const limit = intHeader(headers, 'x-ratelimit-limit');
  const remaining = intHeader(headers, 'x-ratelimit-remaining');
  const reset = numberHeader(headers, 'x-ratelimit-reset');
  if (limit === null && remaining === null && reset === null) return null;
  return { limit, remaining, resetAt: reset === null ? null : resetToEpochMs(reset, now), observedAt: now };
}

/**
 * Seconds to wait before the next attempt, from the best hint available: Retry-After, then
 * X-RateLimit-Reset when the window is used up, then a "Retry after N seconds" message. Null if none.
 */
export function readRetryAfterSeconds(headers: Headers, now: number, message: string | null = null): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const parsed = parseRetryAfter(retryAfter, now);
    if (parsed !== null) return parsed;
  }
  const reset = numberHeader(headers, 'x-ratelimit-reset');
  const remaining = intHeader(headers, 'x-ratelimit-remaining');
  if (reset !== null && (remaining === null || remaining <= 0)) {
    return Math.max(0, Math.ceil((resetToEpochMs(reset, now) - now) / 1000));
  }
  const fromMessage = message === null ? null : /retry after (\d+) ?s(?:econds?)?/i.exec(message);
  return fromMessage?.[1] === undefined ? null : Number(fromMessage[1]);
}

export function parseRetryAfter(value: string, now: number): number | null {
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function resetToEpochMs(reset: number, now: number): number {
  return reset >= EPOCH_SECONDS_FLOOR ? reset * 1000 : now + reset * 1000;
}

function numberHeader(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return null;
  const n = Number(raw.trim());
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function intHeader(headers: Headers, name: string): number | null {
  const n = numberHeader(headers, name);
  return n === null ? null : Math.floor(n);
}

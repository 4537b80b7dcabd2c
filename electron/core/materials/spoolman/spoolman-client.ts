import { AppError } from '../../errors';
import type { SmFilament, SmFilamentCreate, SmInfo, SmSpool, SmSpoolWrite, SmVendor } from './spoolman-api';

/**
 * What a failed request means for what we do next:
 * - `not-sent`: the connection was never made (refused, no such host): Spoolman cannot have acted on it.
 * - `no-answer`: it may have arrived (timeout, connection cut): a use must be checked before it is sent again.
 * - `not-found`: 404, the thing was deleted in Spoolman.
 * - `refused`: 400/422, Spoolman will refuse it again.
 * - `server`: any other answer (5xx): try again later.
 */
export type SpoolmanFailure = 'not-sent' | 'no-answer' | 'not-found' | 'refused' | 'server';

export class SpoolmanError extends AppError {
  constructor(
    readonly failure: SpoolmanFailure,
    message: string,
    readonly status: number | null = null,
  ) {
    super(failure === 'not-found' ? 'not_found' : failure === 'refused' ? 'invalid_input' : 'timeout', message);
    this.name = 'SpoolmanError';
  }
}

/** `http://host:7912` from what a user typed: no trailing slash, no `/api/v1`, no query. */
export function spoolmanBaseUrl(input: string): string {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    throw new AppError('invalid_input', `"${input}" is not an address. Spoolman's looks like http://192.168.1.20:7912.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('invalid_input', "Spoolman's address starts with http:// or https://.");
  if (u.username || u.password) throw new AppError('invalid_input', 'Give the address without a user name or password.');
  const path = u.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${u.protocol}//${u.host}${path}`;
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function systemCode(err: unknown): string | null {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

function networkWords(code: string | null, err: unknown): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused — is it running?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'that host name could not be resolved — check the address';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network is unreachable from this computer';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was cut off';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connecting timed out';
  }
  const name = (err as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer in time';
  return 'it could not be reached';
}

/** Spoolman's own words from an error body: `{message}` (400/404) or FastAPI's 422 `{detail: [{loc, msg}]}`. */
export function spoolmanWords(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as { message?: unknown; detail?: unknown };
  if (typeof b.message === 'string') return b.message;
  if (Array.isArray(b.detail)) {
    return b.detail
      .map((d: { loc?: unknown; msg?: unknown }) => {
        const loc = Array.isArray(d.loc) ? d.loc.filter((x) => x !== 'body').join('.') : '';
        return `${loc ? `${loc}: ` : ''}${typeof d.msg === 'string' ? d.msg : 'not accepted'}`;
      })
      .join('; ');
  }
  if (typeof b.detail === 'string') return b.detail;
  return null;
}

export interface SpoolmanClientOptions {
  fetch?: typeof fetch;
  /** Per request, connect to last byte. */
  timeoutMs?: number;
}

/** A small client of Spoolman's REST API v1: one method per call we make, each failure a `SpoolmanError` in words. */
export class SpoolmanClient {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    readonly baseUrl: string,
    opts: SpoolmanClientOptions = {},
  ) {
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  info(): Promise<SmInfo> {
    return this.request<SmInfo>('GET', '/info');
  }

  spools(): Promise<SmSpool[]> {
    return this.request<SmSpool[]>('GET', '/spool?allow_archived=true');
  }

  spool(id: number): Promise<SmSpool> {
    return this.request<SmSpool>('GET', `/spool/${id}`);
  }

  createSpool(body: SmSpoolWrite & { filament_id: number }): Promise<SmSpool> {
    return this.request<SmSpool>('POST', '/spool', body);
  }

  updateSpool(id: number, body: SmSpoolWrite): Promise<SmSpool> {
    return this.request<SmSpool>('PATCH', `/spool/${id}`, body);
  }

  /** Spoolman adds this to the spool's `used_weight` (not idempotent: see `SpoolmanSource.flush`). */
  useWeight(id: number, grams: number): Promise<SmSpool> {
    return this.request<SmSpool>('PUT', `/spool/${id}/use`, { use_weight: grams });
  }

  filaments(): Promise<SmFilament[]> {
    return this.request<SmFilament[]>('GET', '/filament');
  }

  createFilament(body: SmFilamentCreate): Promise<SmFilament> {
    return this.request<SmFilament>('POST', '/filament', body);
  }

  vendors(): Promise<SmVendor[]> {
    return this.request<SmVendor[]>('GET', '/vendor');
  }

  createVendor(name: string): Promise<SmVendor> {
    return this.request<SmVendor>('POST', '/vendor', { name });
  }

  private async request<T>(method: string, path: string, body?: unknown, again = true): Promise<T> {
    const where = `Spoolman at ${this.baseUrl}`;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}/api/v1${path}`, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const code = systemCode(err);
      // A kept-alive connection the server closed while idle (it restarted or stopped) fails the next request at
      // once; a read, or a PATCH of absolute values, is tried once more on a new connection. A use or a creation is
      // not: it may have arrived.
      if (again && (method === 'GET' || method === 'PATCH') && (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')) return this.request<T>(method, path, body, false);
      throw new SpoolmanError(code !== null && NOT_SENT.has(code) ? 'not-sent' : 'no-answer', `${where} did not answer: ${networkWords(code, err)}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new SpoolmanError('no-answer', `${where} did not answer: ${networkWords(systemCode(err), err)}`);
    }
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (res.ok) {
      if (json === null)
        throw new SpoolmanError('server', `${where} answered ${method} ${path} with something that is not Spoolman's JSON. Is that address really Spoolman?`, res.status);
      return json as T;
    }
    const words = spoolmanWords(json);
    // Spoolman's own 404 says what is missing (`{message}`); FastAPI's `{detail: "Not Found"}` means no such route.
    const own = typeof (json as { message?: unknown } | null)?.message === 'string';
    if (res.status === 404) throw new SpoolmanError('not-found', own && words ? words : `${where} has no ${path}. Is that address really Spoolman?`, 404);
    if (res.status === 400 || res.status === 422) throw new SpoolmanError('refused', `Spoolman refused it: ${words ?? `HTTP ${res.status}`}`, res.status);
    throw new SpoolmanError('server', `${where} answered HTTP ${res.status}${words ? `: ${words}` : ''}.`, res.status);
  }
}

/**
 * The AutoPrintFarm v1 client: typed resources over one RequestSender. Every answer is checked with zod,
 * so a malformed response becomes an InvalidResponseError instead of a crash somewhere downstream.
 */
import type { z } from 'zod';
import { InvalidResponseError } from './errors';
import { firstPageParams, iteratePages, pageSchema, toPage, type Page, type PagingParams, type PagingStyle } from './pagination';
import type { RateLimitInfo } from './rate-limit';
import { createRequestSender, type HttpMethod, type QueryValue, type SenderOptions } from './request-sender';
import {
  ApiKeyInfoSchema,
  ApiKeyListSchema,
  AuthTestSchema,
  CreatedApiKeySchema,
  FilamentSchema,
  HubSchema,
  JobSchema,
  PrinterSchema,
  type ApiKeyInfo,
  type AuthTest,
  type CreateApiKeyBody,
  type CreatedApiKey,
  type CreateJobBody,
  type CreatePrinterBody,
  type Filament,
  type FilamentBody,
  type FilamentFilters,
  type Hub,
  type Job,
  type JobFilters,
  type Printer,
  type PrinterAction,
  type PrinterFilters,
  type PublishPrinterBody,
  type RegisterHubBody,
  type UpdateJobBody,
  type UpdatePrinterBody,
} from './schemas';

export interface CloudClientOptions extends SenderOptions {
  /** How lists are paged. Default: 'offset' for a `/public/v1` base URL, otherwise 'page'. */
  pagingStyle?: PagingStyle;
  /** Items per page when iterating. Default 100 (the server maximum). */
  pageSize?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CreateOptions extends CallOptions {
  /** Kept by the caller across restarts, so a create whose answer was lost is not made twice. */
  idempotencyKey?: string;
}

export interface IterateOptions extends CallOptions {
  pageSize?: number;
}

export interface CloudClient {
  readonly baseUrl: string;
  /** The last X-RateLimit-* headers seen (limit, remaining, reset), or null before the first response. */
  readonly rateLimit: RateLimitInfo | null;
  auth: {
    test(opts?: CallOptions): Promise<AuthTest>;
  };
  apiKeys: {
    list(opts?: CallOptions): Promise<ApiKeyInfo[]>;
    current(opts?: CallOptions): Promise<ApiKeyInfo>;
    /** The result's `key` is the only copy the server will ever send: hand it to the user once. */
    create(body: CreateApiKeyBody, opts?: CallOptions): Promise<CreatedApiKey>;
    delete(id: string, opts?: CallOptions): Promise<void>;
    /** New key now; the old one keeps working for 24 hours. */
    roll(id: string, opts?: CallOptions): Promise<CreatedApiKey>;
  };
  hubs: {
    /** Idempotent for this organization (200 again, renamed when a name is given); 409 when another owns the id. */
    register(body: RegisterHubBody, opts?: CallOptions): Promise<Hub>;
    get(id: string, opts?: CallOptions): Promise<Hub>;
    /** Unlinks the hub: its socket closes with 4004; its printers stay, offline, for a later register. */
    delete(id: string, opts?: CallOptions): Promise<void>;
  };
  printers: {
    /** A hub's local printer, created once per (hub_id, local_id) and updated on a repeat. */
    publish(body: PublishPrinterBody, opts?: CallOptions): Promise<Printer>;
    list(params?: PrinterFilters & PagingParams, opts?: CallOptions): Promise<Page<Printer>>;
    iterate(filters?: PrinterFilters, opts?: IterateOptions): AsyncGenerator<Printer, void, undefined>;
    get(id: string, opts?: CallOptions): Promise<Printer>;
    create(body: CreatePrinterBody, opts?: CallOptions): Promise<Printer>;
    update(id: string, patch: UpdatePrinterBody, opts?: CallOptions): Promise<Printer>;
    delete(id: string, opts?: CallOptions): Promise<void>;
    action(id: string, action: PrinterAction, opts?: CallOptions): Promise<Printer>;
  };
  jobs: {
    list(params?: JobFilters & PagingParams, opts?: CallOptions): Promise<Page<Job>>;
    iterate(filters?: JobFilters, opts?: IterateOptions): AsyncGenerator<Job, void, undefined>;
    get(id: string, opts?: CallOptions): Promise<Job>;
    create(body: CreateJobBody, opts?: CallOptions): Promise<Job>;
    update(id: string, patch: UpdateJobBody, opts?: CallOptions): Promise<Job>;
    cancel(id: string, opts?: CallOptions): Promise<Job>;
  };
  materials: {
    /** The organization's filament records (needs materials:read). */
    filament: {
      list(params?: FilamentFilters & PagingParams, opts?: CallOptions): Promise<Page<Filament>>;
      iterate(filters?: FilamentFilters, opts?: IterateOptions): AsyncGenerator<Filament, void, undefined>;
      get(id: string, opts?: CallOptions): Promise<Filament>;
      /** Needs materials:write. */
      create(body: FilamentBody, opts?: CreateOptions): Promise<Filament>;
      update(id: string, patch: Partial<FilamentBody>, opts?: CallOptions): Promise<Filament>;
      delete(id: string, opts?: CallOptions): Promise<void>;
    };
  };
}

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const sender = createRequestSender(options);
  const pagingStyle: PagingStyle = options.pagingStyle ?? (/\/public\/v\d+$/.test(sender.baseUrl) ? 'offset' : 'page');
  const defaultPageSize = options.pageSize ?? 100;

  async function call<S extends z.ZodType>(
    schema: S,
    method: HttpMethod,
    path: string,
    extra: { query?: Record<string, QueryValue>; body?: unknown; signal?: AbortSignal | undefined; idempotencyKey?: string | undefined } = {},
  ): Promise<z.output<S>> {
    const res = await sender.request({ method, path, ...extra });
    const parsed = schema.safeParse(unwrapData(res.body));
    if (parsed.success) return parsed.data;
    const label = `${method} ${path}`;
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw new InvalidResponseError({
      status: res.status,
      request: label,
      issues,
      message:
        `AutoPrintFarm sent an answer to ${label} that this app does not understand (${issues.join('; ')}). ` + 'The server may be newer than the app: check for an app update.',
    });
  }

  async function callVoid(method: HttpMethod, path: string, signal: AbortSignal | undefined): Promise<void> {
    await sender.request({ method, path, signal });
  }

  function lister<T, F extends object>(path: string, item: z.ZodType<T>) {
    const schema = pageSchema(item);
    const list = async (params: F & PagingParams = {} as F & PagingParams, opts: CallOptions = {}): Promise<Page<T>> => {
      const wire = await call(schema, 'GET', path, { query: params as Record<string, QueryValue>, signal: opts.signal });
      return toPage(wire as Parameters<typeof toPage<T>>[0], params);
    };
    const iterate = (filters: F = {} as F, opts: IterateOptions = {}) =>
      iteratePages<T>((paging) => list({ ...filters, ...paging }, opts), firstPageParams(pagingStyle, opts.pageSize ?? defaultPageSize));
    return { list, iterate };
  }

  const id = (value: string) => encodeURIComponent(value);
  const printers = lister<Printer, PrinterFilters>('/printers', PrinterSchema);
  const jobs = lister<Job, JobFilters>('/jobs', JobSchema);
  const filament = lister<Filament, FilamentFilters>('/materials/filament', FilamentSchema);

  return {
    baseUrl: sender.baseUrl,
    get rateLimit() {
      return sender.rateLimit();
    },
    auth: {
      test: (opts = {}) => call(AuthTestSchema, 'GET', '/auth/test', opts),
    },
    apiKeys: {
      list: (opts = {}) => call(ApiKeyListSchema, 'GET', '/api-keys', opts),
      current: (opts = {}) => call(ApiKeyInfoSchema, 'GET', '/api-keys/current', opts),
      create: (body, opts = {}) => call(CreatedApiKeySchema, 'POST', '/api-keys', { body, signal: opts.signal }),
      delete: (keyId, opts = {}) => callVoid('DELETE', `/api-keys/${id(keyId)}`, opts.signal),
      roll: (keyId, opts = {}) => call(CreatedApiKeySchema, 'POST', `/api-keys/${id(keyId)}/roll`, opts),
    },
    hubs: {
      register: (body, opts = {}) => call(HubSchema, 'POST', '/hubs/register', { body, signal: opts.signal }),
      get: (hubId, opts = {}) => call(HubSchema, 'GET', `/hubs/${id(hubId)}`, opts),
      delete: (hubId, opts = {}) => callVoid('DELETE', `/hubs/${id(hubId)}`, opts.signal),
    },
    printers: {
      publish: (body, opts = {}) => call(PrinterSchema, 'POST', '/printers', { body, signal: opts.signal }),
      list: printers.list,
      iterate: printers.iterate,
      get: (printerId, opts = {}) => call(PrinterSchema, 'GET', `/printers/${id(printerId)}`, opts),
      create: (body, opts = {}) => call(PrinterSchema, 'POST', '/printers', { body, signal: opts.signal }),
      update: (printerId, patch, opts = {}) => call(PrinterSchema, 'PATCH', `/printers/${id(printerId)}`, { body: patch, signal: opts.signal }),
      delete: (printerId, opts = {}) => callVoid('DELETE', `/printers/${id(printerId)}`, opts.signal),
      action: (printerId, action, opts = {}) => call(PrinterSchema, 'POST', `/printers/${id(printerId)}/actions`, { body: { action }, signal: opts.signal }),
    },
    jobs: {
      list: jobs.list,
      iterate: jobs.iterate,
      get: (jobId, opts = {}) => call(JobSchema, 'GET', `/jobs/${id(jobId)}`, opts),
      create: (body, opts = {}) => call(JobSchema, 'POST', '/jobs', { body, signal: opts.signal }),
      update: (jobId, patch, opts = {}) => call(JobSchema, 'PATCH', `/jobs/${id(jobId)}`, { body: patch, signal: opts.signal }),
      cancel: (jobId, opts = {}) => call(JobSchema, 'POST', `/jobs/${id(jobId)}/cancel`, opts),
    },
    materials: {
      filament: {
        list: filament.list,
        iterate: filament.iterate,
        get: (filamentId, opts = {}) => call(FilamentSchema, 'GET', `/materials/filament/${id(filamentId)}`, opts),
        create: (body, opts = {}) => call(FilamentSchema, 'POST', '/materials/filament', { body, signal: opts.signal, idempotencyKey: opts.idempotencyKey }),
        update: (filamentId, patch, opts = {}) => call(FilamentSchema, 'PATCH', `/materials/filament/${id(filamentId)}`, { body: patch, signal: opts.signal }),
        delete: (filamentId, opts = {}) => callVoid('DELETE', `/materials/filament/${id(filamentId)}`, opts.signal),
      },
    },
  };
}

/**
 * The newer API wraps single objects as `{success:true, data:{…}}`; lists keep their envelope because the
 * paging information sits beside `data`.
 */
function unwrapData(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const rec = body as Record<string, unknown>;
  const inner = rec.data;
  const isWrapper = rec.success === true && typeof inner === 'object' && inner !== null && !Array.isArray(inner);
  return isWrapper ? inner : body;
}

import type { z } from 'zod';
import { invalidRequest, type ErrorDetails } from './http-io';

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? 'body' : out;
}

/** Throws 400 invalid_request whose `details` name each bad field, or returns the parsed value. */
export function throwInvalid(details: ErrorDetails): never {
  throw invalidRequest(`The request has invalid fields: ${Object.keys(details).join(', ')}.`, details);
}

export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throwInvalid(issueDetails(result.error));
}

/** Field path → what is wrong, one entry per bad field (unknown fields named one by one). */
export function issueDetails(error: z.ZodError): ErrorDetails {
  const details: ErrorDetails = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details[fieldPath([...issue.path, key])] = 'unknown field';
    } else {
      details[fieldPath(issue.path)] ??= issue.message;
    }
  }
  return details;
}

/** Reads query parameters one by one, collecting every problem before answering 400. */
export class QueryReader {
  private readonly details: ErrorDetails = {};

  constructor(private readonly query: URLSearchParams) {}

  string(name: string): string | undefined {
    const all = this.query.getAll(name);
    if (all.length > 1) {
      this.details[name] = 'give this parameter once';
      return undefined;
    }
    return all[0];
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.details[name] = `must be one of ${allowed.join(', ')}`;
    return undefined;
  }

  /** A parameter read by `parse`, which returns null for a value it does not accept. */
  parsed<T>(name: string, parse: (value: string) => T | null, problem: string): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const result = parse(value);
    if (result !== null) return result;
    this.details[name] = problem;
    return undefined;
  }

  integer(name: string, min: number, max: number, fallback: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    this.details[name] = `must be a whole number from ${min} to ${max}`;
    return fallback;
  }

  /** An ISO 8601 date or date-time, as epoch ms. */
  instant(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const ms = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : NaN;
    if (Number.isFinite(ms)) return ms;
    this.details[name] = 'must be an ISO 8601 date or date-time, e.g. 2025-01-15T10:30:00Z';
    return undefined;
  }

  paging(): { page: number; perPage: number } {
    return { page: this.integer('page', 1, 1_000_000, 1), perPage: this.integer('per_page', 1, 100, 20) };
  }

  /** Call after reading every parameter: throws 400 if any was bad. */
  done(): void {
    if (Object.keys(this.details).length > 0) throwInvalid(this.details);
  }
}

export function pageEnvelope<T>(data: T[], page: number, perPage: number, total: number) {
  return { data, pagination: { page, per_page: perPage, total, total_pages: Math.ceil(total / perPage) } };
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

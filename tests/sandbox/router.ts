import type { IncomingHttpHeaders } from 'node:http';
import type { VerifiedKey } from './keys';
import type { RequiredScope } from './scopes';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteContext {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  caller: VerifiedKey;
  headers: IncomingHttpHeaders;
  // Function-typed properties, not methods: handlers destructure them, and nothing here depends on `this`.
  /** The body as a JSON object (400 if it is not one, 413 if it is too large). */
  readJson: () => Promise<Record<string, unknown>>;
  /** The body as bytes, refused with 413 past `maxBytes`. */
  readRaw: (maxBytes: number) => Promise<Buffer>;
}

/** 202: accepted and sent on to a hub; what the hub does comes back later over its socket. */
export type Reply = { status: 200 | 201 | 202; body: unknown } | { status: 204 } | { status: 200; bytes: Buffer; headers: Record<string, string> };

export interface Route {
  method: Method;
  /** Relative to /v1, with `:name` segments, e.g. `/printers/:id/actions`. */
  path: string;
  /** The scope the endpoint needs; null when any valid key will do. */
  scope: RequiredScope | null;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

/** A route that carries its own proof (a signed link) and is served before any key is asked for. */
export interface PublicRoute {
  method: Method;
  path: string;
  handle(ctx: { params: Readonly<Record<string, string>>; query: URLSearchParams }): Reply | Promise<Reply>;
}

export type RouteMatch<R> = { kind: 'found'; route: R; params: Record<string, string> } | { kind: 'wrong_method'; allowed: Method[] } | { kind: 'none' };

export class Router<R extends { method: Method; path: string } = Route> {
  private readonly compiled: { route: R; segments: string[] }[];

  constructor(routes: readonly R[]) {
    this.compiled = routes.map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }));
  }

  match(method: string, path: string): RouteMatch<R> {
    const parts = path.split('/').filter(Boolean);
    const allowed: Method[] = [];
    for (const { route, segments } of this.compiled) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong_method', allowed } : { kind: 'none' };
  }
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = parts[i]!;
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(got);
      } catch {
        return null; // malformed %-escape: no resource can have that id
      }
    } else if (want !== got) return null;
  }
  return params;
}

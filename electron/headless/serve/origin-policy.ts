import { isIP } from 'node:net';

/**
 * Which Host and Origin headers the headless host answers. A browser page on another site can reach a
 * loopback port (DNS rebinding, cross-site WebSocket), so the Host must name this machine and the
 * WebSocket Origin must be the page we served.
 */
export interface OriginPolicy {
  /** Host header values accepted, lower-case, with port. */
  allowedHosts: ReadonlySet<string>;
  /** When listening beyond loopback: also accept any IP-literal Host on our port (LAN clients type an IP). */
  acceptAnyIpHost: boolean;
  port: number;
  /** What this port speaks; a page's Origin must carry the same scheme. */
  scheme: 'http' | 'https';
}

export function createOriginPolicy(opts: { port: number; bindHost: string; allowLan: boolean; hostnames?: string[] | undefined; scheme?: 'http' | 'https' }): OriginPolicy {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (opts.allowLan) {
    names.add(opts.bindHost.includes(':') && !opts.bindHost.startsWith('[') ? `[${opts.bindHost}]` : opts.bindHost);
    for (const h of opts.hostnames ?? []) names.add(h.toLowerCase());
  }
  const allowedHosts = new Set([...names].map((n) => `${n.toLowerCase()}:${opts.port}`));
  return { allowedHosts, acceptAnyIpHost: opts.allowLan, port: opts.port, scheme: opts.scheme ?? 'http' };
}

export function isAllowedHost(policy: OriginPolicy, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.trim().toLowerCase();
  if (policy.allowedHosts.has(host)) return true;
  if (!policy.acceptAnyIpHost) return false;
  const match = /^(\[[0-9a-f:.]+\]|[0-9.]+):(\d+)$/.exec(host);
  if (!match || Number(match[2]) !== policy.port) return false;
  const address = match[1]!.replace(/^\[|\]$/g, '');
  return isIP(address) !== 0;
}

/** A WebSocket upgrade must come from a page of this same origin (or from a non-browser client with no Origin). */
export function isAllowedOrigin(policy: OriginPolicy, originHeader: string | undefined, hostHeader: string | undefined): boolean {
  if (originHeader === undefined) return true;
  let origin: URL;
  try {
    origin = new URL(originHeader);
  } catch {
    return false;
  }
  if (origin.protocol !== `${policy.scheme}:`) return false;
  return origin.host.toLowerCase() === (hostHeader ?? '').trim().toLowerCase() && isAllowedHost(policy, origin.host);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

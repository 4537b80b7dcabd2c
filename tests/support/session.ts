import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface SessionCookie {
  name: string;
  value: string;
  /** `name=value`, for a Cookie header. */
  header: string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP(S) request with full control of the headers (a self-signed certificate is accepted for tests). */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: opts.method ?? 'GET', headers: opts.headers, rejectUnauthorized: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The session cookie a Set-Cookie header sets. */
export function cookieFrom(res: RawResponse): SessionCookie {
  const set = res.headers['set-cookie']?.[0];
  if (!set) throw new Error(`No session cookie (HTTP ${res.status}): ${res.body.slice(0, 200)}`);
  const [pair] = set.split(';');
  const eq = pair!.indexOf('=');
  const name = pair!.slice(0, eq);
  const value = pair!.slice(eq + 1);
  return { name, value, header: `${name}=${value}` };
}

/**
 * Exchanges `apf serve`'s start link for its admin session cookie, as a browser opening it would. The link works
 * once: a test that needs several clients shares this cookie (or pairs more sessions).
 */
export async function exchangeStartLink(startUrl: string, headers: Record<string, string> = {}): Promise<SessionCookie> {
  const res = await rawRequest(startUrl, { headers: { 'user-agent': 'apf-tests', ...headers } });
  if (res.status !== 303) throw new Error(`The start link answered HTTP ${res.status}, not 303: ${res.body.slice(0, 200)}`);
  return cookieFrom(res);
}

/** The /rpc address of a served host, from its start link or origin. */
export function rpcUrlOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}/rpc`;
}

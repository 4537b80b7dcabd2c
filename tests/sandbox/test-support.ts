/** Helpers for the sandbox's own tests: real HTTP over loopback, plus raw sockets for malformed requests. */
import { connect } from 'node:net';
import { startSandbox, type Sandbox, type SandboxOptions } from './server';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever fields the answer has
  json: any;
}

export const INVALID_KEY = '{"error":{"code":"invalid_api_key","message":"The API key provided is invalid"}}';

/** A settable clock for roll expiry and rate windows. Starts at 2025-01-15T10:30:00Z. */
export class FakeClock {
  t = Date.UTC(2025, 0, 15, 10, 30, 0);
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export async function sandboxFor(opts: SandboxOptions = {}): Promise<Sandbox & { admin: string }> {
  const sb = await startSandbox(opts);
  if (sb.adminKey === null) throw new Error('expected a fresh database to mint an admin key');
  return Object.assign(sb, { admin: sb.adminKey });
}

/** One JSON API call; `key` null sends no Authorization header. */
export async function call(sb: Pick<Sandbox, 'url'>, key: string | null, method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(sb.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** GET with an arbitrary Authorization header value (or several), via fetch. */
export function withAuthorization(sb: Pick<Sandbox, 'url'>, value: string, path = '/auth/test'): Promise<Answer> {
  return call(sb, null, 'GET', path, undefined, { Authorization: value });
}

export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/**
 * Sends bytes exactly as given (fetch would refuse NUL bytes or duplicate headers) and reads the reply
 * until the server closes the connection. The request should say `Connection: close`.
 */
export function rawRequest(url: string, bytes: Buffer | string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? NaN);
      resolve({ status, head, body: split < 0 ? '' : text.slice(split + 4) });
    });
    socket.write(bytes);
  });
}

/** A GET /v1/auth/test whose header lines are given verbatim. */
export function rawGet(url: string, headerLines: (string | Buffer)[], path = '/v1/auth/test'): Promise<RawAnswer> {
  const { host } = new URL(url);
  const parts: Buffer[] = [Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`, 'latin1')];
  for (const line of headerLines) parts.push(Buffer.isBuffer(line) ? line : Buffer.from(line, 'latin1'), Buffer.from('\r\n'));
  parts.push(Buffer.from('\r\n'));
  return rawRequest(url, Buffer.concat(parts));
}

export const basic = (user: string, password = ''): string => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

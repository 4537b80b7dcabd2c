import http from 'node:http';
import https from 'node:https';
import { CredentialError } from '../../credentials/credential-error';
import { AppError } from '../../errors';
import { systemClock, type Clock } from '../../ports/clock';
import { describeNetworkError } from './address';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json<T = unknown>(): T;
}

export interface HttpRequest {
  method: string;
  /** Path and query, starting with '/'. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer | { length: number; open(): AsyncIterable<Uint8Array> };
  timeoutMs?: number;
}

/** The largest response body read into memory; status and job documents are a few kB. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * A small HTTP client for one printer: keep-alive (so polling does not open a socket per request), a
 * deadline on every request, a bounded response size, and network errors turned into messages that
 * name the printer but never a credential.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly opts: { label: string; timeoutMs?: number; clock?: Clock },
  ) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    this.agent = this.base.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: 4 }) : new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  /** The full path for a request, including any path prefix of the base URL (OctoPrint behind a proxy). */
  pathFor(path: string): string {
    return `${this.base.pathname.replace(/\/$/, '')}${path}`;
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    const lib = this.base.protocol === 'https:' ? https : http;
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs ?? 5000;
    const headers: Record<string, string> = { ...req.headers };
    const body = req.body;
    if (typeof body === 'string' || Buffer.isBuffer(body)) headers['content-length'] = String(Buffer.byteLength(body));
    else if (body) headers['content-length'] = String(body.length);
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        r.destroy();
        reject(err instanceof AppError ? err : new AppError('printer_offline', describeNetworkError(err, this.opts.label)));
      };
      const r = lib.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port || undefined,
          method: req.method,
          path: this.pathFor(req.path),
          headers,
          agent: this.agent,
          // Printers on a LAN use self-signed certificates; there is no CA to check them against.
          rejectUnauthorized: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_RESPONSE_BYTES) return fail(new AppError('printer_error', `${this.opts.label} sent an unexpectedly large answer.`));
            chunks.push(c);
          });
          res.on('error', fail);
          res.on('end', () => {
            if (settled) return;
            settled = true;
            timer.cancel();
            const buf = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: buf,
              json: <T>() => {
                try {
                  return JSON.parse(buf.toString('utf8')) as T;
                } catch {
                  throw new AppError('printer_error', `${this.opts.label} answered with something that is not JSON. Is this the right kind of printer?`);
                }
              },
            });
          });
        },
      );
      // On the driver's clock, so how soon a silent printer shows offline can be pinned without waiting.
      const timer = (this.opts.clock ?? systemClock).setTimeout(() => fail(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs);
      r.on('error', fail);
      if (body === undefined) r.end();
      else if (typeof body === 'string' || Buffer.isBuffer(body)) r.end(body);
      else {
        void (async () => {
          try {
            for await (const chunk of body.open()) {
              if (settled) return;
              // Respect backpressure so a large upload never sits in memory.
              if (!r.write(chunk)) await new Promise<void>((ok) => r.once('drain', ok));
            }
            r.end();
          } catch (err) {
            fail(err instanceof AppError ? err : new AppError('printer_error', `The file could not be read for upload: ${(err as Error).message}`));
          }
        })();
      }
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Turns a non-2xx answer into a clear error in the server's own words; 401/403 name the credential without
 * showing it. The HTTP status rides along (`details.httpStatus`) so failures are classified in one place
 * (printers/failure-class.ts).
 */
export function expectOk(res: HttpResponse, label: string, credential = 'API key'): HttpResponse {
  if (res.status >= 200 && res.status < 300) return res;
  const said = serverWords(res);
  if (res.status === 401 || res.status === 403) {
    throw new CredentialError('refused', credential, `${label} refused the ${credential} (HTTP ${res.status}${said ? `: ${said}` : ''}). Enter the ${credential} again.`);
  }
  throw new AppError('printer_error', `${label} answered HTTP ${res.status}${said ? `: ${said.replace(/[.\s]+$/, '')}` : ''}.`, { httpStatus: res.status });
}

/**
 * What a server said in an error answer: the `error`, `message`, `text` or `title` of a JSON body (OctoPrint,
 * PrusaLink, Moonraker), else the start of the text; empty for an HTML page or nothing.
 */
export function serverWords(res: HttpResponse): string {
  const text = res.body.toString('utf8').slice(0, 2000).trim();
  if (!text || text.startsWith('<')) return '';
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const nested = body.error && typeof body.error === 'object' ? (body.error as Record<string, unknown>) : null;
    // PrusaLink puts the generic status in `title` and the reason in `text`: the reason first.
    for (const v of [nested?.message, body.error, body.message, body.text, body.title]) {
      if (typeof v === 'string' && v.trim()) return clip(v);
    }
    return '';
  } catch {
    return clip(text);
  }
}

const clip = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 200);

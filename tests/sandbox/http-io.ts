import type { IncomingMessage, ServerResponse } from 'node:http';

export type ErrorCode =
  | 'invalid_api_key'
  | 'invalid_token'
  | 'insufficient_permissions'
  | 'rate_limit_exceeded'
  | 'invalid_request'
  | 'not_found'
  | 'invalid_state'
  | 'already_registered'
  | 'printer_busy'
  | 'hub_offline'
  | 'invalid_link'
  | 'link_expired'
  | 'internal_error';

/** Field path → what is wrong with it, e.g. `{"scopes[1]": "unknown scope \"Printers:Read\""}`. */
export type ErrorDetails = Record<string, string>;

/** An error a handler throws to answer with the spec's `{"error":{code,message,details?}}` envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const invalidRequest = (message: string, details?: ErrorDetails): ApiError => new ApiError(400, 'invalid_request', message, details);
export const notFound = (message: string): ApiError => new ApiError(404, 'not_found', message);
export const invalidState = (message: string): ApiError => new ApiError(409, 'invalid_state', message);
export const hubOffline = (hubId: string): ApiError => new ApiError(503, 'hub_offline', `Hub ${hubId} is not connected; try again when it is back online.`);

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetails): string {
  return JSON.stringify({ error: details === undefined ? { code, message } : { code, message, details } });
}

/** The one 401 body: the same bytes for a missing, malformed, unknown, deleted or expired key. */
export const INVALID_KEY_BODY = errorBody('invalid_api_key', 'The API key provided is invalid');

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole request body, refusing (413) anything over `maxBytes` without buffering it. */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const tooLarge = () => new ApiError(413, 'invalid_request', `The request body is larger than ${maxBytes} bytes. Send a smaller body.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (err) {
        // Keep reading (and discarding) so the client can finish sending and then read the answer.
        req.resume();
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(tooLarge());
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(null));
    req.once('error', (err) => finish(err));
    req.once('aborted', () => finish(new Error('client aborted the request')));
  });
}

/** Parses a request body that must be a JSON object; an empty body counts as `{}`. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidRequest('The request body is not valid JSON. Send a JSON object with Content-Type: application/json.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, json: string | null, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const body = json === null ? '' : json;
  res.writeHead(status, {
    ...headers,
    'Cache-Control': 'no-store',
    ...(json === null ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Sends bytes as they are (a file download), with the caller's headers. */
export function sendBytes(res: ServerResponse, bytes: Buffer, headers: Record<string, string>): void {
  if (res.headersSent) return;
  res.writeHead(200, { ...headers, 'Cache-Control': 'no-store', 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

/** Removes anything shaped like an API key, for the rare line the sandbox writes to its log. */
export function redactKeys(text: string): string {
  return text.replace(/apf_(?:live|test|dev)_[A-Za-z0-9]*/g, 'apf_…[redacted]').replace(/apf(?:at|rt)_[A-Za-z0-9_-]*/g, 'apf…[redacted token]');
}

import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { AppError } from '../errors';
import { describeNetworkError } from '../printers/lan-common/address';

/** A camera reached over HTTP. The URL holds no credential; the user name and password come separately. */
export interface HttpCameraTarget {
  url: string;
  /** How the camera is named in messages, e.g. `camera "Nozzle" (192.168.1.20:8080)`; never a credential or a query. */
  label: string;
  credentials?: () => Promise<{ username: string; password: string } | null>;
}

/** Connection and header deadline; a camera on the LAN answers in well under a second. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One GET to a camera with basic auth when it has a user name. Resolves with the response (status checked by
 * the caller); network errors become messages naming the camera's host, never its URL's query or password.
 */
export async function cameraGet(target: HttpCameraTarget, idleTimeoutMs: number): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  const url = new URL(target.url);
  const creds = target.credentials ? await target.credentials() : null;
  const headers: Record<string, string> = { accept: 'multipart/x-mixed-replace, image/jpeg;q=0.9, */*;q=0.1', 'user-agent': 'AutoPrintFarm' };
  if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: 'GET',
        headers,
        timeout: CONNECT_TIMEOUT_MS,
        // Cameras on a LAN use self-signed certificates; there is no CA to check them against.
        rejectUnauthorized: false,
      },
      (res) => {
        req.setTimeout(idleTimeoutMs);
        resolve({ req, res });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => reject(new AppError('printer_offline', describeNetworkError(err, `the ${target.label}`))));
    req.end();
  });
}

/** A non-200 answer in words a person can act on. */
export function statusError(target: HttpCameraTarget, status: number): AppError {
  if (status === 401 || status === 403) {
    return new AppError('printer_error', `The ${target.label} refused the user name and password (HTTP ${status}). Enter them again in the camera's settings.`);
  }
  if (status === 404) return new AppError('printer_error', `The ${target.label} has no picture at this address (HTTP 404). Check the camera's address.`);
  return new AppError('printer_error', `The ${target.label} answered HTTP ${status} instead of a picture.`);
}

/** Where a camera is, for the UI and messages: scheme, host and path, without credentials or the query. */
export function describeCameraUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'an address that is not valid';
  }
}

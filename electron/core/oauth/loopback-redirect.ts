import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors';

/** How long the browser has to come back with an answer (oauth.md: 5 minutes). */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
const CALLBACK_PATH = '/oauth/callback';

export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/oauth/callback`, to send as `redirect_uri`. */
  redirectUri: string;
  /** The authorization code, once the browser comes back with this sign-in's `state`. */
  code: Promise<string>;
  /** Stops listening (also done once the code arrived, failed or timed out). */
  close(): void;
}

/**
 * The one-shot listener for the browser's redirect (RFC 8252 §7.3): loopback only, a port the OS picks, one
 * path. It answers the browser with a page saying what happened and stops listening after the first answer
 * that carries this sign-in's `state`; a request with another state (a stale tab, a forged link) is refused
 * and does not end the sign-in.
 */
export async function listenForRedirect(state: string, timeoutMs = SIGN_IN_TIMEOUT_MS): Promise<LoopbackRedirect> {
  let settle!: { resolve(code: string): void; reject(err: Error): void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // Not awaited by everyone at once: a rejection is handled by whoever awaits `code`.
  code.catch(() => undefined);
  let done = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found', 'This address only receives the AutoPrintFarm sign-in.');
    if (done) return page(res, 409, 'Already done', 'This sign-in has already finished. You can close this tab.');
    if (url.searchParams.get('state') !== state) {
      return page(res, 400, 'Sign-in not recognised', 'This answer does not belong to the sign-in the app started. Start the sign-in again from the app.');
    }
    const error = url.searchParams.get('error');
    if (error) {
      page(res, 200, 'Sign-in cancelled', 'You can close this tab and return to AutoPrintFarm.');
      return finish(() =>
        settle.reject(
          new AppError('cloud_error', error === 'access_denied' ? 'The sign-in was declined in the browser.' : `The cloud refused the sign-in (${error.slice(0, 60)}).`),
        ),
      );
    }
    const given = url.searchParams.get('code');
    if (!given) return page(res, 400, 'Sign-in incomplete', 'The answer carried no code. Start the sign-in again from the app.');
    page(res, 200, 'Signed in', 'Signed in — you can close this tab and return to AutoPrintFarm.');
    finish(() => settle.resolve(given));
  });
  const timer = setTimeout(
    () =>
      finish(() =>
        settle.reject(new AppError('timeout', `The sign-in was not finished in the browser within ${Math.round(timeoutMs / 60_000)} minutes. Start it again when you are ready.`)),
      ),
    timeoutMs,
  );
  timer.unref();
  function finish(then: () => void): void {
    if (done) return;
    done = true;
    clearTimeout(timer);
    then();
    // Let the page reach the browser, then stop listening.
    setImmediate(() => {
      server.close();
      server.closeIdleConnections();
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    code,
    close: () => finish(() => settle.reject(new AppError('conflict', 'The sign-in was cancelled.'))),
  };
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} — AutoPrintFarm</title><meta name="viewport" content="width=device-width"></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

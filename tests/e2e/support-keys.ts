/** Helpers for the keys e2e: find every place a full key could have leaked to. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The key as written, and as it would look inside an HTTP Basic header. */
export function leakForms(key: string): string[] {
  return [key, Buffer.from(`${key}:`).toString('base64').replace(/=+$/, '')];
}

/** Every file under `dir` (recursively) whose bytes contain one of the keys, in any leak form. */
export function filesContaining(dir: string, keys: string[]): string[] {
  const forms = keys.flatMap(leakForms);
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const text = readFileSync(p).toString('latin1');
        if (forms.some((f) => text.includes(f))) hits.push(p);
      }
    }
  };
  walk(dir);
  return hits;
}

/** Lines of `text` that contain one of the keys, in any leak form. */
export function linesContaining(text: string, keys: string[]): string[] {
  const forms = keys.flatMap(leakForms);
  return text.split('\n').filter((line) => forms.some((f) => line.includes(f)));
}

/**
 * A loopback proxy in front of the sandbox that the test can hold (to see the wizard's "checking" step) or
 * cut (to see how the app behaves offline). Requests pass through unchanged otherwise.
 */
export interface CloudProxy {
  url: string;
  hold(): void;
  release(): void;
  setOffline(offline: boolean): void;
  /** Resolves once a request is being held. */
  nextHeld(): Promise<void>;
  close(): Promise<void>;
}

export async function startCloudProxy(targetUrl: string): Promise<CloudProxy> {
  const { createServer, request } = await import('node:http');
  const target = new URL(targetUrl);
  let holding = false;
  let offline = false;
  const held: (() => void)[] = [];
  const heldWaiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    if (offline) {
      req.socket.destroy();
      return;
    }
    const forward = () => {
      const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      req.pipe(out);
    };
    if (holding) {
      held.push(forward);
      heldWaiters.splice(0).forEach((w) => w());
    } else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    hold: () => void (holding = true),
    release() {
      holding = false;
      held.splice(0).forEach((f) => f());
    },
    setOffline: (v) => void (offline = v),
    nextHeld: () => (held.length > 0 ? Promise.resolve() : new Promise<void>((r) => heldWaiters.push(r))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

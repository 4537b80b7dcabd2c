import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CAPABILITIES } from '../../core/contract';
import type { Core } from '../../core/core';
import type { AppLogger } from '../../core/log/logger';
import { notification } from './json-rpc';
import { createOriginPolicy, isAllowedHost, isAllowedOrigin, isLoopbackHost, type OriginPolicy } from './origin-policy';
import { CLIENT_LIMITS, RpcConnection, type ClientLimits, type ClientStats } from './rpc-connection';
import { send, serveStatic } from './static-files';

export interface HeadlessServerOptions {
  core: Core;
  rendererDir: string;
  host: string;
  port: number;
  allowLan: boolean;
  /** Fixed token (from APF_TOKEN); a fresh random one otherwise. */
  token?: string;
  log: AppLogger;
  hostnames?: string[];
  /** The certificate to serve HTTPS/WSS with; required with allowLan (a LAN port never speaks plain HTTP). */
  tls?: { cert: string; key: string; fingerprint256: string };
  /** Tighter limits for tests; docs/client-limits.md states the defaults. */
  limits?: Partial<ClientLimits>;
}

export interface HeadlessServer {
  url: string;
  port: number;
  token: string;
  /** The certificate's SHA-256 fingerprint when serving HTTPS, else null. */
  fingerprint256: string | null;
  /** The connected clients and how far behind each is (tests, diagnostics). */
  clients(): ClientStats[];
  close(): Promise<void>;
}

export class RefusedBindError extends Error {}

/** Serves the built renderer and the contract as JSON-RPC 2.0 over WebSocket at /rpc. */
export async function startHeadlessServer(opts: HeadlessServerOptions): Promise<HeadlessServer> {
  if (!isLoopbackHost(opts.host) && !opts.allowLan) {
    throw new RefusedBindError(
      `Refusing to listen on ${opts.host}: that exposes your printers to the network. Add --allow-lan if you mean it (anyone with the URL's token can then control the farm).`,
    );
  }
  if (opts.allowLan && !opts.tls) {
    throw new RefusedBindError('Serving on the LAN is HTTPS only, and no certificate was given. `apf serve --allow-lan` makes one; or pass --cert FILE --cert-key FILE.');
  }
  const scheme = opts.tls ? 'https' : 'http';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const capabilities = new Set(CAPABILITIES);
  let policy: OriginPolicy = createOriginPolicy({ port: opts.port, bindHost: opts.host, allowLan: opts.allowLan, hostnames: opts.hostnames, scheme });

  const onRequest: RequestListener = (req, res) => {
    if (!isAllowedHost(policy, req.headers.host)) return send(res, 421, 'Unknown host. Open the URL that `apf serve` printed.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    serveStatic(opts.rendererDir, req, res).catch((err: unknown) => {
      opts.log.error('static file failed', err);
      if (!res.headersSent) send(res, 500, 'Internal error');
      else res.destroy();
    });
  };
  // On the LAN only TLS is spoken: a plain-HTTP request to this port fails its handshake and is answered nothing.
  const http = opts.tls ? tlsServer(opts.tls, onRequest) : createServer(onRequest);

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.limits?.maxMessageBytes ?? CLIENT_LIMITS.maxMessageBytes });
  const sockets = new Map<WebSocket, RpcConnection>();

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, policy, tokenBytes);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new RpcConnection(ws, {
        dispatch: opts.core.dispatch,
        capabilities,
        limits: opts.limits,
        logError: (message, err) => opts.log.error(message, err),
        onEnd: (session) => {
          sockets.delete(ws);
          // Its unfinished uploads go with it, rather than holding upload slots until they go idle.
          opts.core.endSession(session).catch((err: unknown) => opts.log.error('ending a session failed', err));
        },
      });
      sockets.set(ws, connection);
    });
  });

  const unsubscribe = opts.core.events.subscribe((name, payload) => {
    if (sockets.size === 0) return;
    const text = notification(name, payload);
    for (const connection of sockets.values()) connection.notify(text, name === 'printer.status');
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  policy = createOriginPolicy({ port, bindHost: opts.host, allowLan: opts.allowLan, hostnames: opts.hostnames, scheme });
  const shownHost = isLoopbackHost(opts.host) ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  return {
    url: `${scheme}://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    fingerprint256: opts.tls?.fingerprint256 ?? null,
    clients: () => [...sockets.values()].map((c) => c.stats()),
    async close() {
      unsubscribe();
      for (const ws of sockets.keys()) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function tlsServer(tls: { cert: string; key: string }, onRequest: RequestListener) {
  const server = createTlsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, onRequest);
  server.on('tlsClientError', (_err: Error, socket: Duplex) => socket.destroy());
  return server;
}

function upgradeRefusal(req: IncomingMessage, policy: OriginPolicy, token: Buffer): string | null {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/rpc') return '404 Not Found';
  if (!isAllowedHost(policy, req.headers.host)) return '421 Misdirected Request';
  if (!isAllowedOrigin(policy, req.headers.origin, req.headers.host)) return '403 Forbidden';
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  if (given.length !== token.length || !timingSafeEqual(given, token)) return '401 Unauthorized';
  return null;
}

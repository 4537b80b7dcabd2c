import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CAPABILITIES } from '../../core/contract';
import type { Core } from '../../core/core';
import type { AppLogger } from '../../core/log/logger';
import { handleRpcMessage, notification } from './json-rpc';
import { createOriginPolicy, isAllowedHost, isAllowedOrigin, isLoopbackHost, type OriginPolicy } from './origin-policy';
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
}

export interface HeadlessServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

// A slow browser tab must not make the host hold unbounded data: past this, superseded status updates are dropped.
const MAX_BUFFERED_BYTES = 1 << 20;
const MAX_MESSAGE_BYTES = 1 << 20;

export class RefusedBindError extends Error {}

/** Serves the built renderer and the contract as JSON-RPC 2.0 over WebSocket at /rpc. */
export async function startHeadlessServer(opts: HeadlessServerOptions): Promise<HeadlessServer> {
  if (!isLoopbackHost(opts.host) && !opts.allowLan) {
    throw new RefusedBindError(
      `Refusing to listen on ${opts.host}: that exposes your printers to the network. Add --allow-lan if you mean it (anyone with the URL's token can then control the farm).`,
    );
  }
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const capabilities = new Set(CAPABILITIES);
  let policy: OriginPolicy = createOriginPolicy({ port: opts.port, bindHost: opts.host, allowLan: opts.allowLan, hostnames: opts.hostnames });

  const http = createServer((req, res) => {
    if (!isAllowedHost(policy, req.headers.host)) return send(res, 421, 'Unknown host. Open the URL that `apf serve` printed.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    serveStatic(opts.rendererDir, req, res).catch((err: unknown) => {
      opts.log.error('static file failed', err);
      if (!res.headersSent) send(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, policy, tokenBytes);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.close(1003, 'text frames only');
        handleRpcMessage(data.toString(), opts.core.dispatch, capabilities)
          .then((reply) => {
            if (reply !== null && ws.readyState === ws.OPEN) ws.send(reply);
          })
          .catch((err: unknown) => opts.log.error('rpc message failed', err));
      });
    });
  });

  const unsubscribe = opts.core.events.subscribe((name, payload) => {
    if (sockets.size === 0) return;
    const text = notification(name, payload);
    for (const ws of sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      if (name === 'printer.status' && ws.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      ws.send(text);
    }
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  policy = createOriginPolicy({ port, bindHost: opts.host, allowLan: opts.allowLan, hostnames: opts.hostnames });
  const shownHost = isLoopbackHost(opts.host) ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
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

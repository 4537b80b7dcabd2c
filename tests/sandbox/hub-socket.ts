/**
 * `GET /v1/ws/hub/:hubId` with `Upgrade: websocket`. The key is checked before the upgrade, exactly as a
 * REST call would be (same 401, 429 and 403 bodies and rate-limit headers), and it must hold both
 * printers:write and jobs:write: the real product trusts the hub id alone, which is the hole we close.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { errorBody } from './http-io';
import { HUB_SOCKET_PATH, HUB_SOCKET_SCOPES } from './hub-protocol';
import { HubSession, type HubSessionDeps } from './hub-session';
import type { KeyStore } from './keys';
import { admit, anonymousRateHeaders, authenticateCaller, missingScopeBody, missingScopeHeaders } from './pipeline';
import type { FixedWindowLimiter } from './rate-limit';

/** A hub message is one printer's status or one event: 1 MB is far above any real one. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface HubSocketDeps extends Omit<HubSessionDeps, 'caller'> {
  keys: KeyStore;
  limiter: FixedWindowLimiter;
}

export interface HubSocketServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Drops every hub socket at once (the sandbox is stopping). */
  terminateAll(): void;
  /** Closes (4401) every hub socket opened with this key (or OAuth grant or access token): it was just deleted or revoked. */
  closeForKey(keyId: string): void;
}

export function createHubSocketServer(deps: HubSocketDeps): HubSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sessions = new Set<HubSession>();

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
    } catch {
      path = '';
    }
    if (path !== '/v1' && !path.startsWith('/v1/')) {
      return refuse(socket, 404, errorBody('not_found', 'No such endpoint: the API lives under /v1.'), anonymousRateHeaders(deps.limiter));
    }
    // Key before path, as for REST: a caller without a valid key learns nothing about what exists.
    const auth = authenticateCaller(deps.keys, deps.tokens, req.headersDistinct.authorization);
    if (!auth.ok) return refuse(socket, 401, auth.body, { ...anonymousRateHeaders(deps.limiter), ...auth.headers });
    const caller = auth.caller;
    const admission = admit(deps.keys, deps.limiter, deps.now, caller, deps.tokens);
    if (!admission.ok) return refuse(socket, 429, admission.body, admission.headers);
    const match = HUB_SOCKET_PATH.exec(path);
    let hubId: string | null = null;
    try {
      hubId = match ? decodeURIComponent(match[1]!) : null;
    } catch {
      hubId = null;
    }
    if (hubId === null) {
      return refuse(socket, 404, errorBody('not_found', `No WebSocket endpoint at ${path}; hubs connect to /v1/ws/hub/<hub id>.`), admission.headers);
    }
    const missing = missingScopeBody(caller, HUB_SOCKET_SCOPES);
    if (missing !== null) return refuse(socket, 403, missing, { ...admission.headers, ...missingScopeHeaders(caller, HUB_SOCKET_SCOPES) });

    const id = hubId;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new HubSession(ws, id, { ...deps, caller });
      sessions.add(session);
      ws.once('close', () => sessions.delete(session));
      session.start();
    });
  }

  return {
    handleUpgrade,
    terminateAll() {
      for (const session of sessions) session.terminate();
      sessions.clear();
    },
    closeForKey(keyId) {
      for (const session of sessions) session.closeIfKey(keyId);
    },
  };
}

const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' };

/** Answers an upgrade request with a plain HTTP error in the API's envelope, then closes the connection. */
function refuse(socket: Duplex, status: number, body: string, headers: Record<string, string>): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\n' +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      'Connection: close\r\n\r\n' +
      body,
  );
}

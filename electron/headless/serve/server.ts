import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname as machineName } from 'node:os';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SessionRecord } from '../../core/access';
import { ROLE_CAPABILITIES } from '../../core/contract';
import type { Core } from '../../core/core';
import { serveCameraStream } from './camera-route';
import { answerSnapshot, SNAPSHOT_CACHE_CONTROL } from '../../core/snapshots/snapshot-route';
import type { AppLogger } from '../../core/log/logger';
import { notification } from './json-rpc';
import { createOriginPolicy, isAllowedHost, isAllowedOrigin, isLoopbackHost, type OriginPolicy } from './origin-policy';
import { PAGES, pairingPrefill } from './pages';
import { FailureLimiter, SIGN_IN_LIMITS } from './rate-limit';
import { CLIENT_LIMITS, CLOSE, RpcConnection, type ClientLimits, type ClientStats } from './rpc-connection';
import { send, serveStatic } from './static-files';
import { lanAddresses } from './tls';

export interface HeadlessServerOptions {
  core: Core;
  rendererDir: string;
  host: string;
  port: number;
  allowLan: boolean;
  /** Fixed start token (from APF_TOKEN); a fresh random one otherwise. */
  token?: string;
  log: AppLogger;
  hostnames?: string[];
  /** The certificate to serve HTTPS/WSS with; required with allowLan (a LAN port never speaks plain HTTP). */
  tls?: { cert: string; key: string; fingerprint256: string };
  /** Tighter limits for tests; docs/client-limits.md states the defaults. */
  limits?: Partial<ClientLimits>;
  /** Sign-in failures allowed (tests shorten them); see rate-limit.ts. */
  signInLimits?: { perKey: number; total: number; windowMs: number };
}

export interface HeadlessServer {
  /** The start link: opened once, it gives that browser an admin session (see docs/security.md). */
  url: string;
  /** The same address without the token. */
  origin: string;
  port: number;
  token: string;
  /** The certificate's SHA-256 fingerprint when serving HTTPS, else null. */
  fingerprint256: string | null;
  /** The name of the session cookie on this port. */
  cookieName: string;
  /** The connected clients and how far behind each is (tests, diagnostics). */
  clients(): ClientStats[];
  close(): Promise<void>;
}

export class RefusedBindError extends Error {}

/** The session cookie lives this long in the browser; the host itself expires sessions unused for 30 days. */
const COOKIE_MAX_AGE_S = 400 * 24 * 3600;
/** "Last seen" is written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Serves the built renderer and the contract as JSON-RPC 2.0 over WebSocket at /rpc. A browser gets a session
 * cookie by opening the start link once (an admin session) or by pairing with a code an admin made; the socket
 * is opened with that cookie and holds the capabilities of the session's role.
 */
export async function startHeadlessServer(opts: HeadlessServerOptions): Promise<HeadlessServer> {
  if (!isLoopbackHost(opts.host) && !opts.allowLan) {
    throw new RefusedBindError(
      `Refusing to listen on ${opts.host}: that exposes your printers to the network. Add --allow-lan if you mean it (it serves HTTPS, and each other device must be paired by an admin).`,
    );
  }
  if (opts.allowLan && !opts.tls) {
    throw new RefusedBindError('Serving on the LAN is HTTPS only, and no certificate was given. `apf serve --allow-lan` makes one; or pass --cert FILE --cert-key FILE.');
  }
  const scheme = opts.tls ? 'https' : 'http';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let tokenUsed = false;
  const access = opts.core.access;
  const limiter = new FailureLimiter(opts.signInLimits ?? SIGN_IN_LIMITS);
  let policy: OriginPolicy = createOriginPolicy({ port: opts.port, bindHost: opts.host, allowLan: opts.allowLan, hostnames: opts.hostnames, scheme });
  let cookieName = '';

  const sessionFrom = (req: IncomingMessage): ReturnType<typeof access.sessions.authenticate> | null => {
    const secret = readCookie(req.headers.cookie, cookieName);
    return secret ? access.sessions.authenticate(secret) : null;
  };

  const setSessionCookie = (res: ServerResponse, secret: string, location: string) => {
    const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${COOKIE_MAX_AGE_S}`, ...(opts.tls ? ['Secure'] : [])];
    res.writeHead(303, { 'Set-Cookie': `${cookieName}=${secret}; ${attributes.join('; ')}`, Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.end();
  };

  /** `?token=` on any page: exchanged once for an admin session, then refused; the token leaves the address bar. */
  const exchangeToken = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const address = req.socket.remoteAddress ?? '';
    const wait = limiter.retryAfterS(address);
    if (wait) return PAGES.tooMany(res, wait);
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) {
      limiter.fail(address);
      return PAGES.linkInvalid(res);
    }
    if (tokenUsed) return PAGES.linkUsed(res);
    tokenUsed = true;
    const userAgent = String(req.headers['user-agent'] ?? '');
    const { session, secret } = access.sessions.create({ role: 'admin', label: 'Start link', userAgent, address, via: 'start-link' });
    opts.log.info(`The start link was used by ${address} (${session.id.slice(0, 8)}); it opens nothing more.`);
    url.searchParams.delete('token');
    setSessionCookie(res, secret, `${url.pathname}${url.search}`);
  };

  /** POST /pair: a code from the admin's screen, from our own pairing page only (CSRF: Origin and Fetch Metadata). */
  const redeemPairing = (req: IncomingMessage, res: ServerResponse) => {
    const sameSite = req.headers['sec-fetch-site'] === undefined || req.headers['sec-fetch-site'] === 'same-origin';
    if (req.headers.origin === undefined || !isAllowedOrigin(policy, req.headers.origin, req.headers.host) || !sameSite) {
      req.resume();
      return PAGES.forbiddenPost(res);
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      req.resume();
      return send(res, 415, 'The pairing form is sent as application/x-www-form-urlencoded.');
    }
    const address = req.socket.remoteAddress ?? '';
    const wait = limiter.retryAfterS(address);
    if (wait) {
      req.resume();
      return PAGES.tooMany(res, wait);
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 1024) {
        req.destroy();
      }
    });
    req.on('end', () => {
      const code = new URLSearchParams(body).get('code') ?? '';
      const redeemed = access.pairing.redeem(code);
      if (!redeemed.ok) {
        limiter.fail(address);
        const why = { unknown: 'That code is not right.', used: 'That code was already used.', expired: 'That code has expired (codes work for 5 minutes).' }[redeemed.reason];
        return PAGES.pairForm(res, `${why} Ask the admin for a new one.`, redeemed.reason === 'unknown' ? 401 : 410);
      }
      const userAgent = String(req.headers['user-agent'] ?? '');
      const { session, secret } = access.sessions.create({ role: redeemed.role, label: redeemed.label, userAgent, address, via: 'pairing' });
      opts.log.info(`Paired ${address} as ${redeemed.role} "${redeemed.label}" (${session.id.slice(0, 8)}).`);
      setSessionCookie(res, secret, '/');
    });
  };

  /** Camera streams open per session, so revoking a session also ends what its <img> tags are streaming. */
  const cameraStreams = new Map<string, Set<ServerResponse>>();

  /**
   * GET /camera/<id>/stream: the same checks as /rpc (the Host was checked already): the session cookie, an
   * Origin of this host when one is sent, and the role's capability. An <img> sends no Origin; Fetch Metadata
   * tells a cross-site one apart, and the SameSite=Strict cookie is not sent with it anyway.
   */
  const mediaSession = (req: IncomingMessage, res: ServerResponse, what: string) => {
    const auth = sessionFrom(req);
    if (!auth?.ok) return void send(res, 401, `Not signed in: open the farm from its start link, or pair this device, to see ${what}.`);
    if (req.headers.origin !== undefined && !isAllowedOrigin(policy, req.headers.origin, req.headers.host)) return void send(res, 403, 'Forbidden');
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return void send(res, 403, 'Forbidden');
    if (!ROLE_CAPABILITIES[auth.session.role].includes('fleet:read')) return void send(res, 403, `This session may not see ${what}.`);
    if (req.method !== 'GET') return void send(res, 405, 'Method not allowed');
    touch(auth.session);
    return auth.session;
  };

  const cameraStream = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const session = mediaSession(req, res, 'cameras');
    if (!session) return;
    const sessionId = session.id;
    serveCameraStream(opts.core, res, url, (r) => {
      if (!cameraStreams.has(sessionId)) cameraStreams.set(sessionId, new Set());
      cameraStreams.get(sessionId)!.add(r);
      return () => cameraStreams.get(sessionId)?.delete(r);
    });
  };

  /** GET /snapshot/<id>: a print's picture or time-lapse, with the same checks as a camera. */
  const snapshot = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!mediaSession(req, res, 'pictures of prints')) return;
    answerSnapshot(opts.core, url.pathname).then(
      (answer) => {
        if (!answer || res.writableEnded) return;
        res.writeHead(answer.status, {
          'Content-Type': answer.contentType,
          'Content-Length': answer.body.length,
          'Cache-Control': answer.status === 200 ? SNAPSHOT_CACHE_CONTROL : 'no-store',
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
          'Cross-Origin-Resource-Policy': 'same-origin',
        });
        res.end(answer.body);
      },
      () => send(res, 500, 'The picture could not be read.'),
    );
  };

  const onRequest: RequestListener = (req, res) => {
    if (!isAllowedHost(policy, req.headers.host)) return send(res, 421, 'Unknown host. Open the URL that `apf serve` printed.');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
      decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'Bad request: the address is not a valid URL path.');
    }
    if (url.pathname === '/pair' && req.method === 'POST') return redeemPairing(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    if (url.pathname.startsWith('/camera/')) return cameraStream(req, res, url);
    if (url.pathname.startsWith('/snapshot/')) return snapshot(req, res, url);
    if (url.searchParams.has('token')) return exchangeToken(req, res, url);
    // The QR code's link fills the form in; only the POST redeems a code, so a link preview cannot use one up.
    if (url.pathname === '/pair') return PAGES.pairForm(res, undefined, 200, pairingPrefill(url.searchParams));
    // The interface's code and styles are the same for everyone; the page that runs them needs a session.
    if (!/\.[a-z0-9]+$/i.test(url.pathname) || url.pathname.endsWith('.html')) {
      const auth = sessionFrom(req);
      if (!auth?.ok) return PAGES.notSignedIn(res);
    }
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
  const bySession = new Map<string, Set<RpcConnection>>();
  const lastTouch = new Map<string, number>();

  const touch = (session: SessionRecord, address?: string) => {
    const now = Date.now();
    if (!address && now - (lastTouch.get(session.id) ?? 0) < TOUCH_EVERY_MS) return;
    lastTouch.set(session.id, now);
    try {
      access.sessions.touch(session.id, address);
    } catch (err) {
      opts.log.error('recording a session as seen failed', err);
    }
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, policy);
    const auth = refusal ? null : sessionFrom(req);
    // The socket is opened by the session cookie only; a token in its URL is ignored.
    const failed = refusal ?? (auth?.ok ? null : '401 Unauthorized');
    if (failed || !auth?.ok) {
      socket.end(`HTTP/1.1 ${failed}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const session = auth.session;
    touch(session, req.socket.remoteAddress);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new RpcConnection(ws, {
        dispatch: opts.core.dispatch,
        capabilities: new Set(ROLE_CAPABILITIES[session.role]),
        actor: { sessionId: session.id, label: session.label },
        onActivity: () => touch(session),
        limits: opts.limits,
        logError: (message, err) => opts.log.error(message, err),
        onEnd: (connectionSession) => {
          sockets.delete(ws);
          bySession.get(session.id)?.delete(connection);
          // Its unfinished uploads go with it, rather than holding upload slots until they go idle.
          opts.core.endSession(connectionSession).catch((err: unknown) => opts.log.error('ending a session failed', err));
        },
      });
      sockets.set(ws, connection);
      if (!bySession.has(session.id)) bySession.set(session.id, new Set());
      bySession.get(session.id)!.add(connection);
    });
  });

  // A revoked session's sockets close at once, with a code and a reason the page shows.
  const stopRevocations = access.sessions.onRevoked((id) => {
    for (const connection of bySession.get(id) ?? []) connection.closeWith(CLOSE.sessionEnded, 'This session was revoked by an admin. Pair this device again.');
    bySession.delete(id);
    for (const stream of cameraStreams.get(id) ?? []) stream.destroy();
    cameraStreams.delete(id);
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
  // Cookies are not kept apart by port: the port is in the name. `__Host-` pins a TLS cookie to this host and path.
  cookieName = `${opts.tls ? '__Host-' : ''}apf_session_${port}`;
  const shownHost = isLoopbackHost(opts.host) ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const origin = `${scheme}://${shownHost}:${port}`;
  access.setServing({
    transport: scheme,
    fingerprint256: opts.tls?.fingerprint256 ?? null,
    pairUrls: pairingOrigins(opts, scheme, port, origin).map((o) => `${o}/pair`),
    lan: opts.allowLan,
  });

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    fingerprint256: opts.tls?.fingerprint256 ?? null,
    cookieName,
    clients: () => [...sockets.values()].map((c) => c.stats()),
    async close() {
      unsubscribe();
      stopRevocations();
      for (const ws of sockets.keys()) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Where other devices reach this host: the bound address, or every LAN address when bound to all of them. */
function pairingOrigins(opts: HeadlessServerOptions, scheme: string, port: number, origin: string): string[] {
  if (!opts.allowLan || (opts.host !== '0.0.0.0' && opts.host !== '::')) return [origin];
  const addresses = lanAddresses().filter((a) => opts.host === '::' || !a.includes(':'));
  const names = [...(opts.hostnames ?? [machineName()])].filter((n) => /^[a-z0-9.-]+$/i.test(n));
  const hosts = [...addresses.map((a) => (a.includes(':') ? `[${a}]` : a)), ...names];
  return hosts.length ? hosts.map((h) => `${scheme}://${h}:${port}`) : [origin];
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header || !name) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
    }
  }
  return null;
}

function tlsServer(tls: { cert: string; key: string }, onRequest: RequestListener) {
  const server = createTlsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, onRequest);
  server.on('tlsClientError', (_err: Error, socket: Duplex) => socket.destroy());
  return server;
}

function upgradeRefusal(req: IncomingMessage, policy: OriginPolicy): string | null {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/rpc') return '404 Not Found';
  if (!isAllowedHost(policy, req.headers.host)) return '421 Misdirected Request';
  if (!isAllowedOrigin(policy, req.headers.origin, req.headers.host)) return '403 Forbidden';
  return null;
}

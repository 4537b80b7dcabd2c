/**
 * The AutoPrintFarm v1 sandbox: a loopback stand-in for the cloud API (../../../shared/spec/cloud-api.md)
 * that every cloud test, the e2e suite and a user without an account talk to.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DownloadLinks } from './download-links';
import { FileRepo } from './files';
import { errorBody, redactKeys, sendJson } from './http-io';
import { CommandLog } from './hub-commands';
import { HubConnections } from './hub-connections';
import type { HubMessageDeps } from './hub-messages';
import { REAL_HUB_TIMINGS, type HubTimings } from './hub-session';
import { createHubSocketServer } from './hub-socket';
import { HubRepo } from './hubs';
import { JobControl } from './job-control';
import { JobRepo } from './jobs';
import { createOAuthServer } from './oauth';
import { OAuthStore, type DemoUser } from './oauth-store';
import { KeyStore, type KeyPrefix } from './keys';
import { anonymousRateHeaders, createRequestHandler } from './pipeline';
import { PrinterRepo } from './printers';
import { FixedWindowLimiter } from './rate-limit';
import { Router, type PublicRoute } from './router';
import { fileDownloadRoutes, fileRoutes } from './routes/files';
import { hubRoutes } from './routes/hubs';
import { jobRoutes } from './routes/jobs';
import { keyRoutes } from './routes/keys';
import { materialRoutes } from './routes/materials';
import { FilamentRepo } from './materials';
import { printerJson, printerRoutes } from './routes/printers';
import { isGrantableScope } from './scopes';
import { getMeta, openDatabase, setMeta, type Db } from './store';

export type { KeyPrefix } from './keys';
export type { HubTimings } from './hub-session';

export interface SandboxOptions {
  port?: number; // default 0 = free port
  host?: string; // default 127.0.0.1
  dbFile?: string; // default ':memory:'
  rateLimitPerHour?: number; // per key, fixed one-hour window, default 1000
  now?: () => number; // injectable clock, ms since epoch; default Date.now
  organization?: string; // default 'Sandbox Farm'
  adminKeyPrefix?: KeyPrefix; // prefix of the first admin key, default 'apf_dev_'
  hubTimings?: Partial<HubTimings>; // hub socket limits; default the real 10 s hello, 60 s silence, 5 min offers
  maxFileBytes?: number; // largest POST /files body, default 256 MB
  onHubMessage?: HubMessageDeps['onHubMessage']; // sees every hub message the sandbox accepted, after it is applied
  log?: (line: string) => void; // where the sandbox's few log lines go (already redacted of keys); default stderr
  oauth?: OAuthOptions;
}

export interface OAuthOptions {
  /** RFC 8628 polling `interval` in whole seconds, default 5 (slow_down adds 5 each time). */
  deviceIntervalSeconds?: number;
  /** Life of a device code in whole seconds, default 600. */
  deviceCodeTtlSeconds?: number;
  /** The demo user's password; default one random password per database file (kept in it, printed at each start). */
  demoPassword?: string;
}

export interface Sandbox {
  url: string; // 'http://127.0.0.1:<port>/v1'
  adminKey: string | null; // the full first admin key when this start created it (fresh DB), else null
  /** Test helper, bypasses HTTP. `organization` puts the key in another organization than the sandbox's. */
  createKey(opts: { name: string; scopes: string[]; prefix?: KeyPrefix; organization?: string }): { id: string; key: string };
  /** The OAuth issuer, `http://127.0.0.1:<port>`; metadata at `<issuer>/.well-known/oauth-authorization-server`. */
  issuer: string;
  /** The one user who can sign in on the OAuth pages. */
  demoUser: { email: string; password: string };
  /** Hub ids with a greeted socket right now. */
  connectedHubs(): string[];
  /** `METHOD /v1/path` of every HTTP request received so far (no query, no headers), oldest first; for tests. */
  requestsSeen(): readonly string[];
  close(): Promise<void>;
}

const BOOTSTRAPPED = 'admin_key_minted_at';
const DEMO_PASSWORD = 'demo_user_password';
export const DEMO_EMAIL = 'demo@autoprintfarm.test';

/** The demo user's password: given, or made once per database and kept there (a sandbox, so it can be shown again). */
function demoPassword(db: Db, given: string | undefined): string {
  if (given !== undefined) return given;
  const stored = getMeta(db, DEMO_PASSWORD);
  if (stored !== null) return stored;
  const made = randomBytes(9).toString('base64url');
  setMeta(db, DEMO_PASSWORD, made);
  return made;
}

/** Mints the database's first admin key, once per database: a later start with the same file gets null. */
function bootstrapAdminKey(db: Db, keys: KeyStore, prefix: KeyPrefix, now: () => number): string | null {
  return db.transaction(() => {
    if (getMeta(db, BOOTSTRAPPED) !== null) return null;
    const minted = keys.mint({ name: 'Sandbox admin', scopes: ['admin:*'], prefix });
    setMeta(db, BOOTSTRAPPED, new Date(now()).toISOString());
    return minted.key;
  })();
}

/** Answers requests the HTTP parser itself refused (NUL bytes, oversized headers) in the API's envelope. */
function answerClientError(err: Error & { code?: string }, socket: Socket, limiter: FixedWindowLimiter): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const body = tooLarge ? errorBody('invalid_request', 'The request headers are too large.') : errorBody('invalid_request', 'The request is not valid HTTP/1.1.');
  socket.end(
    `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      Object.entries(anonymousRateHeaders(limiter))
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      'Connection: close\r\n\r\n' +
      body,
  );
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const now = opts.now ?? Date.now;
  const host = opts.host ?? '127.0.0.1';
  const rateLimit = opts.rateLimitPerHour ?? 1000;
  if (!Number.isInteger(rateLimit) || rateLimit < 1) {
    throw new RangeError(`rateLimitPerHour must be a whole number of at least 1, got ${rateLimit}.`);
  }

  const organization = opts.organization ?? 'Sandbox Farm';
  const timings: HubTimings = { ...REAL_HUB_TIMINGS, ...opts.hubTimings };
  const write = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const log = (line: string) => write(redactKeys(line));
  let baseUrl = '';

  const db = openDatabase(opts.dbFile ?? ':memory:');
  const keys = new KeyStore(db, now);
  const printers = new PrinterRepo(db, now);
  const jobs = new JobRepo(db, now);
  const hubs = new HubRepo(db, now);
  const files = new FileRepo(db, now);
  const commands = new CommandLog(db, now);
  const filaments = new FilamentRepo(db, now);
  const links = new DownloadLinks(db, now);
  const connections = new HubConnections();
  const control = new JobControl({
    db,
    jobs,
    printers,
    hubs,
    files,
    commands,
    links,
    connections,
    now,
    baseUrl: () => baseUrl,
    offerTtlMs: timings.offerTtlMs,
  });
  const limiter = new FixedWindowLimiter(rateLimit, now);
  // A revoked grant or access token ends the hub sockets opened with it, as a deleted key does.
  const tokens = new OAuthStore(db, now, (id) => hubSockets.closeForKey(id));
  const demoUser: DemoUser = { id: 'usr_demo', email: DEMO_EMAIL, password: demoPassword(db, opts.oauth?.demoPassword) };
  const deviceIntervalS = opts.oauth?.deviceIntervalSeconds ?? 5;
  const deviceTtlS = opts.oauth?.deviceCodeTtlSeconds ?? 600;
  if (!Number.isInteger(deviceIntervalS) || deviceIntervalS < 0 || !Number.isInteger(deviceTtlS) || deviceTtlS < 1) {
    db.close();
    throw new RangeError('oauth.deviceIntervalSeconds must be a whole number ≥ 0 and oauth.deviceCodeTtlSeconds ≥ 1.');
  }
  const oauthServer = createOAuthServer({
    store: tokens,
    user: demoUser,
    issuer: () => baseUrl.slice(0, -'/v1'.length),
    now,
    deviceIntervalS,
    deviceTtlMs: deviceTtlS * 1000,
  });
  const router = new Router([
    // The hub sockets are made below; a deleted key reaches them through this late-bound call.
    ...keyRoutes({
      keys,
      limiter,
      organization,
      onKeyDeleted: (id) => hubSockets.closeForKey(id),
      grantInfo: (id) => {
        const grant = tokens.grantInfo(id);
        return grant && { name: `Signed in as ${demoUser.email}`, createdAt: grant.createdAt, lastUsedAt: grant.lastUsedAt };
      },
    }),
    ...hubRoutes({ db, hubs, printers, commands, connections, organization, printerJson }),
    ...printerRoutes({ db, printers, jobs, hubs, control, organization, now }),
    ...fileRoutes({ files, links, maxFileBytes: opts.maxFileBytes ?? 256 * 1024 * 1024, baseUrl: () => baseUrl }),
    ...jobRoutes({ jobs, files, commands, control }),
    ...materialRoutes({ db, filaments }),
  ]);
  const publicRouter = new Router<PublicRoute>(fileDownloadRoutes({ files, links }));
  let stopping = false;
  const hubSockets = createHubSocketServer({
    db,
    keys,
    tokens,
    limiter,
    hubs,
    printers,
    jobs,
    jobControl: control,
    connections,
    organization,
    timings,
    now,
    log,
    stopping: () => stopping,
    onHubMessage: opts.onHubMessage,
  });

  let adminKey: string | null;
  try {
    adminKey = bootstrapAdminKey(db, keys, opts.adminKeyPrefix ?? 'apf_dev_', now);
  } catch (err) {
    db.close();
    throw err;
  }

  const api = createRequestHandler({ keys, tokens, limiter, router, publicRouter, now, log });
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let path = '';
    try {
      path = new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
    } catch {
      // the API handler answers an unparsable URL
    }
    if (seen.length < 100_000) seen.push(`${req.method ?? 'GET'} ${path}`);
    if (!oauthServer.owns(path)) return api(req, res);
    oauthServer.handle(req, res).catch((err: unknown) => {
      log(`sandbox: internal error on ${req.method} ${path}: ${redactKeys(err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
      sendJson(res, 500, errorBody('internal_error', 'The sandbox hit an unexpected error. The details are in its log.'));
    });
  });
  server.on('clientError', (err: Error, socket: Socket) => answerClientError(err, socket, limiter));
  server.on('upgrade', (req, socket, head) => hubSockets.handleUpgrade(req, socket, head));

  let address: AddressInfo;
  try {
    address = await listen(server, opts.port ?? 0, host);
  } catch (err) {
    db.close();
    throw err;
  }

  baseUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/v1`;
  // Unclaimed pull-mode jobs are offered again each time their offers run out.
  const reoffer = setInterval(() => control.reofferAll(), timings.offerTtlMs);
  reoffer.unref();

  let closing: Promise<void> | null = null;
  return {
    url: baseUrl,
    issuer: baseUrl.slice(0, -'/v1'.length),
    demoUser: { email: demoUser.email, password: demoUser.password },
    adminKey,
    createKey({ name, scopes, prefix = 'apf_dev_', organization: org }) {
      const unknown = scopes.filter((s) => !isGrantableScope(s));
      if (unknown.length > 0) throw new RangeError(`Unknown scope(s): ${unknown.join(', ')}`);
      const minted = keys.mint({ name, scopes: [...new Set(scopes)], prefix, organization: org ?? null });
      return { id: minted.record.id, key: minted.key };
    },
    connectedHubs: () => connections.connected(),
    requestsSeen: () => seen,
    close() {
      closing ??= new Promise<void>((resolve) => {
        stopping = true;
        clearInterval(reoffer);
        hubSockets.terminateAll();
        server.close(() => {
          db.close();
          resolve();
        });
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

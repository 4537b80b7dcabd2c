import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../../electron/core/contract';
import { createLogger } from '../../../electron/core/log/logger';
import { startHeadlessServer, type HeadlessServer, type HeadlessServerOptions } from '../../../electron/headless/serve/server';
import { loadServerCertificate } from '../../../electron/headless/serve/tls';
import type { Clock } from '../../../electron/core/ports/clock';
import { RpcClient } from '../../support/rpc-client';
import { cookieFrom, exchangeStartLink, rawRequest, rpcUrlOf, type SessionCookie } from '../../support/session';
import { createTestCore, type TestCore } from '../../support/test-core';

export interface LanHost {
  t: TestCore;
  server: HeadlessServer;
  /** https://127.0.0.1:port (TLS, as on the LAN) */
  origin: string;
  rpcUrl: string;
  admin: SessionCookie;
  log: string[];
  /** A socket opened with this Cookie header (and any other headers). */
  open(cookie: SessionCookie | string | null, headers?: Record<string, string>): Promise<RpcClient>;
  /** Makes a pairing code as the admin and redeems it as a new device: that device's session cookie. */
  pair(role: Role, label?: string): Promise<SessionCookie>;
  /** POST /pair as our own pairing page would (same Origin). */
  postCode(code: string, headers?: Record<string, string>): ReturnType<typeof rawRequest>;
  close(): Promise<void>;
}

/** A real core behind `apf serve --allow-lan` (TLS, bound to loopback for the test), with its admin session. */
export async function startLanHost(opts: { clock?: Clock; server?: Partial<HeadlessServerOptions> } = {}): Promise<LanHost> {
  const dir = mkdtempSync(join(tmpdir(), 'apf-lan-security-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>APF</title>');
  const t = createTestCore(opts.clock ? { clock: opts.clock } : {});
  const log: string[] = [];
  const server = await startHeadlessServer({
    core: t.core,
    rendererDir: dir,
    host: '127.0.0.1',
    port: 0,
    allowLan: true,
    tls: loadServerCertificate({ dataDir: dir }),
    log: createLogger({ write: (l) => void log.push(l) }),
    ...opts.server,
  });
  const origin = server.origin;
  const rpcUrl = rpcUrlOf(origin);
  const admin = await exchangeStartLink(server.url);
  const open = (cookie: SessionCookie | string | null, headers: Record<string, string> = {}) =>
    RpcClient.open(rpcUrl, { ...(cookie ? { Cookie: typeof cookie === 'string' ? cookie : cookie.header } : {}), ...headers });
  const postCode = (code: string, headers: Record<string, string> = {}) =>
    rawRequest(`${origin}/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin', 'user-agent': 'second-device', ...headers },
      body: new URLSearchParams({ code }).toString(),
    });
  return {
    t,
    server,
    origin,
    rpcUrl,
    admin,
    log,
    open,
    postCode,
    async pair(role, label = `${role} device`) {
      const c = await open(admin);
      const offer = (await c.request('access.pair', { role, label })).result as { code: string };
      c.close();
      return cookieFrom(await postCode(offer.code));
    },
    async close() {
      await server.close();
      await t.core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

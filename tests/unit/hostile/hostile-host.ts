import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Core } from '../../../electron/core/core';
import { createLogger } from '../../../electron/core/log/logger';
import type { ClientLimits } from '../../../electron/headless/serve/rpc-connection';
import { startHeadlessServer, type HeadlessServer } from '../../../electron/headless/serve/server';
import { RpcClient } from '../../support/rpc-client';
import { exchangeStartLink, rpcUrlOf } from '../../support/session';
import { createTestCore, type TestCore } from '../../support/test-core';

export const FIXTURE_GCODE = readFileSync(join(__dirname, '../../fixtures/gcode/prusaslicer.gcode'));

export interface HostileHost {
  t: TestCore;
  server: HeadlessServer;
  /** Every line the host logged: an attack must not produce stack traces. */
  log: string[];
  dataDir: string;
  wsUrl: string;
  /** The admin session's Cookie header every client here opens its socket with. */
  cookie: string;
  client(): Promise<RpcClient>;
  /** A raw socket for clients that misbehave below the RPC client's level. */
  raw(options?: WebSocket.ClientOptions): Promise<WebSocket>;
  /** Files left in the upload folder. */
  partFiles(): string[];
  close(): Promise<void>;
}

/** A real core behind a real `apf serve` server on loopback, with tighter limits where a test needs them. */
export async function startHostileHost(opts: { limits?: Partial<ClientLimits>; wrapCore?: (core: Core) => Core } = {}): Promise<HostileHost> {
  const rendererDir = mkdtempSync(join(tmpdir(), 'apf-hostile-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>APF</title>');
  const t = createTestCore();
  const log: string[] = [];
  const core = opts.wrapCore ? opts.wrapCore(t.core) : t.core;
  const server = await startHeadlessServer({
    core,
    rendererDir,
    host: '127.0.0.1',
    port: 0,
    allowLan: false,
    log: createLogger({ write: (l) => void log.push(l) }),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  const wsUrl = rpcUrlOf(server.url);
  const cookie = (await exchangeStartLink(server.url)).header;
  log.length = 0; // the line saying the start link was used: the attacks start after it
  const dataDir = ((await t.core.dispatch('app.info', undefined, { capabilities: new Set(['app:read']) })) as { ok: true; result: { dataDir: string } }).result.dataDir;
  return {
    t,
    server,
    log,
    dataDir,
    wsUrl,
    cookie,
    client: () => RpcClient.open(wsUrl, { Cookie: cookie }),
    raw: (options) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(wsUrl, { ...options, headers: { ...options?.headers, Cookie: cookie } });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      }),
    partFiles: () => readdirSync(join(dataDir, 'files', 'incoming')),
    async close() {
      await server.close();
      await t.core.close();
      rmSync(rendererDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Open file descriptors of this process that point into `dir` (Linux /proc; empty elsewhere). */
export function openFilesUnder(dir: string): string[] {
  const out: string[] = [];
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) out.push(target);
    } catch {
      // closed while we looked
    }
  }
  return out;
}

export async function waitUntil(check: () => boolean, timeoutMs = 5000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../../electron/core/log/logger';
import { startHeadlessServer, type HeadlessServer } from '../../../electron/headless/serve/server';
import { loadServerCertificate } from '../../../electron/headless/serve/tls';
import { createTestCore, type TestCore } from '../../support/test-core';

// Attack: a device on the LAN (or a downgrade by someone on the path) speaks plain HTTP to the LAN port, hoping
// for the page, a cookie or the socket in clear text. The port speaks only TLS: nothing is served.
let t: TestCore;
let server: HeadlessServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apf-plain-http-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>APF</title>');
  t = createTestCore();
  server = await startHeadlessServer({
    core: t.core,
    rendererDir: dir,
    host: '127.0.0.1',
    port: 0,
    allowLan: true,
    tls: loadServerCertificate({ dataDir: dir }),
    log: createLogger({ write: () => undefined }),
  });
});
afterAll(async () => {
  await server.close();
  await t.core.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a plain HTTP request to the TLS port fails and gets no page', async () => {
  const outcome = await new Promise<string>((resolve) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: `/?token=${server.token}` }, (res) => resolve(`answered ${res.statusCode}`));
    req.on('error', (err) => resolve(`failed: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    req.end();
  });
  expect(outcome).toMatch(/^failed/);
});

it('the raw bytes that come back hold no page, no cookie and no token', async () => {
  const bytes = await new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(server.port, '127.0.0.1', () => socket.write(`GET /?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
  const text = bytes.toString('latin1');
  expect(text).not.toContain('HTTP/1.1 2');
  expect(text).not.toContain('<title>');
  expect(text.toLowerCase()).not.toContain('set-cookie');
  expect(text).not.toContain(server.token);
});

it('a plain WebSocket (ws://) to the TLS port does not open', async () => {
  const { default: WebSocket } = await import('ws');
  const result = await new Promise<string>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`);
    ws.once('open', () => resolve('open'));
    ws.once('error', () => resolve('error'));
    ws.once('unexpected-response', () => resolve('answered'));
  });
  expect(result).toBe('error');
});

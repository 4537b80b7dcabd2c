import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/core/log/logger';
import { startHeadlessServer, type HeadlessServer } from '../../../electron/headless/serve/server';
import { RpcClient } from '../../support/rpc-client';
import { exchangeStartLink, rawRequest, type SessionCookie } from '../../support/session';
import { createTestCore, type TestCore } from '../../support/test-core';

let t: TestCore;
let server: HeadlessServer;
let rendererDir: string;
let admin: SessionCookie;
const logLines: string[] = [];

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'apf-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>APF</title>');
  t = createTestCore();
  server = await startHeadlessServer({ core: t.core, rendererDir, host: '127.0.0.1', port: 0, allowLan: false, log: createLogger({ write: (l) => void logLines.push(l) }) });
  admin = await exchangeStartLink(server.url);
});
afterAll(async () => {
  await server.close();
  await t.core.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

const rpcUrl = () => `ws://127.0.0.1:${server.port}/rpc`;
const open = (headers: Record<string, string> = {}) => RpcClient.open(rpcUrl(), { Cookie: admin.header, ...headers });

describe('apf serve', () => {
  it('prints a loopback URL carrying its token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer with a strict CSP and no referrer', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { cookie: admin.header } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await res.text()).toContain('<title>APF</title>');
  });

  it('refuses to serve files outside the renderer folder', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2f..%2f..%2fetc%2fpasswd`);
    expect(await res.text()).not.toContain('root:');
    const withExt = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2f..%2f..%2fetc%2fhost.conf`);
    expect(withExt.status).toBe(404);
  });

  it('swapped the start link for an HttpOnly, SameSite=Strict session cookie and a redirect without the token', async () => {
    expect(admin.name).toBe(`apf_session_${server.port}`);
    const again = await rawRequest(server.url);
    expect(again.status).toBe(410);
    expect(again.body).toContain('already used');
  });

  it('rejects an RPC connection without the session cookie or with a wrong one', async () => {
    await expect(RpcClient.open(rpcUrl())).rejects.toThrow('HTTP 401');
    await expect(RpcClient.open(`${rpcUrl()}?token=${server.token}`)).rejects.toThrow('HTTP 401');
    await expect(RpcClient.open(rpcUrl(), { Cookie: `${admin.name}=${'A'.repeat(43)}` })).rejects.toThrow('HTTP 401');
  });

  it('rejects a foreign Host header on pages and on the socket', async () => {
    await expect(open({ Host: 'evil.example' })).rejects.toThrow('HTTP 421');
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: 'attacker.test' } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(421);
  });

  it('rejects a socket opened by a page of another origin', async () => {
    await expect(open({ Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('answers JSON-RPC 2.0 calls with the contract result', async () => {
    const c = await open();
    const reply = await c.request('printers.list');
    expect(reply.result).toEqual([expect.objectContaining({ kind: 'virtual', embedded: true })]);
    c.close();
  });

  it('answers malformed input with a structured error and keeps the connection open', async () => {
    const c = await open();
    expect(await c.sendRaw('{not json')).toMatchObject({ error: { code: -32700, data: { code: 'invalid_input' } } });
    expect(await c.sendRaw(JSON.stringify({ id: 7, method: 'printers.list' }))).toMatchObject({ id: 7, error: { code: -32600 } });
    const bad = await c.request('printers.setTemperature', { printerId: 1 });
    expect(bad.error).toMatchObject({ code: -32602, data: { code: 'invalid_input' } });
    const unknown = await c.request('fs.readFile', { path: '/etc/passwd' });
    expect(unknown.error).toMatchObject({ code: -32601, data: { code: 'unknown_method' } });
    expect((await c.request('app.info')).result).toMatchObject({ host: 'headless' });
    c.close();
  });

  it('answers a batch and stays silent for notifications', async () => {
    const c = await open();
    const reply = await c.sendRaw(
      JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'settings.get' },
        { jsonrpc: '2.0', method: 'settings.get' },
      ]),
    );
    expect(reply).toEqual([{ jsonrpc: '2.0', id: 'a', result: { theme: 'system' } }]);
    c.close();
  });

  it('pushes core events to the browser as JSON-RPC notifications', async () => {
    const c = await open();
    await c.request('settings.update', { theme: 'dark' });
    const n = await c.waitFor((x) => x.method === 'settings.changed');
    expect(n.params).toEqual({ theme: 'dark' });
    c.close();
  });
});

describe('apf serve on a non-loopback address', () => {
  it('refuses to listen without --allow-lan', async () => {
    await expect(startHeadlessServer({ core: t.core, rendererDir, host: '0.0.0.0', port: 0, allowLan: false, log: createLogger({ write: () => undefined }) })).rejects.toThrow(
      /--allow-lan/,
    );
  });
});

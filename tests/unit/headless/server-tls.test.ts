import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/core/log/logger';
import { startHeadlessServer, type HeadlessServer } from '../../../electron/headless/serve/server';
import { loadServerCertificate, type ServerCertificate } from '../../../electron/headless/serve/tls';
import { createTestCore, type TestCore } from '../../support/test-core';

let t: TestCore;
let server: HeadlessServer;
let dir: string;
let tls: ServerCertificate;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apf-tls-server-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>APF</title>');
  tls = loadServerCertificate({ dataDir: dir });
  t = createTestCore();
  server = await startHeadlessServer({ core: t.core, rendererDir: dir, host: '127.0.0.1', port: 0, allowLan: true, tls, log: createLogger({ write: () => undefined }) });
});
afterAll(async () => {
  await server.close();
  await t.core.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string): Promise<{ status: number; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, ca: tls.cert, servername: 'localhost' }, (res) => {
      const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerX509Certificate()?.fingerprint256 ?? '';
      res.resume();
      resolve({ status: res.statusCode ?? 0, fingerprint });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('apf serve --allow-lan', () => {
  it('prints an https URL and the certificate fingerprint', () => {
    expect(server.url.startsWith(`https://`)).toBe(true);
    expect(server.fingerprint256).toBe(tls.fingerprint256);
  });

  it('answers over TLS with the certificate it printed', async () => {
    const res = await get('/favicon-that-does-not-exist.ico');
    expect(res.status).toBe(404);
    expect(res.fingerprint).toBe(tls.fingerprint256);
  });

  it('refuses to start on the LAN without a certificate', async () => {
    await expect(
      startHeadlessServer({ core: t.core, rendererDir: dir, host: '127.0.0.1', port: 0, allowLan: true, log: createLogger({ write: () => undefined }) }),
    ).rejects.toThrow(/HTTPS only/);
  });
});

import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CertificateError, loadServerCertificate } from '../../../electron/headless/serve/tls';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'apf-tls-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the LAN certificate', () => {
  it('is made on first start, kept 0600 in the data folder, and reused after', () => {
    const dataDir = tempDir();
    const first = loadServerCertificate({ dataDir, hostnames: ['farm-pc'] });
    expect(first.source).toBe('generated');
    expect(first.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    for (const f of ['cert.pem', 'key.pem']) expect(statSync(join(dataDir, 'tls', f)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'tls')).mode & 0o777).toBe(0o700);
    const x509 = new X509Certificate(first.cert);
    expect(x509.subjectAltName).toContain('DNS:farm-pc');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x509.fingerprint256).toBe(first.fingerprint256);

    const again = loadServerCertificate({ dataDir });
    expect(again.source).toBe('stored');
    expect(again.fingerprint256).toBe(first.fingerprint256);
  });

  it('is made again when it is about to expire', () => {
    const dataDir = tempDir();
    const first = loadServerCertificate({ dataDir });
    const later = loadServerCertificate({ dataDir, now: () => Date.parse(first.notAfter) - 24 * 3600_000 });
    expect(later.source).toBe('generated');
    expect(later.fingerprint256).not.toBe(first.fingerprint256);
  });

  it("takes the user's own certificate and key, and says what is wrong with them", () => {
    const dir = tempDir();
    const cert = join(dir, 'c.pem');
    const key = join(dir, 'k.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=mine', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const mine = loadServerCertificate({ dataDir: dir, certFile: cert, keyFile: key });
    expect(mine.source).toBe('user');
    expect(mine.fingerprint256).toBe(new X509Certificate(readFileSync(cert)).fingerprint256);

    expect(() => loadServerCertificate({ dataDir: dir, certFile: cert })).toThrow(/go together/);
    expect(() => loadServerCertificate({ dataDir: dir, certFile: join(dir, 'nope.pem'), keyFile: key })).toThrow(/no such file/);
    const other = tempDir();
    const otherCert = loadServerCertificate({ dataDir: other });
    writeFileSync(join(dir, 'other-key.pem'), otherCert.key);
    expect(() => loadServerCertificate({ dataDir: dir, certFile: cert, keyFile: join(dir, 'other-key.pem') })).toThrow(/does not belong/);
  });

  it('explains how to go on when openssl is missing', () => {
    expect(() => loadServerCertificate({ dataDir: tempDir(), openssl: '/nonexistent/openssl' })).toThrow(CertificateError);
    expect(() => loadServerCertificate({ dataDir: tempDir(), openssl: '/nonexistent/openssl' })).toThrow(/--cert FILE --cert-key FILE/);
  });
});

import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, tightenPrivateFile } from '../../core/private-files';

/** The certificate `apf serve --allow-lan` answers with, and what a browser is told to compare. */
export interface ServerCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the DER certificate, colon-separated upper-case hex (what browsers show). */
  fingerprint256: string;
  /** Where it came from: made by us now, made by us before, or given with --cert/--cert-key. */
  source: 'generated' | 'stored' | 'user';
  notAfter: string;
}

export class CertificateError extends Error {}

/** The folder in the data directory that holds the generated certificate (0700, files 0600). */
export const TLS_DIR = 'tls';
/** A generated certificate is valid this long (825 days is the most Apple platforms accept for a server certificate). */
const GENERATED_DAYS = 825;
/** A stored certificate closer than this to its end is replaced on start. */
const RENEW_BEFORE_MS = 30 * 24 * 3600_000;

/**
 * The user's certificate (--cert/--cert-key), or the self-signed one kept in `<data>/tls/`, made on first start
 * with `openssl req -x509` (Node can make keys but not certificates; no certificate library is a dependency).
 */
export function loadServerCertificate(opts: {
  dataDir: string;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  hostnames?: string[];
  now?: () => number;
  openssl?: string;
}): ServerCertificate {
  const now = opts.now ?? Date.now;
  if (opts.certFile || opts.keyFile) {
    if (!opts.certFile || !opts.keyFile) throw new CertificateError('--cert and --cert-key go together: give both files, or neither to use the generated certificate.');
    const cert = readOrExplain(opts.certFile, '--cert');
    const key = readOrExplain(opts.keyFile, '--cert-key');
    return { cert, key, ...describe(cert, key, `${opts.certFile} and ${opts.keyFile}`), source: 'user' };
  }
  const dir = join(opts.dataDir, TLS_DIR);
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = readFileSync(certPath, 'utf8');
    const key = readFileSync(keyPath, 'utf8');
    try {
      const info = describe(cert, key, certPath);
      if (Date.parse(info.notAfter) - now() > RENEW_BEFORE_MS) {
        tightenPrivateFile(keyPath);
        tightenPrivateFile(certPath);
        return { cert, key, ...info, source: 'stored' };
      }
    } catch {
      // Damaged or mismatched: made again below.
    }
  }
  ensurePrivateDir(dir);
  generate(dir, certPath, keyPath, opts.hostnames ?? [], opts.openssl ?? 'openssl');
  const cert = readFileSync(certPath, 'utf8');
  const key = readFileSync(keyPath, 'utf8');
  return { cert, key, ...describe(cert, key, certPath), source: 'generated' };
}

function generate(dir: string, certPath: string, keyPath: string, hostnames: string[], openssl: string): void {
  const work = mkdtempSync(join(dir, 'new-'));
  try {
    const names = new Set(['localhost', ...hostnames.filter((h) => /^[a-z0-9.-]+$/i.test(h))]);
    const ips = new Set(['127.0.0.1', '::1', ...lanAddresses()]);
    const san = [...[...names].map((n) => `DNS:${n}`), ...[...ips].map((ip) => `IP:${ip}`)].join(',');
    const args = [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-sha256',
      '-days',
      String(GENERATED_DAYS),
      '-subj',
      '/O=AutoPrintFarm/CN=AutoPrintFarm farm PC',
      '-addext',
      `subjectAltName=${san}`,
      '-addext',
      'extendedKeyUsage=serverAuth',
      '-keyout',
      join(work, 'key.pem'),
      '-out',
      join(work, 'cert.pem'),
    ];
    try {
      // Written into a fresh 0700 folder, tightened to 0600, then moved into place.
      execFileSync(openssl, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
      if (e.code === 'ENOENT') {
        throw new CertificateError(
          'Serving on the LAN needs HTTPS, and `openssl` was not found to make its certificate. Install OpenSSL (Debian: apt-get install openssl), or pass your own certificate with --cert FILE --cert-key FILE.',
        );
      }
      throw new CertificateError(`openssl could not make the HTTPS certificate: ${(e.stderr?.toString() || e.message).trim().slice(0, 400)}`);
    }
    tightenPrivateFile(join(work, 'key.pem'));
    tightenPrivateFile(join(work, 'cert.pem'));
    renameSync(join(work, 'key.pem'), keyPath);
    renameSync(join(work, 'cert.pem'), certPath);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The machine's non-internal addresses: what other devices on the LAN type. */
export function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && !a.address.startsWith('fe80:')) out.push(a.address);
  }
  return out;
}

function describe(cert: string, key: string, where: string): { fingerprint256: string; notAfter: string } {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new CertificateError(`${where}: not a PEM certificate.`);
  }
  let matches = false;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new CertificateError(`${where}: the key is not a PEM private key (an encrypted key is not supported).`);
  }
  if (!matches) throw new CertificateError(`${where}: the key does not belong to the certificate.`);
  return { fingerprint256: x509.fingerprint256, notAfter: new Date(x509.validTo).toISOString() };
}

function readOrExplain(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CertificateError(`${flag} ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  dir: string;
  /** The certificate, followed by its intermediate when it has one (what a server presents). */
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
  /** The leaf certificate alone, and its SHA-256 fingerprint as Node prints it. */
  leaf: Buffer;
  sha256: string;
  remove(): void;
}

/** A throwaway CA standing in for a printer maker's (Bambu's "BBL CA"), to issue printer certificates from. */
export interface TestCa {
  dir: string;
  /** The root certificate, PEM: the trust anchor a test gives the app. */
  pem: string;
  keyFile: string;
  certFile: string;
  remove(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { stdio: 'ignore', cwd });
}

function certOf(dir: string, certFile: string, keyFile: string, leafFile: string): TestCert {
  const leaf = readFileSync(leafFile);
  return {
    dir,
    certFile,
    keyFile,
    cert: readFileSync(certFile),
    key: readFileSync(keyFile),
    leaf,
    sha256: new X509Certificate(leaf).fingerprint256,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A throwaway self-signed certificate for 127.0.0.1, made with openssl; `cn` names it (an impostor names the serial). */
export function makeTestCert(cn = '127.0.0.1'): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'apf-cert-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  openssl(['req', '-x509', ...EC, '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${cn}`, '-addext', 'subjectAltName=IP:127.0.0.1'], dir);
  return certOf(dir, certFile, keyFile, certFile);
}

export function makeTestCa(name = 'Test BBL CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'apf-ca-'));
  const certFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca.key');
  openssl(
    [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      `/O=Test BBL Technologies/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return { dir, pem: readFileSync(certFile, 'utf8'), keyFile, certFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A printer certificate as Bambu issues them: common name = the serial, signed by an intermediate ("device
 * CA") that the CA signed; the server presents leaf and intermediate, the client holds only the root.
 */
export function issuePrinterCert(ca: TestCa, cn: string): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'apf-cert-'));
  writeFileSync(join(dir, 'int.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n');
  openssl(['req', ...EC, '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=Test BBL Device CA'], dir);
  openssl(
    ['x509', '-req', '-in', 'int.csr', '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-CAserial', 'ca.srl', '-out', 'int.pem', '-days', '2', '-extfile', 'int.ext'],
    dir,
  );
  openssl(['req', ...EC, '-keyout', 'key.pem', '-out', 'leaf.csr', '-subj', `/CN=${cn}`], dir);
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-CAserial', 'int.srl', '-out', 'leaf.pem', '-days', '2'], dir);
  const chain = join(dir, 'chain.pem');
  writeFileSync(chain, Buffer.concat([readFileSync(join(dir, 'leaf.pem')), readFileSync(join(dir, 'int.pem'))]));
  return certOf(dir, chain, join(dir, 'key.pem'), join(dir, 'leaf.pem'));
}

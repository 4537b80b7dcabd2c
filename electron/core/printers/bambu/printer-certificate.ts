import { connect, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { AppError } from '../../errors';
import { describeNetworkError } from '../lan-common/address';
import { CertificateError } from '../lan-common/certificate-error';
import type { CertificateProblem } from '../model';

/** A certificate the user checked and trusted for one printer: its fingerprint, and itself as a trust anchor. */
export interface CertificatePin {
  /** SHA-256 of the DER, upper-case hex pairs joined by colons (as Node and browsers print it). */
  sha256: string;
  pem: string;
  pinnedAt: string;
}

/**
 * What a Bambu printer's TLS certificate is checked against. Bambu signs each printer's certificate with its
 * own CA, naming the printer's serial number; `anchors` are those CA certificates. A printer whose certificate
 * does not chain to them is reached only once the user pinned it.
 */
export interface BambuTrust {
  serial: string;
  anchors: readonly string[];
  pin: CertificatePin | null;
}

const PIN_MISMATCH = 'ERR_APF_CERT_PIN_MISMATCH';
const SERIAL_MISMATCH = 'ERR_APF_CERT_SERIAL_MISMATCH';

/** OpenSSL's and Node's verdicts on a certificate, and ours: a refusal the user must look at, never a network fault. */
const REFUSALS = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  PIN_MISMATCH,
  SERIAL_MISMATCH,
]);

function refusal(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

export function fingerprintOf(cert: Pick<PeerCertificate, 'fingerprint256'>): string {
  return cert.fingerprint256.toUpperCase();
}

/**
 * TLS options for every connection to the printer (MQTT, and FTPS control and data): the handshake fails,
 * before a byte of ours is sent, unless the certificate is the pinned one or Bambu's CA signed it for this
 * serial. The printer is reached by IP address, so the name checked is the serial, not the host.
 */
export type BambuTlsOptions = Pick<ConnectionOptions, 'allowPartialTrustChain' | 'rejectUnauthorized' | 'checkServerIdentity'> & { ca: string[] };

export function bambuTlsOptions(trust: BambuTrust): BambuTlsOptions {
  const pin = trust.pin;
  if (pin) {
    return {
      // The pinned certificate is its own trust anchor, whoever issued it; the fingerprint check is what counts.
      ca: [pin.pem],
      allowPartialTrustChain: true,
      rejectUnauthorized: true,
      checkServerIdentity: (_host, cert) => (fingerprintOf(cert) === pin.sha256 ? undefined : refusal(PIN_MISMATCH, 'The certificate is not the one that was trusted.')),
    };
  }
  const serial = trust.serial.toUpperCase();
  return {
    // An empty list trusts nothing (Node adds its public roots only when `ca` is absent).
    ca: [...trust.anchors],
    rejectUnauthorized: true,
    checkServerIdentity: (_host, cert) =>
      commonName(cert.subject).toUpperCase() === serial ? undefined : refusal(SERIAL_MISMATCH, `The certificate names ${commonName(cert.subject) || 'no printer'}.`),
  };
}

export function isCertificateRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && REFUSALS.has(code);
}

/** The certificate a printer presents, read by a handshake that sends nothing else. */
export interface PresentedCertificate {
  sha256: string;
  pem: string;
  subject: string;
  issuer: string;
  validTo: string;
  /** Whether it chains to the anchors it was read with. */
  chainsToAnchors: boolean;
}

export function readPresentedCertificate(opts: { host: string; port: number; anchors: readonly string[]; timeoutMs?: number }): Promise<PresentedCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: opts.host, port: opts.port, ca: [...opts.anchors], rejectUnauthorized: false, checkServerIdentity: () => undefined });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new AppError('printer_offline', `${opts.host}:${opts.port} did not finish a TLS handshake within ${Math.round((opts.timeoutMs ?? 5000) / 1000)} s.`));
    }, opts.timeoutMs ?? 5000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      const chainsToAnchors = socket.authorized;
      socket.destroy();
      if (!cert?.raw) return reject(new AppError('printer_error', `${opts.host}:${opts.port} presented no certificate.`));
      resolve({
        sha256: fingerprintOf(cert),
        pem: toPem(cert.raw),
        subject: commonName(cert.subject),
        issuer: commonName(cert.issuer),
        validTo: new Date(cert.valid_to).toISOString(),
        chainsToAnchors,
      });
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new AppError('printer_offline', describeNetworkError(err, `${opts.host}:${opts.port}`)));
    });
  });
}

/**
 * Turns a refused handshake into what the user is told: which certificate came, why it was refused, and that
 * the access code was not sent. Reads the certificate again to say so (that handshake sends nothing either).
 */
export async function explainRefusedCertificate(opts: { host: string; port: number; trust: BambuTrust; label: string; refused: unknown }): Promise<AppError> {
  let presented: PresentedCertificate;
  try {
    presented = await readPresentedCertificate({ host: opts.host, port: opts.port, anchors: opts.trust.anchors });
  } catch (err) {
    return err instanceof AppError ? err : new AppError('printer_offline', describeNetworkError(err, opts.label));
  }
  const problem = certificateProblem(presented, opts.trust);
  if (!problem) {
    const why = (opts.refused as Error)?.message ?? 'its certificate was refused';
    return new AppError('printer_offline', `${opts.label} could not be verified: ${why}. The access code was not sent.`);
  }
  return new CertificateError(problem, refusalMessage(problem, opts.label, opts.trust.serial));
}

/** Classifies a presented certificate against the trust; null when it should have been accepted (e.g. only its dates failed). */
export function certificateProblem(presented: PresentedCertificate, trust: BambuTrust): CertificateProblem | null {
  const seen = { sha256: presented.sha256, subject: presented.subject, issuer: presented.issuer, validTo: presented.validTo };
  if (trust.pin) return presented.sha256 === trust.pin.sha256 ? null : { problem: 'changed', ...seen, pinnedSha256: trust.pin.sha256 };
  if (!presented.chainsToAnchors) return { problem: 'unknown', ...seen };
  return presented.subject.toUpperCase() === trust.serial.toUpperCase() ? null : { problem: 'wrong-printer', ...seen };
}

export function refusalMessage(problem: CertificateProblem, label: string, serial: string): string {
  switch (problem.problem) {
    case 'unknown':
      return (
        `${label} presented a certificate that Bambu Lab's CA did not sign (SHA-256 ${shortFingerprint(problem.sha256)}), so the access code was not sent. ` +
        "If this is your printer on your own network, check the fingerprint and trust it on the printer's page; the app then refuses any other certificate at this address."
      );
    case 'changed':
      return (
        `${label} presented a different certificate from the one you trusted (was ${shortFingerprint(problem.pinnedSha256 ?? '')}, now ${shortFingerprint(problem.sha256)}). ` +
        'Someone on the network may be impersonating the printer; the access code was not sent. ' +
        "If the printer was reset or replaced, check it and trust its new certificate on the printer's page."
      );
    case 'wrong-printer':
      return (
        `${label} answered with Bambu Lab's certificate for printer ${problem.subject || '(unnamed)'}, not ${serial}, so the access code was not sent. ` +
        'Check the serial number (on the printer: Settings → Device) and the address.'
      );
  }
}

/** The first and last bytes of a fingerprint, enough to tell two apart at a glance; the full one is shown where it is checked. */
export function shortFingerprint(sha256: string): string {
  const parts = sha256.split(':');
  return parts.length > 8 ? `${parts.slice(0, 4).join(':')}…${parts.slice(-4).join(':')}` : sha256;
}

function commonName(name: PeerCertificate['subject'] | undefined): string {
  const cn = (name as unknown as Record<string, string | string[]> | undefined)?.CN;
  return Array.isArray(cn) ? (cn[0] ?? '') : (cn ?? '');
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

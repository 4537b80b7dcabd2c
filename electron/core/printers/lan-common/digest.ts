import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors';

/**
 * HTTP Digest access authentication, RFC 7616: the MD5 and SHA-256 algorithms and their `-sess` variants,
 * `qop=auth` with nonce counts, and the RFC 2069 form for servers that offer no qop. Real PrusaLink
 * challenges with `algorithm="MD5-sess"`, where the session key also hashes the nonce and the client nonce.
 */
export const DIGEST_ALGORITHMS = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

/** The parts of a `WWW-Authenticate: Digest …` challenge this client uses. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  /** `auth` when the server offers it; null for an RFC 2069 server. */
  qop: 'auth' | null;
  opaque: string | null;
  algorithm: DigestAlgorithm;
  /** The nonce expired, the credentials were right: answer the new nonce without asking the user. */
  stale: boolean;
}

/** Preference when a server offers several challenges (RFC 7616 §3.7: in order of preference, strongest first). */
const STRENGTH: Record<DigestAlgorithm, number> = { 'SHA-256-sess': 4, 'SHA-256': 3, 'MD5-sess': 2, MD5: 1 };

/**
 * Reads the Digest challenges of a `WWW-Authenticate` header (several may be joined with commas) and picks the
 * strongest one this client supports. Null when there is no Digest challenge; an AppError naming the
 * algorithm when there are only ones it cannot answer (SHA-512-256, auth-int only).
 */
export function parseDigestChallenge(header: string | readonly string[] | null | undefined): DigestChallenge | null {
  const text = Array.isArray(header) ? header.join(', ') : (header as string | null | undefined);
  if (!text) return null;
  const starts = [...text.matchAll(/(?:^|,)\s*digest\s+/gi)].map((m) => ({ at: m.index, body: m.index + m[0].length }));
  if (starts.length === 0) return null;
  const challenges = starts.map((s, i) => parseParams(text.slice(s.body, starts[i + 1]?.at ?? text.length)));
  const usable: DigestChallenge[] = [];
  const refused: string[] = [];
  for (const params of challenges) {
    const realm = params.get('realm');
    const nonce = params.get('nonce');
    if (realm === undefined || nonce === undefined) continue;
    const algorithm = algorithmNamed(params.get('algorithm') ?? 'MD5');
    const qops = params
      .get('qop')
      ?.split(',')
      .map((q) => q.trim().toLowerCase());
    if (!algorithm || (qops && !qops.includes('auth'))) {
      refused.push(`${params.get('algorithm') ?? 'MD5'}${qops ? ` with qop ${qops.join('/')}` : ''}`);
      continue;
    }
    usable.push({ realm, nonce, qop: qops ? 'auth' : null, opaque: params.get('opaque') ?? null, algorithm, stale: params.get('stale')?.toLowerCase() === 'true' });
  }
  if (usable.length === 0) {
    if (refused.length)
      throw new AppError(
        'unsupported',
        `The printer asks for digest sign-in with ${refused.join(', ')}, which this app does not support (it supports ${DIGEST_ALGORITHMS.join(', ')} with qop auth).`,
      );
    return null;
  }
  return usable.sort((a, b) => STRENGTH[b.algorithm] - STRENGTH[a.algorithm])[0]!;
}

/** Answers a challenge for one request; `nc` counts the requests made with this nonce (1, 2, …). */
export function digestAuthorization(c: DigestChallenge, user: string, password: string, method: string, uri: string, nc: number, cnonce = randomBytes(8).toString('hex')): string {
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = digestResponse({ algorithm: c.algorithm, user, realm: c.realm, password, nonce: c.nonce, method, uri, qop: c.qop, nc: ncHex, cnonce });
  const parts = [
    `username="${quote(user)}"`,
    `realm="${quote(c.realm)}"`,
    `nonce="${quote(c.nonce)}"`,
    `uri="${quote(uri)}"`,
    `response="${response}"`,
    `algorithm=${c.algorithm}`,
  ];
  if (c.qop) parts.push(`qop=${c.qop}`, `nc=${ncHex}`, `cnonce="${cnonce}"`);
  if (c.opaque !== null) parts.push(`opaque="${quote(c.opaque)}"`);
  return `Digest ${parts.join(', ')}`;
}

/** The `response` value of RFC 7616 §3.4.1, for a client and for a server checking one. */
export function digestResponse(p: {
  algorithm: DigestAlgorithm;
  user: string;
  realm: string;
  password: string;
  nonce: string;
  method: string;
  uri: string;
  qop: 'auth' | null;
  nc: string;
  cnonce: string;
}): string {
  const h = p.algorithm.startsWith('SHA-256') ? sha256 : md5;
  // -sess: the session key hashes the server and client nonces in, once per nonce and cnonce (§3.4.2).
  const userKey = h(`${p.user}:${p.realm}:${p.password}`);
  const ha1 = p.algorithm.endsWith('-sess') ? h(`${userKey}:${p.nonce}:${p.cnonce}`) : userKey;
  const ha2 = h(`${p.method}:${p.uri}`);
  return p.qop ? h(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : h(`${ha1}:${p.nonce}:${ha2}`);
}

/** The fields of an `Authorization: Digest …` header, for a server (the PrusaLink stand-in) to check. */
export function parseDigestAuthorization(header: string | undefined): Map<string, string> | null {
  if (!header || !/^digest\s/i.test(header)) return null;
  return parseParams(header.replace(/^digest\s+/i, ''));
}

function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) params.set(m[1]!.toLowerCase(), (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
  return params;
}

function algorithmNamed(name: string): DigestAlgorithm | null {
  return DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === name.trim().toLowerCase()) ?? null;
}

const quote = (s: string) => s.replace(/(["\\])/g, '\\$1');
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

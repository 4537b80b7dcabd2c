import { createHash, randomBytes } from 'node:crypto';

/** The parts of a `WWW-Authenticate: Digest …` challenge this client uses (RFC 7616, MD5). */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop: string | null;
  opaque: string | null;
  algorithm: string | null;
  stale: boolean;
}

export function parseDigestChallenge(header: string | null | undefined): DigestChallenge | null {
  if (!header || !/^\s*digest\s/i.test(header)) return null;
  const params = new Map<string, string>();
  const re = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (let m = re.exec(header); m; m = re.exec(header)) params.set(m[1]!.toLowerCase(), (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) return null;
  const qopList = params.get('qop')?.split(',').map((q) => q.trim()) ?? [];
  return {
    realm,
    nonce,
    qop: qopList.includes('auth') ? 'auth' : null,
    opaque: params.get('opaque') ?? null,
    algorithm: params.get('algorithm') ?? null,
    stale: params.get('stale')?.toLowerCase() === 'true',
  };
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Answers a challenge for one request; `nc` counts the requests made with this nonce (1, 2, …). */
export function digestAuthorization(c: DigestChallenge, user: string, password: string, method: string, uri: string, nc: number, cnonce = randomBytes(8).toString('hex')): string {
  const ha1 = md5(`${user}:${c.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = c.qop ? md5(`${ha1}:${c.nonce}:${ncHex}:${cnonce}:${c.qop}:${ha2}`) : md5(`${ha1}:${c.nonce}:${ha2}`);
  const parts = [`username="${user}"`, `realm="${c.realm}"`, `nonce="${c.nonce}"`, `uri="${uri}"`, `response="${response}"`];
  if (c.algorithm) parts.push(`algorithm=${c.algorithm}`);
  if (c.qop) parts.push(`qop=${c.qop}`, `nc=${ncHex}`, `cnonce="${cnonce}"`);
  if (c.opaque !== null) parts.push(`opaque="${c.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}

/** Checks an `Authorization: Digest …` header (used by the PrusaLink test peer). */
export function verifyDigest(header: string | undefined, expect: { realm: string; nonce: string; user: string; password: string; method: string }): boolean {
  if (!header || !/^digest\s/i.test(header)) return false;
  const p = new Map<string, string>();
  const re = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (let m = re.exec(header); m; m = re.exec(header)) p.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? '');
  if (p.get('username') !== expect.user || p.get('realm') !== expect.realm || p.get('nonce') !== expect.nonce) return false;
  const uri = p.get('uri') ?? '';
  const ha1 = md5(`${expect.user}:${expect.realm}:${expect.password}`);
  const ha2 = md5(`${expect.method}:${uri}`);
  const qop = p.get('qop');
  const want = qop ? md5(`${ha1}:${expect.nonce}:${p.get('nc')}:${p.get('cnonce')}:${qop}:${ha2}`) : md5(`${ha1}:${expect.nonce}:${ha2}`);
  return p.get('response') === want;
}

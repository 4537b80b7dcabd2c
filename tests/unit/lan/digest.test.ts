import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors';
import { digestAuthorization, digestResponse, parseDigestChallenge } from '../../../electron/core/printers/lan-common/digest';

/** RFC 7616 §3.9.1: the worked example (user Mufasa, password "Circle of Life"). */
const RFC = {
  user: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  uri: '/dir/index.html',
  method: 'GET',
  nc: '00000001',
};

describe('digest authentication (RFC 7616)', () => {
  it('gives the RFC 7616 §3.9.1 responses for MD5 and SHA-256', () => {
    const base = { ...RFC, qop: 'auth' as const };
    expect(digestResponse({ ...base, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(digestResponse({ ...base, algorithm: 'SHA-256' })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('hashes the server and client nonces into the session key for the -sess algorithms (§3.4.2)', () => {
    for (const [algorithm, h] of [
      ['MD5-sess', (s: string) => createHash('md5').update(s).digest('hex')],
      ['SHA-256-sess', (s: string) => createHash('sha256').update(s).digest('hex')],
    ] as const) {
      const ha1 = h(`${h(`${RFC.user}:${RFC.realm}:${RFC.password}`)}:${RFC.nonce}:${RFC.cnonce}`);
      const want = h(`${ha1}:${RFC.nonce}:${RFC.nc}:${RFC.cnonce}:auth:${h(`${RFC.method}:${RFC.uri}`)}`);
      expect(digestResponse({ ...RFC, qop: 'auth', algorithm })).toBe(want);
    }
  });

  it("reads PrusaLink's challenge: quoted algorithm MD5-sess, qop auth, opaque", () => {
    const c = parseDigestChallenge('Digest realm="Administrator", qop="auth", algorithm="MD5-sess", nonce="abc", opaque="op"');
    expect(c).toEqual({ realm: 'Administrator', nonce: 'abc', qop: 'auth', opaque: 'op', algorithm: 'MD5-sess', stale: false });
    const header = digestAuthorization(c!, 'maker', 'pw', 'GET', '/api/v1/status', 1, 'cn');
    expect(header).toContain('algorithm=MD5-sess');
    expect(header).toContain('nc=00000001');
    expect(header).toContain('opaque="op"');
  });

  it('picks the strongest of several challenges and reads stale=true', () => {
    const c = parseDigestChallenge(['Digest realm="r", nonce="n1", qop="auth", algorithm=MD5', 'Digest realm="r", nonce="n2", qop="auth", algorithm=SHA-256, stale=TRUE']);
    expect(c).toMatchObject({ algorithm: 'SHA-256', nonce: 'n2', stale: true });
  });

  it('answers a server with no qop in the RFC 2069 form, MD5 when no algorithm is named', () => {
    const c = parseDigestChallenge('Digest realm="r", nonce="n"')!;
    expect(c).toMatchObject({ algorithm: 'MD5', qop: null });
    expect(digestAuthorization(c, 'u', 'p', 'GET', '/', 1)).not.toContain('nc=');
  });

  it('says which algorithm it cannot answer instead of failing the password', () => {
    expect(() => parseDigestChallenge('Digest realm="r", nonce="n", qop="auth", algorithm=SHA-512-256')).toThrow(AppError);
    expect(() => parseDigestChallenge('Digest realm="r", nonce="n", qop="auth-int"')).toThrow(/SHA-256-sess with qop auth/);
    expect(parseDigestChallenge('Basic realm="r"')).toBeNull();
  });
});

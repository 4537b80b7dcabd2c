/**
 * OAuth 2.0 state at rest (spec/oauth.md): authorization codes, grants (token families), access and refresh
 * tokens and device codes. Every secret is an opaque random string the database knows only by its SHA-256,
 * so a copy of the --db file lets no one call the API, and tokens survive a restart.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { newId } from './keys';
import type { Db } from './store';

/** The one registered client: the desktop app, a public native client (RFC 8252) with no secret. */
export const CLIENT_ID = 'autoprintfarm-desktop';

/** The seed's seven scopes: what a user can be asked to grant. */
export const OAUTH_SCOPES: readonly string[] = ['printers:read', 'printers:write', 'jobs:read', 'jobs:write', 'analytics:read', 'webhooks:write', 'admin:*'];

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const ACCESS_TOKEN_TTL_S = 3600;
export const CODE_TTL_MS = 10 * 60 * 1000;
/** Ours: a refresh token is good for 30 days after it was issued; rotation issues a fresh one each refresh. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const ACCESS_PREFIX = 'apfat_';
const REFRESH_PREFIX = 'apfrt_';
/** Anything that looks like one of our tokens; what it is worth is decided by the database. */
const TOKEN_SHAPE = /^apf(?:at|rt)_[A-Za-z0-9_-]{43}$/;
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER_SHAPE = /^[A-Za-z0-9\-._~]{43,128}$/;
/** RFC 8628 §6.1: consonants only — no vowels (no words), no 0/O or 1/I to confuse. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

export interface DemoUser {
  id: string;
  email: string;
  password: string;
}

export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** An RFC 6749 §5.2 error (or an RFC 8628 §3.5 polling answer) for the token endpoint. */
export interface OAuthFailure {
  ok: false;
  error: string;
  description: string;
}
export type TokenResult = { ok: true; tokens: TokenSet } | OAuthFailure;

/** What a valid access token stands for. */
export interface AccessGrant {
  tokenId: string;
  grantId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
}

export interface GrantInfo {
  id: string;
  userId: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
}

export interface PendingDevice {
  userCode: string;
  scopes: string[];
  expiresAt: number;
}

export type DevicePoll = TokenResult;

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

const randomSecret = (prefix = ''): string => prefix + randomBytes(32).toString('base64url');

/** `WDJBMJHT` → `WDJB-MJHT`. */
export const formatUserCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;

/** What a person typed (any case, dashes, spaces) → the stored form, or null if it cannot be a code. */
export function normalizeUserCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return code.length === 8 && [...code].every((c) => USER_CODE_ALPHABET.includes(c)) ? code : null;
}

/** Space-delimited scope string → list in the canonical order, or null when one is unknown. Duplicates fold. */
export function parseScope(scope: string): string[] | null {
  const asked = scope.split(' ').filter((s) => s !== '');
  if (asked.some((s) => !OAUTH_SCOPES.includes(s))) return null;
  return OAUTH_SCOPES.filter((s) => asked.includes(s));
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const fail = (error: string, description: string): OAuthFailure => ({ ok: false, error, description });

interface CodeRow {
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  user_id: string;
  scopes: string;
  expires_at: number;
  used_at: number | null;
  grant_id: string | null;
}
interface TokenRow {
  id: string;
  kind: 'access' | 'refresh';
  grant_id: string;
  scopes: string;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
  client_id: string;
  user_id: string;
  grant_revoked_at: number | null;
}
interface DeviceRow {
  device_code_hash: Buffer;
  user_code: string;
  client_id: string;
  scopes: string;
  expires_at: number;
  interval_s: number;
  last_poll_at: number | null;
  status: 'pending' | 'approved' | 'denied' | 'redeemed';
  user_id: string | null;
  granted_scopes: string | null;
}

const TOKEN_SELECT = `SELECT t.id, t.kind, t.grant_id, t.scopes, t.expires_at, t.used_at, t.revoked_at,
  g.client_id, g.user_id, g.revoked_at AS grant_revoked_at FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id`;

export class OAuthStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    /** A grant or a single access token was revoked (by id): whatever it holds open (hub sockets) ends now. */
    private readonly onRevoked: (id: string) => void = () => {},
  ) {}

  // ——— authorization code grant ———

  createCode(opts: { redirectUri: string; codeChallenge: string; userId: string; scopes: readonly string[] }): string {
    const code = randomSecret();
    this.db
      .prepare(
        `INSERT INTO oauth_codes (code_hash, client_id, redirect_uri, code_challenge, user_id, scopes, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(hashSecret(code), CLIENT_ID, opts.redirectUri, opts.codeChallenge, opts.userId, JSON.stringify(opts.scopes), this.now(), this.now() + CODE_TTL_MS);
    return code;
  }

  /**
   * RFC 6749 §4.1.3 + RFC 7636 §4.6. Any attempt with a known code uses it up, right or wrong (so a stolen code
   * cannot be tried against many verifiers); a second attempt revokes every token the first one produced.
   */
  redeemCode(opts: { code: string; clientId: string; redirectUri: string; verifier: string }): TokenResult {
    const revoked: string[] = [];
    const result = this.db.transaction((): TokenResult => {
      const hash = hashSecret(opts.code);
      const row = this.db.prepare<[Buffer], CodeRow>('SELECT * FROM oauth_codes WHERE code_hash = ?').get(hash);
      if (!row) return fail('invalid_grant', 'The authorization code is unknown.');
      if (row.used_at !== null) {
        if (row.grant_id !== null && this.revokeGrantRows(row.grant_id)) revoked.push(row.grant_id);
        return fail('invalid_grant', 'The authorization code was already used; every token issued for it is now revoked.');
      }
      this.db.prepare('UPDATE oauth_codes SET used_at = ? WHERE code_hash = ?').run(this.now(), hash);
      if (this.now() >= row.expires_at) return fail('invalid_grant', 'The authorization code has expired (they live 10 minutes).');
      if (row.client_id !== opts.clientId) return fail('invalid_grant', 'The authorization code was issued to another client.');
      if (row.redirect_uri !== opts.redirectUri) return fail('invalid_grant', 'redirect_uri does not match the one of the authorization request.');
      if (!VERIFIER_SHAPE.test(opts.verifier) || !sameText(s256(opts.verifier), row.code_challenge)) {
        return fail('invalid_grant', 'code_verifier does not match the code_challenge (S256).');
      }
      const scopes = JSON.parse(row.scopes) as string[];
      const grantId = this.createGrant(row.user_id, scopes);
      this.db.prepare('UPDATE oauth_codes SET grant_id = ? WHERE code_hash = ?').run(grantId, hash);
      return { ok: true, tokens: this.issue(grantId, scopes, scopes) };
    })();
    revoked.forEach((id) => this.onRevoked(id));
    return result;
  }

  // ——— refresh token grant ———

  /**
   * RFC 6749 §6 with rotation (RFC 9700 §4.14.2): the presented refresh token is used up and a new one issued
   * with the same scope; presenting a used one revokes the whole grant. `scopes` (null = unchanged) may narrow
   * the new access token within what the grant holds, never widen it.
   */
  refresh(opts: { refreshToken: string; clientId: string; scopes: string[] | null }): TokenResult {
    const revoked: string[] = [];
    const result = this.db.transaction((): TokenResult => {
      const row = TOKEN_SHAPE.test(opts.refreshToken) ? this.tokenByHash(hashSecret(opts.refreshToken)) : undefined;
      if (!row || row.kind !== 'refresh') return fail('invalid_grant', 'The refresh token is unknown.');
      if (row.client_id !== opts.clientId) return fail('invalid_grant', 'The refresh token was issued to another client.');
      if (row.revoked_at !== null || row.grant_revoked_at !== null) return fail('invalid_grant', 'The refresh token was revoked.');
      if (row.used_at !== null) {
        if (this.revokeGrantRows(row.grant_id)) revoked.push(row.grant_id);
        return fail('invalid_grant', 'The refresh token was already used; every token of this sign-in is now revoked.');
      }
      if (this.now() >= row.expires_at) return fail('invalid_grant', 'The refresh token has expired.');
      const held = JSON.parse(row.scopes) as string[];
      const wanted = opts.scopes ?? held;
      const extra = wanted.find((s) => !held.includes(s));
      if (extra !== undefined) return fail('invalid_scope', `The scope ${extra} was not granted; a refresh may only narrow the scope.`);
      this.db.prepare('UPDATE oauth_tokens SET used_at = ? WHERE id = ?').run(this.now(), row.id);
      return { ok: true, tokens: this.issue(row.grant_id, wanted, held) };
    })();
    revoked.forEach((id) => this.onRevoked(id));
    return result;
  }

  // ——— revocation (RFC 7009) ———

  /** Revokes a token of ours; unknown tokens are silently ignored (§2.2). A refresh token takes its whole grant along. */
  revoke(token: string): void {
    if (!TOKEN_SHAPE.test(token)) return;
    const row = this.tokenByHash(hashSecret(token));
    if (!row) return;
    if (row.kind === 'refresh') {
      if (this.revokeGrantRows(row.grant_id)) this.onRevoked(row.grant_id);
    } else if (this.db.prepare('UPDATE oauth_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.now(), row.id).changes > 0) {
      this.onRevoked(row.id);
    }
  }

  // ——— resource access ———

  /** True when `presented` is shaped like one of our tokens (so a refusal answers `invalid_token`, not `invalid_api_key`). */
  static looksLikeToken(presented: string): boolean {
    return TOKEN_SHAPE.test(presented);
  }

  /** The grant behind a live access token, or null (unknown, a refresh token, expired, revoked). */
  verifyAccess(presented: string): AccessGrant | null {
    if (!presented.startsWith(ACCESS_PREFIX) || !TOKEN_SHAPE.test(presented)) return null;
    const row = this.tokenByHash(hashSecret(presented));
    return row && this.live(row) ? { tokenId: row.id, grantId: row.grant_id, userId: row.user_id, scopes: JSON.parse(row.scopes) as string[], expiresAt: row.expires_at } : null;
  }

  /** Checked at every hub frame: the access token a socket opened with is still good. */
  isLive(tokenId: string): boolean {
    const row = this.db.prepare<[string], TokenRow>(`${TOKEN_SELECT} WHERE t.id = ?`).get(tokenId);
    return row !== undefined && this.live(row);
  }

  recordUse(grantId: string): void {
    this.db.prepare('UPDATE oauth_grants SET last_used_at = ? WHERE id = ?').run(this.now(), grantId);
  }

  grantInfo(grantId: string): GrantInfo | null {
    const row = this.db
      .prepare<[string], { id: string; user_id: string; scopes: string; created_at: number; last_used_at: number | null }>('SELECT * FROM oauth_grants WHERE id = ?')
      .get(grantId);
    return row ? { id: row.id, userId: row.user_id, scopes: JSON.parse(row.scopes) as string[], createdAt: row.created_at, lastUsedAt: row.last_used_at } : null;
  }

  // ——— device authorization grant (RFC 8628) ———

  startDevice(opts: { scopes: readonly string[]; intervalS: number; ttlMs: number }): { deviceCode: string; userCode: string } {
    const now = this.now();
    // Expired codes are kept a day, so a device still polling hears expired_token rather than invalid_grant.
    this.db.prepare('DELETE FROM oauth_device_codes WHERE expires_at <= ?').run(now - 24 * 60 * 60 * 1000);
    const deviceCode = randomSecret();
    for (let attempt = 0; ; attempt++) {
      const userCode = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
      try {
        this.db
          .prepare(
            `INSERT INTO oauth_device_codes (device_code_hash, user_code, client_id, scopes, created_at, expires_at, interval_s, status)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`,
          )
          .run(hashSecret(deviceCode), userCode, CLIENT_ID, JSON.stringify(opts.scopes), now, now + opts.ttlMs, opts.intervalS);
        return { deviceCode, userCode };
      } catch (err) {
        // 20^8 codes: a clash with a live one is rare, but possible.
        if (attempt >= 5 || (err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      }
    }
  }

  /** A code a person typed, still waiting for a decision and not expired. */
  pendingDevice(userCode: string): PendingDevice | null {
    const row = this.db.prepare<[string], DeviceRow>('SELECT * FROM oauth_device_codes WHERE user_code = ?').get(userCode);
    if (!row || row.status !== 'pending' || this.now() >= row.expires_at) return null;
    return { userCode: row.user_code, scopes: JSON.parse(row.scopes) as string[], expiresAt: row.expires_at };
  }

  /** The user approved (with `scopes`, a subset of those asked) or denied; false when the code is no longer pending. */
  decideDevice(userCode: string, decision: { approve: true; userId: string; scopes: readonly string[] } | { approve: false }): boolean {
    if (!this.pendingDevice(userCode)) return false;
    const update = decision.approve
      ? this.db
          .prepare("UPDATE oauth_device_codes SET status = 'approved', user_id = ?, granted_scopes = ? WHERE user_code = ? AND status = 'pending'")
          .run(decision.userId, JSON.stringify(decision.scopes), userCode)
      : this.db.prepare("UPDATE oauth_device_codes SET status = 'denied' WHERE user_code = ? AND status = 'pending'").run(userCode);
    return update.changes > 0;
  }

  /** One poll of the token endpoint (RFC 8628 §3.4–3.5). Tokens come once; the interval is measured between polls. */
  pollDevice(opts: { deviceCode: string; clientId: string }): DevicePoll {
    return this.db.transaction((): DevicePoll => {
      const hash = hashSecret(opts.deviceCode);
      const row = this.db.prepare<[Buffer], DeviceRow>('SELECT * FROM oauth_device_codes WHERE device_code_hash = ?').get(hash);
      if (!row) return fail('invalid_grant', 'The device code is unknown.');
      if (row.client_id !== opts.clientId) return fail('invalid_grant', 'The device code was issued to another client.');
      if (row.status === 'redeemed') return fail('invalid_grant', 'The device code was already exchanged for tokens.');
      const now = this.now();
      if (now >= row.expires_at) return fail('expired_token', 'The device code has expired; start again.');
      const tooSoon = row.last_poll_at !== null && now - row.last_poll_at < row.interval_s * 1000;
      const interval = tooSoon ? row.interval_s + 5 : row.interval_s;
      this.db.prepare('UPDATE oauth_device_codes SET last_poll_at = ?, interval_s = ? WHERE device_code_hash = ?').run(now, interval, hash);
      if (tooSoon) return fail('slow_down', `Polling too fast; wait at least ${interval} seconds between requests.`);
      if (row.status === 'pending') return fail('authorization_pending', 'The user has not yet approved this device.');
      if (row.status === 'denied') return fail('access_denied', 'The user denied this device.');
      const scopes = JSON.parse(row.granted_scopes!) as string[];
      const grantId = this.createGrant(row.user_id!, scopes);
      this.db.prepare("UPDATE oauth_device_codes SET status = 'redeemed', grant_id = ? WHERE device_code_hash = ?").run(grantId, hash);
      return { ok: true, tokens: this.issue(grantId, scopes, scopes) };
    })();
  }

  // ——— internals ———

  private tokenByHash(hash: Buffer): TokenRow | undefined {
    return this.db.prepare<[Buffer], TokenRow>(`${TOKEN_SELECT} WHERE t.token_hash = ?`).get(hash);
  }

  private live(row: TokenRow): boolean {
    return row.kind === 'access' && row.revoked_at === null && row.grant_revoked_at === null && this.now() < row.expires_at;
  }

  private createGrant(userId: string, scopes: readonly string[]): string {
    const id = 'grt_' + randomBytes(12).toString('hex');
    this.db.prepare('INSERT INTO oauth_grants (id, client_id, user_id, scopes, created_at) VALUES (?, ?, ?, ?, ?)').run(id, CLIENT_ID, userId, JSON.stringify(scopes), this.now());
    return id;
  }

  /** A new access token with `accessScopes` and a new refresh token with `refreshScopes`, in grant `grantId`. */
  private issue(grantId: string, accessScopes: readonly string[], refreshScopes: readonly string[]): TokenSet {
    const access = randomSecret(ACCESS_PREFIX);
    const refresh = randomSecret(REFRESH_PREFIX);
    const now = this.now();
    const insert = this.db.prepare('INSERT INTO oauth_tokens (id, token_hash, kind, grant_id, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run(newId('tok_'), hashSecret(access), 'access', grantId, JSON.stringify(accessScopes), now, now + ACCESS_TOKEN_TTL_S * 1000);
    insert.run(newId('tok_'), hashSecret(refresh), 'refresh', grantId, JSON.stringify(refreshScopes), now, now + REFRESH_TOKEN_TTL_MS);
    return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S, refresh_token: refresh, scope: accessScopes.join(' ') };
  }

  /** Revokes a grant and every token in it; false when it already was. */
  private revokeGrantRows(grantId: string): boolean {
    const now = this.now();
    const changed = this.db.prepare('UPDATE oauth_grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, grantId).changes > 0;
    this.db.prepare('UPDATE oauth_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL').run(now, grantId);
    return changed;
  }
}

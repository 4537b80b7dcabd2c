import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from './store';

export type KeyPrefix = 'apf_live_' | 'apf_test_' | 'apf_dev_';
export const KEY_PREFIXES: readonly KeyPrefix[] = ['apf_live_', 'apf_test_', 'apf_dev_'];

/** The only shape the sandbox mints; anything else is refused before it is hashed, at the same fixed cost. */
const KEY_SHAPE = /^apf_(?:live|test|dev)_[0-9a-f]{64}$/;

/** A rolled key keeps working for this long after the roll, so callers can switch without downtime. */
export const ROLL_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface KeyRecord {
  id: string;
  name: string;
  prefix: KeyPrefix;
  last4: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  requestCount: number;
  /** Set when the key was rolled: the instant it stops working. */
  expiresAt: number | null;
  rolledTo: string | null;
}

/** What the request pipeline learns about a caller whose key checked out. */
export interface VerifiedKey {
  id: string;
  scopes: readonly string[];
  /** The key's organization; null means the sandbox's own (every key made over HTTP inherits its maker's). */
  organization: string | null;
  /**
   * Set when the caller presented an OAuth access token instead of a key: `id` is then the grant's id (the token
   * family, which the rate limiter counts as one caller) and `scopes` the token's.
   */
  oauth?: { tokenId: string; userId: string };
}

export interface MintedKey {
  record: KeyRecord;
  /** The full secret. It exists only in this return value; the database holds its SHA-256. */
  key: string;
}

export type RollResult = { kind: 'rolled'; minted: MintedKey } | { kind: 'not_found' } | { kind: 'already_rolled' };

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  request_count: number;
  expires_at: number | null;
  rolled_to: string | null;
}

interface VerifyRow {
  id: string;
  key_hash: Buffer;
  scopes: string;
  expires_at: number | null;
  organization: string | null;
}

function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function newId(prefix: 'key_' | 'prt_' | 'job_' | 'file_' | 'cmd_' | 'tok_' | 'fil_'): string {
  return prefix + randomBytes(12).toString('hex');
}

function toRecord(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix as KeyPrefix,
    last4: row.last4,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    requestCount: row.request_count,
    expiresAt: row.expires_at,
    rolledTo: row.rolled_to,
  };
}

/** API keys at rest: only hashes, prefixes and last four characters ever reach the database. */
export class KeyStore {
  private readonly byHash;
  private readonly byId;
  private readonly all;
  private readonly insert;
  private readonly touch;
  private readonly remove;
  private readonly markRolled;
  private readonly counter;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.byHash = db.prepare<[Buffer], VerifyRow>('SELECT id, key_hash, scopes, expires_at, organization FROM api_keys WHERE key_hash = ?');
    this.byId = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?');
    this.all = db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY created_at, rowid');
    this.insert = db.prepare(
      `INSERT INTO api_keys (id, name, prefix, last4, key_hash, scopes, created_at, organization)
       VALUES (@id, @name, @prefix, @last4, @hash, @scopes, @createdAt, @organization)`,
    );
    this.touch = db.prepare('UPDATE api_keys SET last_used_at = ?, request_count = request_count + 1 WHERE id = ?');
    this.remove = db.prepare('DELETE FROM api_keys WHERE id = ?');
    this.markRolled = db.prepare('UPDATE api_keys SET expires_at = ?, rolled_to = ? WHERE id = ? AND rolled_to IS NULL');
    this.counter = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM api_keys');
  }

  /**
   * The hot path of every request: shape check, one SHA-256, one indexed lookup. Returns null for a
   * malformed, unknown, deleted or expired key alike, so nothing downstream can tell the caller which.
   */
  verify(presented: string): VerifiedKey | null {
    if (!KEY_SHAPE.test(presented)) return null;
    const hash = hashKey(presented);
    const row = this.byHash.get(hash);
    // The index already matched on equality; the constant-time compare keeps that true even if the lookup
    // is ever swapped for a prefix or cache scan.
    if (!row || row.key_hash.length !== hash.length || !timingSafeEqual(row.key_hash, hash)) return null;
    if (row.expires_at !== null && this.now() >= row.expires_at) return null;
    return { id: row.id, scopes: JSON.parse(row.scopes) as string[], organization: row.organization };
  }

  /** Counts one authenticated request against the key's usage figures. */
  recordUse(id: string): void {
    this.touch.run(this.now(), id);
  }

  mint(opts: { name: string; scopes: readonly string[]; prefix: KeyPrefix; organization?: string | null }): MintedKey {
    const key = opts.prefix + randomBytes(32).toString('hex');
    const id = newId('key_');
    this.insert.run({
      id,
      name: opts.name,
      prefix: opts.prefix,
      last4: key.slice(-4),
      hash: hashKey(key),
      scopes: JSON.stringify(opts.scopes),
      createdAt: this.now(),
      organization: opts.organization ?? null,
    });
    return { record: this.get(id)!, key };
  }

  get(id: string): KeyRecord | null {
    const row = this.byId.get(id);
    return row ? toRecord(row) : null;
  }

  list(): KeyRecord[] {
    return this.all.all().map(toRecord);
  }

  count(): number {
    return this.counter.get()!.n;
  }

  /** Deletes the key; it stops working on the very next request. */
  delete(id: string): boolean {
    return this.remove.run(id).changes > 0;
  }

  /** Mints a successor with the same name, prefix and scopes; the old key expires ROLL_OVERLAP_MS from now. */
  /** The organization a key was minted for (null: the sandbox's own). */
  organizationOf(id: string): string | null {
    return (this.db.prepare('SELECT organization FROM api_keys WHERE id = ?').get(id) as { organization: string | null } | undefined)?.organization ?? null;
  }

  roll(id: string): RollResult {
    return this.db.transaction((): RollResult => {
      const old = this.get(id);
      if (!old) return { kind: 'not_found' };
      if (old.rolledTo !== null) return { kind: 'already_rolled' };
      const minted = this.mint({ name: old.name, scopes: old.scopes, prefix: old.prefix, organization: this.organizationOf(id) });
      this.markRolled.run(this.now() + ROLL_OVERLAP_MS, minted.record.id, id);
      return { kind: 'rolled', minted };
    })();
  }
}

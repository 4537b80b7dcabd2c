import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../contract';
import { AppError } from '../errors';
import type { Db } from '../store/database';

export interface SessionRecord {
  id: string;
  role: Role;
  label: string;
  userAgent: string;
  address: string;
  via: 'start-link' | 'pairing';
  createdAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
}

export type Authentication = { ok: true; session: SessionRecord } | { ok: false; reason: 'unknown' | 'revoked' | 'expired' };

/** A session unused this long is expired: its cookie no longer opens anything. */
export const SESSION_IDLE_MS = 30 * 24 * 3600_000;

type Row = {
  id: string;
  role: Role;
  label: string;
  user_agent: string;
  address: string;
  via: 'start-link' | 'pairing';
  created_at: number;
  last_seen_at: number;
  revoked_at: number | null;
};

const fromRow = (r: Row): SessionRecord => ({
  id: r.id,
  role: r.role,
  label: r.label,
  userAgent: r.user_agent,
  address: r.address,
  via: r.via,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  revokedAt: r.revoked_at,
});

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Browser sessions of `apf serve`, kept in the database so a paired tablet stays paired across restarts. The
 * secret (the cookie's value) is 32 random bytes; only its SHA-256 is stored, so the database alone opens nothing.
 */
export class AccessSessions {
  private readonly revokedListeners = new Set<(id: string) => void>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly idleMs = SESSION_IDLE_MS,
  ) {}

  create(input: { role: Role; label: string; userAgent: string; address: string; via: SessionRecord['via'] }): { session: SessionRecord; secret: string } {
    const secret = randomBytes(32).toString('base64url');
    const at = this.now();
    const session: SessionRecord = {
      id: randomUUID(),
      role: input.role,
      label: input.label.slice(0, 60),
      userAgent: input.userAgent.slice(0, 300),
      address: input.address.slice(0, 64),
      via: input.via,
      createdAt: at,
      lastSeenAt: at,
      revokedAt: null,
    };
    this.db
      .prepare('INSERT INTO access_sessions (id, secret_sha256, role, label, user_agent, address, via, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(session.id, hash(secret), session.role, session.label, session.userAgent, session.address, session.via, at, at);
    return { session, secret };
  }

  /** The session a cookie's secret opens, or why it opens none. Compared by hash, so no timing leaks the secret. */
  authenticate(secret: string): Authentication {
    const row = this.db.prepare('SELECT * FROM access_sessions WHERE secret_sha256 = ?').get(hash(secret)) as Row | undefined;
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
    if (this.now() - row.last_seen_at > this.idleMs) return { ok: false, reason: 'expired' };
    return { ok: true, session: fromRow(row) };
  }

  get(id: string): SessionRecord | null {
    const row = this.db.prepare('SELECT * FROM access_sessions WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  touch(id: string, address?: string): void {
    if (address) this.db.prepare('UPDATE access_sessions SET last_seen_at = ?, address = ? WHERE id = ?').run(this.now(), address.slice(0, 64), id);
    else this.db.prepare('UPDATE access_sessions SET last_seen_at = ? WHERE id = ?').run(this.now(), id);
  }

  /** Sessions that still open something, most recently seen first. */
  list(): SessionRecord[] {
    const rows = this.db.prepare('SELECT * FROM access_sessions WHERE revoked_at IS NULL AND last_seen_at >= ? ORDER BY last_seen_at DESC').all(this.now() - this.idleMs) as Row[];
    return rows.map(fromRow);
  }

  revoke(id: string): SessionRecord {
    const found = this.get(id);
    if (!found || found.revokedAt !== null) throw new AppError('not_found', 'There is no such session (it may have been revoked already).');
    const at = this.now();
    this.db.prepare('UPDATE access_sessions SET revoked_at = ? WHERE id = ?').run(at, id);
    for (const l of this.revokedListeners) l(id);
    return { ...found, revokedAt: at };
  }

  /** The host closes a revoked session's sockets when told. */
  onRevoked(listener: (id: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => void this.revokedListeners.delete(listener);
  }
}

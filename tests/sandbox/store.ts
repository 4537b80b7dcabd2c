import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Schema of the sandbox database, applied in order; `PRAGMA user_version` records how many ran, so a
 * --db file written by an older sandbox is brought up to date on open.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE api_keys (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     prefix TEXT NOT NULL,
     last4 TEXT NOT NULL,
     key_hash BLOB NOT NULL UNIQUE,
     scopes TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER,
     request_count INTEGER NOT NULL DEFAULT 0,
     expires_at INTEGER,
     rolled_to TEXT
   );
   CREATE TABLE printers (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     status TEXT NOT NULL,
     model TEXT NOT NULL,
     firmware TEXT,
     hotend REAL NOT NULL,
     bed REAL NOT NULL,
     current_job TEXT,
     progress REAL NOT NULL DEFAULT 0,
     grp TEXT,
     tags TEXT NOT NULL,
     connection_url TEXT,
     api_key_hash BLOB,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE jobs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     status TEXT NOT NULL,
     priority TEXT NOT NULL,
     printer_id TEXT,
     progress REAL NOT NULL DEFAULT 0,
     file_url TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER,
     failure_reason TEXT
   );
   CREATE INDEX jobs_by_status ON jobs (status);
   CREATE INDEX jobs_by_printer ON jobs (printer_id);`,

  // Hubs (spec/cloud-hub.md). Jobs are rebuilt because priority turns from a name into an integer 0–255 and
  // SQLite cannot change a column's type; old names map to the real product's levels.
  `ALTER TABLE api_keys ADD COLUMN organization TEXT;
   CREATE TABLE hubs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     organization TEXT NOT NULL,
     name TEXT NOT NULL,
     firmware_version TEXT,
     hardware_version TEXT,
     mac_address TEXT,
     is_online INTEGER NOT NULL DEFAULT 0,
     last_seen_at INTEGER,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   ALTER TABLE printers ADD COLUMN hub_id TEXT;
   ALTER TABLE printers ADD COLUMN local_id TEXT;
   ALTER TABLE printers ADD COLUMN connection_type TEXT;
   ALTER TABLE printers ADD COLUMN hub_report TEXT;
   CREATE UNIQUE INDEX printers_by_hub_local ON printers (hub_id, local_id);
   CREATE TABLE files (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     size_bytes INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     content BLOB NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE jobs_v2 (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     status TEXT NOT NULL,
     priority INTEGER NOT NULL,
     printer_id TEXT,
     progress REAL NOT NULL DEFAULT 0,
     file_url TEXT,
     file_id TEXT,
     auto_dispatch INTEGER NOT NULL DEFAULT 0,
     requirements TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER,
     failure_reason TEXT,
     actual_print_time_minutes REAL,
     file_transfer TEXT
   );
   INSERT INTO jobs_v2 (seq, id, name, status, priority, printer_id, progress, file_url, created_at, updated_at,
       started_at, finished_at, failure_reason)
     SELECT seq, id, name, status,
       CASE priority WHEN 'low' THEN 10 WHEN 'high' THEN 100 WHEN 'urgent' THEN 200 ELSE 50 END,
       printer_id, progress, file_url, created_at, updated_at, started_at, finished_at, failure_reason
     FROM jobs;
   DROP TABLE jobs;
   ALTER TABLE jobs_v2 RENAME TO jobs;
   CREATE INDEX jobs_by_status ON jobs (status);
   CREATE INDEX jobs_by_printer ON jobs (printer_id);
   CREATE INDEX jobs_offerable ON jobs (priority DESC, seq) WHERE status = 'queued' AND printer_id IS NULL AND auto_dispatch = 1;
   CREATE TABLE job_events (
     event_id TEXT PRIMARY KEY,
     hub_id TEXT NOT NULL,
     job_id TEXT NOT NULL,
     status TEXT NOT NULL,
     at INTEGER,
     received_at INTEGER NOT NULL,
     applied INTEGER NOT NULL,
     reason TEXT
   );
   CREATE TABLE hub_commands (
     id TEXT PRIMARY KEY,
     hub_id TEXT NOT NULL,
     type TEXT NOT NULL,
     action TEXT NOT NULL,
     job_id TEXT,
     printer_id TEXT,
     payload TEXT NOT NULL,
     revert_to TEXT,
     sent_at INTEGER NOT NULL,
     acked_at INTEGER,
     success INTEGER,
     error TEXT
   );
   CREATE INDEX hub_commands_by_job ON hub_commands (job_id);
   CREATE TABLE discovered_printers (
     hub_id TEXT PRIMARY KEY,
     printers TEXT NOT NULL,
     reported_at INTEGER NOT NULL
   );`,

  // OAuth 2.0 (spec/oauth.md). Codes, tokens and device codes are stored as SHA-256 hashes only. A grant is one
  // family: the tokens one authorization (a code or a device approval) produced, revoked together.
  `CREATE TABLE oauth_grants (
     id TEXT PRIMARY KEY,
     client_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     scopes TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER,
     revoked_at INTEGER
   );
   CREATE TABLE oauth_codes (
     code_hash BLOB PRIMARY KEY,
     client_id TEXT NOT NULL,
     redirect_uri TEXT NOT NULL,
     code_challenge TEXT NOT NULL,
     user_id TEXT NOT NULL,
     scopes TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     used_at INTEGER,
     grant_id TEXT
   );
   CREATE TABLE oauth_tokens (
     id TEXT PRIMARY KEY,
     token_hash BLOB NOT NULL UNIQUE,
     kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
     grant_id TEXT NOT NULL REFERENCES oauth_grants (id),
     scopes TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     used_at INTEGER,
     revoked_at INTEGER
   );
   CREATE INDEX oauth_tokens_by_grant ON oauth_tokens (grant_id);
   CREATE TABLE oauth_device_codes (
     device_code_hash BLOB PRIMARY KEY,
     user_code TEXT NOT NULL UNIQUE,
     client_id TEXT NOT NULL,
     scopes TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     interval_s INTEGER NOT NULL,
     last_poll_at INTEGER,
     status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'redeemed')),
     user_id TEXT,
     granted_scopes TEXT,
     grant_id TEXT
   );`,

  // Materials (research/apf-api.md §5): filament records. No cost or reorder columns: the public API never shows or
  // takes them. A POST's Idempotency-Key (ours) names the record it made, so a client that lost the answer and sends
  // again gets the same record instead of a second one.
  `CREATE TABLE filaments (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     type TEXT NOT NULL,
     color TEXT NOT NULL,
     hex_code TEXT,
     brand TEXT,
     diameter TEXT NOT NULL,
     remaining_grams REAL NOT NULL,
     spool_weight_grams REAL NOT NULL,
     low_threshold REAL NOT NULL,
     location TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE filament_idempotency (
     caller_id TEXT NOT NULL,
     idem_key TEXT NOT NULL,
     filament_id TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (caller_id, idem_key)
   );`,
];

export function openDatabase(file: string): Db {
  const db = new Database(file);
  if (file !== ':memory:') {
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL survives a process crash; only a power cut may lose the last commits.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  if (applied > MIGRATIONS.length) {
    throw new Error(`The sandbox database is from a newer sandbox (schema ${applied}, this one knows ${MIGRATIONS.length}). Use a fresh --db file.`);
  }
  for (let i = applied; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}

export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

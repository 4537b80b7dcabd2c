import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Schema of the sandbox database, applied in order; `PRAGMA user_version` records how many ran, so a
 * --db file written by an older sandbox is brought up to date on open.
 */
const MIGRATIONS: readonly string[] = [
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
    throw new Error(
      `The sandbox database is from a newer sandbox (schema ${applied}, this one knows ${MIGRATIONS.length}). Use a fresh --db file.`,
    );
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
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile } from '../private-files';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DATABASE_FILE = 'autoprintfarm.db';

/**
 * Opens (creating if needed) the app's SQLite database in the data folder and brings its schema up to date.
 * WAL with synchronous=NORMAL: a committed transaction survives the process being killed (kill -9); only a
 * power cut can lose the last few, and never corrupts the file.
 */
export function openDatabase(dataDir: string, opts: { file?: string; nativeBinding?: string | null } = {}): Db {
  // Electron loads its own build of the addon (see desktop/native-binaries.ts); Node uses node_modules'.
  const options: Database.Options = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  let db: Db;
  if (opts.file === ':memory:') db = new Database(':memory:', options);
  else {
    ensurePrivateDir(dataDir);
    const file = join(dataDir, opts.file ?? DATABASE_FILE);
    // Created 0600 before SQLite opens it (SQLite would make it 0644); its -wal and -shm files take its mode.
    ensurePrivateFile(file);
    db = new Database(file, options);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Another process (a second test worker on the same folder) may hold the write lock for a moment.
    db.pragma('busy_timeout = 5000');
    migrate(db, MIGRATIONS);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Runs the migrations this database has not seen, each in its own write transaction with its version bump. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  let applied = 0;
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const run = db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated since we looked.
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current >= m.version) return false;
      if (current !== m.version - 1) throw new Error(`The database is at schema ${current} and cannot take migration ${m.version} (${m.name}).`);
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      return true;
    });
    if (run.immediate()) applied++;
  }
  return applied;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, openDatabase, schemaVersion } from '../../../electron/core/store';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'apf-db-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('database', () => {
  it('creates the schema on first open, in WAL mode, and records its version', () => {
    const db = openDatabase(tempDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['files', 'jobs', 'farm_profiles', 'history', 'farm_settings']));
    db.close();
  });

  it('runs each migration once: reopening keeps the data and applies nothing', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    db.prepare(`INSERT INTO farm_settings (key, value) VALUES ('k', 'v')`).run();
    db.close();
    const again = openDatabase(dir);
    expect(migrate(again, MIGRATIONS)).toBe(0);
    expect(again.prepare(`SELECT value FROM farm_settings WHERE key = 'k'`).get()).toEqual({ value: 'v' });
    again.close();
  });

  it('applies a new migration to an existing database and refuses one that skips a version', () => {
    const db = openDatabase(tempDir());
    const next = MIGRATIONS.at(-1)!.version + 1;
    expect(migrate(db, [...MIGRATIONS, { version: next, name: 'test', sql: 'CREATE TABLE extra (x INTEGER)' }])).toBe(1);
    expect(schemaVersion(db)).toBe(next);
    expect(() => migrate(db, [{ version: next + 2, name: 'gap', sql: 'SELECT 1' }])).toThrow(/cannot take migration/);
    db.close();
  });

  it('rolls a failing migration back whole', () => {
    const db = openDatabase(tempDir());
    const v = schemaVersion(db);
    expect(() => migrate(db, [...MIGRATIONS, { version: v + 1, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); NOT SQL' }])).toThrow();
    expect(schemaVersion(db)).toBe(v);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
    db.close();
  });
});

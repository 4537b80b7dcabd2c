/** A --db file written by the sandbox before hubs (schema 1) opens in this one with nothing lost. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from './server';
import { MIGRATIONS } from './store';
import { call } from './test-support';

describe('schema 1 → 2', () => {
  it('maps string priorities to the real integers, keeps every job field, and keeps job ids growing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apf-sandbox-'));
    try {
      const dbFile = join(dir, 'old.db');
      const old = new Database(dbFile);
      old.exec(MIGRATIONS[0]!);
      old.pragma('user_version = 1');
      const insert = old.prepare(
        `INSERT INTO jobs (id, name, status, priority, printer_id, progress, file_url, created_at, updated_at, failure_reason)
         VALUES (?, ?, ?, ?, NULL, ?, 'https://x.example/a.gcode', 1736937000000, 1736937000000, ?)`,
      );
      const names = ['low', 'normal', 'high', 'urgent'];
      names.forEach((p, i) => insert.run(`job_old${i}`, `Old ${p}`, i === 3 ? 'failed' : 'queued', p, i * 10, i === 3 ? 'Clog' : null));
      old.close();

      const sb = await startSandbox({ dbFile });
      try {
        const admin = sb.createKey({ name: 'a', scopes: ['admin:*'] }).key;
        const jobs = (await call(sb, admin, 'GET', '/jobs?per_page=100')).json.data;
        expect(jobs.map((j: { id: string; priority: number }) => [j.id, j.priority])).toEqual([
          ['job_old3', 200],
          ['job_old2', 100],
          ['job_old1', 50],
          ['job_old0', 10],
        ]);
        expect(jobs[0]).toMatchObject({ name: 'Old urgent', status: 'failed', progress: 30, failure_reason: 'Clog', file_url: 'https://x.example/a.gcode', auto_dispatch: false });
        const fresh = await call(sb, admin, 'POST', '/jobs', { name: 'new', file_url: 'https://x.example/b.gcode' });
        expect((await call(sb, admin, 'GET', '/jobs?per_page=1')).json.data[0].id).toBe(fresh.json.id);
      } finally {
        await sb.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

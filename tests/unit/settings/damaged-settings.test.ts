import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/core';
import { lockDataDir } from '../../../electron/core/data-dir-lock';
import type { EventPayloads } from '../../../electron/core/contract';
import { openConfSettings } from '../../../electron/core/settings/conf-store';
import { setAsideDamagedSettings } from '../../../electron/core/settings/damaged-settings';
import { SettingsService } from '../../../electron/core/settings/settings-service';
import { openDatabase } from '../../../electron/core/store/database';
import { FakeDriver } from '../../support/fake-driver';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apf-damaged-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = JSON.stringify({ ui: { theme: 'dark' }, printers: [{ id: 'p1', kind: 'virtual', name: 'Bench' }] }, null, 2);

/** Everything else a data folder holds, to prove recovery leaves it alone. */
function furnish(): Map<string, string> {
  const others = new Map([
    ['autoprintfarm.db', 'not really a database, but bytes that must stay'],
    ['.env', 'AUTOPRINTFARM_API_URL=http://127.0.0.1:1/v1/\n'],
    ['files/abc.gcode', 'G28\n'],
    ['config.corrupt-earlier.json', '{"from": "an earlier recovery"'],
  ]);
  mkdirSync(join(dir, 'files'));
  for (const [name, text] of others) writeFileSync(join(dir, name), text);
  return others;
}

const cases: [string, string, RegExp][] = [
  ['a truncated file (cut short mid-write)', GOOD.slice(0, GOOD.length / 2), /cut short/],
  ['an empty file (truncated to nothing)', '', /empty/],
  ['a file with invalid JSON (a hand edit gone wrong)', '{"ui": {"theme": "dark",}}', /not valid JSON/],
  ['a file of NUL bytes (a disk that lost the data)', '\0'.repeat(64), /not valid JSON/],
  ['valid JSON of the wrong shape: an array', '[1, 2, 3]', /does not hold a settings object/],
  ['valid JSON of the wrong shape: a string', '"dark"', /does not hold a settings object/],
  ['valid JSON of the wrong shape: null', 'null', /does not hold a settings object/],
];

describe('a damaged settings file', () => {
  it.each(cases)('%s is moved aside as config.corrupt-<time>.json and defaults load', (_what, text, reason) => {
    writeFileSync(join(dir, 'config.json'), text);
    const opened = openConfSettings(dir);

    expect(opened.recovered?.reason).toMatch(reason);
    expect(opened.recovered!.movedTo).toMatch(/[/\\]config\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);
    expect(readFileSync(opened.recovered!.movedTo, 'utf8')).toBe(text);
    expect(new SettingsService(opened.store).get()).toEqual({ theme: 'system' });
    expect(opened.store.get('printers')).toBeUndefined();
    // The store says so itself, so whichever host opened it hands the news to the core.
    expect(opened.store.recovery).toEqual(opened.recovered);
  });

  it('leaves everything else in the data folder exactly as it was', () => {
    const others = furnish();
    writeFileSync(join(dir, 'config.json'), '{"ui": ');
    const before = new Map([...others.keys()].map((name) => [name, statSync(join(dir, name)).mtimeMs]));

    const opened = openConfSettings(dir);
    opened.store.set('ui.theme', 'light');

    for (const [name, text] of others) {
      expect(readFileSync(join(dir, name), 'utf8'), name).toBe(text);
      expect(statSync(join(dir, name)).mtimeMs, name).toBe(before.get(name));
    }
    // The only new names: the damaged file's new name, and the fresh config.json.
    const added = readdirSync(dir)
      .filter((n) => !others.has(n) && n !== 'files')
      .sort();
    expect(added).toEqual([expect.stringMatching(/^config\.corrupt-\d{4}-.*Z\.json$/), 'config.json']);
  });

  it('never overwrites a copy set aside earlier in the same millisecond', () => {
    const at = () => Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    writeFileSync(join(dir, 'config.json'), '[first]');
    const first = setAsideDamagedSettings(dir, 'config', at)!;
    writeFileSync(join(dir, 'config.json'), '[second');
    const second = setAsideDamagedSettings(dir, 'config', at)!;
    expect(first.movedTo).not.toBe(second.movedTo);
    expect(readFileSync(first.movedTo, 'utf8')).toBe('[first]');
    expect(readFileSync(second.movedTo, 'utf8')).toBe('[second');
  });

  it('leaves a good file where it is, values intact', () => {
    writeFileSync(join(dir, 'config.json'), GOOD);
    const opened = openConfSettings(dir);
    expect(opened.recovered).toBeNull();
    expect(new SettingsService(opened.store).get().theme).toBe('dark');
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('is told to the user as an app notice, through the core, until dismissed', async () => {
    writeFileSync(join(dir, 'config.json'), '{"ui": {"theme": "da');
    const opened = openConfSettings(dir);
    const core = createCore({
      host: 'headless',
      version: '0',
      dataDir: dir,
      databaseFile: ':memory:',
      settings: opened.store,
      createDriver: () => new FakeDriver(),
      log: { error: () => undefined },
      seedDefaultPrinter: false,
    });
    const sent: EventPayloads['app.notices'][] = [];
    core.events.subscribe((name, payload) => name === 'app.notices' && void sent.push(payload as EventPayloads['app.notices']));
    try {
      const listed = await core.dispatch('app.notices', undefined, { capabilities: new Set(['app:read']) });
      expect(listed).toMatchObject({ ok: true });
      const notices = (listed as { ok: true; result: { id: string; kind: string; message: string }[] }).result;
      expect(notices).toHaveLength(1);
      expect(notices[0]!.kind).toBe('settings-recovered');
      expect(notices[0]!.message).toContain(opened.recovered!.movedTo);
      expect(notices[0]!.message).toContain('cut short');

      const left = await core.dispatch('app.dismissNotice', { id: notices[0]!.id }, { capabilities: new Set(['settings:write']) });
      expect(left).toEqual({ ok: true, result: [] });
      expect(sent).toEqual([{ notices: [] }]);
    } finally {
      await core.close();
    }
  });
});

describe.skipIf(process.platform === 'win32')('file modes in the data folder', () => {
  const mode = (p: string) => statSync(p).mode & 0o777;

  it('creates the folder 0700 and the settings file 0600', () => {
    const data = join(dir, 'AutoPrintFarm');
    const opened = openConfSettings(data);
    opened.store.set('ui.theme', 'dark');
    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, 'config.json'))).toBe(0o600);
  });

  it('tightens a folder and a settings file an older version left readable by others', () => {
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'config.json'), GOOD, { mode: 0o644 });
    chmodSync(join(dir, 'config.json'), 0o644);
    openConfSettings(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'config.json'))).toBe(0o600);
  });

  it('creates the lock file and the database (with its WAL) 0600, in a folder made private by taking the lock', () => {
    chmodSync(dir, 0o755);
    const lock = lockDataDir(dir, 'headless');
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'apf.lock'))).toBe(0o600);
    const db = openDatabase(dir);
    try {
      db.exec('CREATE TABLE IF NOT EXISTS probe (x)');
      for (const f of readdirSync(dir).filter((n) => n.startsWith('autoprintfarm.db'))) expect(mode(join(dir, f)), f).toBe(0o600);
      expect(readdirSync(dir)).toContain('autoprintfarm.db-wal');
    } finally {
      db.close();
      lock.release();
    }
  });
});

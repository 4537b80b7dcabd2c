import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../../electron/core/data-dir-lock';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the data folder lock', () => {
  it('refuses a second app on the same folder while the first runs, naming it', () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-lock-'));
    writeFileSync(join(dir, 'apf.lock'), JSON.stringify({ pid: 999_999, host: 'desktop', startedAt: '' }));
    expect(() => lockDataDir(dir, 'headless', () => true)).toThrow(/already running on this data folder \(the desktop app, process 999999\)/);
  });

  it('takes over a lock left by a process that died', () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-lock-'));
    writeFileSync(join(dir, 'apf.lock'), JSON.stringify({ pid: 999_999, host: 'headless', startedAt: '' }));
    const lock = lockDataDir(dir, 'headless', () => false);
    lock.release();
    expect(() => lockDataDir(dir, 'headless', () => false).release()).not.toThrow();
  });

  it('releases the folder on close so the next start succeeds', () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-lock-'));
    lockDataDir(dir, 'headless').release();
    lockDataDir(dir, 'headless').release();
  });
});

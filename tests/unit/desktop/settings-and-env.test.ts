import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// electron-store imports 'electron' for app.getPath; under Node it is conf with the same options, which is all
// it is once `cwd` is given (the desktop always gives it).
vi.mock('electron-store', async () => ({ default: (await import('conf')).default }));

const { createElectronSettingsStore } = await import('../../../electron/desktop/settings-store');
const { desktopEnvFiles } = await import('../../../electron/desktop/env-files');
const { readEnvFilesAt } = await import('../../../electron/core/cloud-account/env-file');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apf-desktop-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the desktop settings store', () => {
  it('moves a truncated settings file aside, reports it and starts from defaults', () => {
    writeFileSync(join(dir, 'config.json'), '{"ui": {"theme": "dar');
    const store = createElectronSettingsStore(dir);
    expect(store.recovery?.reason).toMatch(/cut short/);
    expect(readFileSync(store.recovery!.movedTo, 'utf8')).toBe('{"ui": {"theme": "dar');
    expect(store.get('ui.theme')).toBeUndefined();
  });

  it('opens a good file without touching it', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ui: { theme: 'dark' } }));
    const store = createElectronSettingsStore(dir);
    expect(store.recovery).toBeNull();
    expect(store.get('ui.theme')).toBe('dark');
  });

  it.skipIf(process.platform === 'win32')('writes the file 0600 in a 0700 folder', () => {
    const data = join(dir, 'AutoPrintFarm');
    createElectronSettingsStore(data).set('ui.theme', 'light');
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'config.json')).mode & 0o777).toBe(0o600);
  });
});

describe("the desktop's .env files", () => {
  it('never include the working directory, so a .env in a downloads folder cannot redirect the cloud address', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'apf-downloads-'));
    writeFileSync(join(cwd, '.env'), 'AUTOPRINTFARM_API_URL=https://evil.example/v1/\n');
    const previous = process.cwd();
    process.chdir(cwd);
    try {
      const files = desktopEnvFiles({ dataDir: dir, env: {} });
      expect(files).toEqual([join(dir, '.env')]);
      expect(readEnvFilesAt(files)).toBeUndefined();
    } finally {
      process.chdir(previous);
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('reads a development override only when APF_ENV_FILE names it, after the data folder so it wins', () => {
    const override = join(dir, 'sandbox.env');
    writeFileSync(join(dir, '.env'), 'AUTOPRINTFARM_API_URL=https://api.example/v1/\n');
    writeFileSync(override, 'AUTOPRINTFARM_API_URL=http://127.0.0.1:8787/v1/\n');
    const files = desktopEnvFiles({ dataDir: dir, env: { APF_ENV_FILE: override } });
    expect(files).toEqual([join(dir, '.env'), override]);
    expect(readEnvFilesAt(files)!.trim().split('\n').at(-1)).toBe('AUTOPRINTFARM_API_URL=http://127.0.0.1:8787/v1/');
  });

  it('ignores a relative APF_ENV_FILE, which would depend on the working directory again', () => {
    expect(desktopEnvFiles({ dataDir: dir, env: { APF_ENV_FILE: '.env' } })).toEqual([join(dir, '.env')]);
  });
});

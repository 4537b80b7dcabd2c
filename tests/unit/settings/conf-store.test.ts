import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openConfSettings } from '../../../electron/core/settings/conf-store';
import { SettingsService } from '../../../electron/core/settings/settings-service';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings on disk', () => {
  it('persists values between opens', () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-conf-'));
    new SettingsService(openConfSettings(dir).store).update({ theme: 'dark' });
    expect(new SettingsService(openConfSettings(dir).store).get().theme).toBe('dark');
  });

  it('moves a corrupt settings file aside instead of losing it, and starts with defaults', () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-conf-'));
    writeFileSync(join(dir, 'config.json'), '{"ui.theme": "dark", oops');
    const opened = openConfSettings(dir);
    expect(opened.recovered?.reason).toBe('it is cut short (probably while it was being written)');
    expect(readFileSync(opened.recovered!.movedTo, 'utf8')).toBe('{"ui.theme": "dark", oops');
    expect(new SettingsService(opened.store).get().theme).toBe('system');
    expect(readdirSync(dir).some((f) => f.startsWith('config.corrupt-'))).toBe(true);
  });

  it('falls back to the default theme when the file holds a value it does not know', () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-conf-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ui: { theme: 'neon' } }));
    expect(new SettingsService(openConfSettings(dir).store).get().theme).toBe('system');
  });
});

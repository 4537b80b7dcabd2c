import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import type { SettingsStore } from '../ports/settings-store';

export interface OpenedSettings {
  store: SettingsStore;
  /** Set when the file on disk could not be read and was moved aside; the UI shows it once. */
  recovered: { movedTo: string; reason: string } | null;
}

/**
 * Opens the settings file through conf (the library electron-store is built on, same file format).
 * A corrupt file is never silently reset: it is moved aside with a timestamp, so a hand-edit gone wrong
 * or a half-written disk can be repaired, and the app starts with defaults and says so.
 */
export function openConfSettings(dir: string, configName = 'config'): OpenedSettings {
  const file = join(dir, `${configName}.json`);
  let recovered: OpenedSettings['recovered'] = null;
  if (existsSync(file)) {
    const reason = unreadableReason(file);
    if (reason) {
      const movedTo = join(dir, `${configName}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      renameSync(file, movedTo);
      recovered = { movedTo, reason };
    }
  }
  const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName, clearInvalidConfig: false, watch: false });
  return {
    recovered,
    store: {
      get: (key) => conf.get(key),
      set: (key, value) => conf.set(key, value),
      delete: (key) => conf.delete(key),
    },
  };
}

function unreadableReason(file: string): string | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? null : 'it does not hold a settings object';
  } catch (err) {
    return err instanceof SyntaxError ? 'it is not valid JSON' : `it could not be read (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
}

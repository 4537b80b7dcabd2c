import { join } from 'node:path';
import Conf from 'conf';
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenPrivateFile } from '../private-files';
import type { SettingsRecovery, SettingsStore } from '../ports/settings-store';
import { setAsideDamagedSettings } from './damaged-settings';

export interface OpenedSettings {
  store: SettingsStore;
  /** Set when the file on disk could not be read and was moved aside; the UI shows it (see core/notices). */
  recovered: SettingsRecovery | null;
}

/**
 * Opens the settings file through conf (the library electron-store is built on, same file format). A damaged
 * file is moved aside and the app starts with defaults and says so (damaged-settings.ts). The file is written
 * 0600 in a 0700 folder.
 */
export function openConfSettings(dir: string, configName = 'config'): OpenedSettings {
  ensurePrivateDir(dir);
  const recovered = setAsideDamagedSettings(dir, configName);
  // conf applies its mode when it writes; a file an older version wrote 0644 is tightened now.
  tightenPrivateFile(join(dir, `${configName}.json`));
  const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName, clearInvalidConfig: false, watch: false, configFileMode: PRIVATE_FILE_MODE });
  return {
    recovered,
    store: {
      get: (key) => conf.get(key),
      set: (key, value) => conf.set(key, value),
      delete: (key) => conf.delete(key),
      recovery: recovered,
    },
  };
}

import Store from 'electron-store';
import type { SettingsStore } from '../core/ports/settings-store';
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenPrivateFile } from '../core/private-files';
import { setAsideDamagedSettings } from '../core/settings/damaged-settings';

/**
 * electron-store behind the SettingsStore port; it writes userData/config.json like conf does headless, with
 * the same care: a damaged file is moved aside before electron-store reads it (the core then tells the user),
 * and the file is 0600 in a 0700 folder.
 */
export function createElectronSettingsStore(userData: string): SettingsStore {
  ensurePrivateDir(userData);
  const recovery = setAsideDamagedSettings(userData, 'config');
  tightenPrivateFile(`${userData}/config.json`);
  const store = new Store<Record<string, unknown>>({ name: 'config', cwd: userData, clearInvalidConfig: false, configFileMode: PRIVATE_FILE_MODE, watch: false });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    recovery,
  };
}

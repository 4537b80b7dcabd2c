import Store from 'electron-store';
import type { SettingsStore } from '../core/ports/settings-store';

/** electron-store behind the SettingsStore port; it writes userData/config.json like conf does headless. */
export function createElectronSettingsStore(): SettingsStore {
  const store = new Store<Record<string, unknown>>({ name: 'config', clearInvalidConfig: false });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}

/**
 * Key-value settings as a port. Desktop: electron-store; headless and tests: conf (the same file format).
 * Values are JSON. Callers validate what they read: a settings file is user-editable input.
 */
export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** A store that lives in memory only, for tests and for hosts that must not write to disk. */
export function createMemorySettingsStore(initial: Record<string, unknown> = {}): SettingsStore {
  const values = new Map<string, unknown>(Object.entries(structuredClone(initial)));
  return {
    get: (key) => structuredClone(values.get(key)),
    set: (key, value) => void values.set(key, structuredClone(value)),
    delete: (key) => void values.delete(key),
  };
}

/**
 * Key-value settings as a port. Desktop: electron-store; headless and tests: conf (the same file format).
 * Values are JSON. Callers validate what they read: a settings file is user-editable input.
 */
export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /**
   * Set when the file on disk was damaged when the store was opened, and was moved aside so defaults could
   * load. It travels with the store so every host that opens one hands it to the core, which tells the user.
   */
  readonly recovery?: SettingsRecovery | null;
}

/** A settings file that could not be used: where it now is and why, in words for the user. */
export interface SettingsRecovery {
  movedTo: string;
  reason: string;
  at: number;
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

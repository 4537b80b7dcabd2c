/**
 * What the key vault needs from its host. Desktop: Electron safeStorage (async API) and electron-store.
 * Headless: no SecretBox unless an OS keyring is reachable, and conf. Tests: a reversible fake and a memory store.
 */
export type { SettingsStore } from '../ports/settings-store';

/**
 * Names the host may report for `backend()`. Electron's Linux names are kept as they are; 'keychain' and
 * 'dpapi' stand for macOS and Windows, 'none' for a host without any encryption. Any other string is allowed
 * (Electron adds providers over time) and is treated as a real keyring unless the policy says otherwise.
 */
export type KnownSecretBackend = 'keychain' | 'dpapi' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'basic_text' | 'unknown' | 'none';

export interface SecretBox {
  backend(): Promise<string>;
  /** Only meaningful once the host is ready (Electron: after app 'ready'). */
  isEncryptionAvailable(): Promise<boolean>;
  encrypt(plain: string): Promise<Uint8Array>;
  /** Throws when the blob cannot be decrypted. `shouldReEncrypt`: the OS asks for a fresh ciphertext. */
  decrypt(blob: Uint8Array): Promise<{ plain: string; shouldReEncrypt: boolean }>;
}

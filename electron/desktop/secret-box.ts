/**
 * The SecretBox port over Electron's safeStorage, async API only (the sync one is deprecated). It must be
 * created after the app is ready: before that, Linux reports the backend as 'unknown'. Whether a backend
 * counts as real encryption is the vault's decision (basic_text and, on Linux, unknown do not).
 */
import type { SecretBox } from '../core/keys/ports';

/** The part of Electron's safeStorage this adapter uses; a narrow type so tests can fake it. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  getSelectedStorageBackend?(): string;
}

export function createSafeStorageSecretBox(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretBox {
  return {
    async backend() {
      if (platform === 'darwin') return 'keychain';
      if (platform === 'win32') return 'dpapi';
      if (platform === 'linux' && typeof safeStorage.getSelectedStorageBackend === 'function') {
        try {
          return safeStorage.getSelectedStorageBackend();
        } catch {
          return 'unknown';
        }
      }
      return 'unknown';
    },
    isEncryptionAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    async encrypt(plain) {
      const buf = await safeStorage.encryptStringAsync(plain);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    },
    async decrypt(blob) {
      const out = await safeStorage.decryptStringAsync(Buffer.from(blob));
      return { plain: out.result, shouldReEncrypt: out.shouldReEncrypt };
    },
  };
}

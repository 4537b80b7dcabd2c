/**
 * Per-printer secrets (API keys, passwords, Bambu access codes), referenced from saved printers by id.
 * Same policy as the cloud key vault: encrypted with the host's SecretBox when a real keyring exists;
 * otherwise kept in memory for this session unless the user agreed to weak storage. Nothing here is ever
 * returned to the renderer; drivers read secrets through `get`.
 */
import { randomBytes } from 'node:crypto';
import type { SecretBox, SettingsStore } from '../keys/ports';
import { isWeakBackend, storageMessage, type StorageAssessment } from '../keys/vault';

export type CredentialProtection =
  | { state: 'encrypted'; backend: string }
  | { state: 'weak'; backend: string }
  | { state: 'session-only'; reason: 'no_secret_box' | 'encryption_unavailable' | 'weak_backend' | 'encryption_failed'; message: string };

export interface CredentialStore {
  /** Keeps a new secret and says how well it is protected. */
  put(secret: string): Promise<{ ref: string; protection: CredentialProtection }>;
  /** The secret, or null when it is not held (session-only from an earlier run, or unreadable here). */
  get(ref: string): Promise<string | null>;
  remove(ref: string): void;
  /** The user's consent to keep secrets with weak protection on a host without a keyring. */
  allowWeakStorage(allow: boolean): void;
  assessStorage(): Promise<StorageAssessment>;
}

export interface CredentialStoreOptions {
  secretBox: SecretBox | null;
  settings: SettingsStore;
  platform?: NodeJS.Platform;
}

const PREFIX = 'credentials.printers';
const ALLOW_WEAK = 'credentials.allowWeakStorage';
const PLAIN = 'plain';
const BLOB = /^v1:([a-z0-9_]+):([A-Za-z0-9+/]+={0,2})$/;
/** Longest secret accepted; printer keys are 32–64 characters. */
export const MAX_SECRET_LENGTH = 512;

export function createCredentialStore(opts: CredentialStoreOptions): CredentialStore {
  const { secretBox: box, settings } = opts;
  const platform = opts.platform ?? process.platform;
  const held = new Map<string, string>();
  const key = (ref: string) => `${PREFIX}.${ref}`;

  async function assessStorage(): Promise<StorageAssessment> {
    if (box === null) return weak('none', 'no_secret_box');
    let backend = 'unknown';
    try {
      backend = await box.backend();
      if (!(await box.isEncryptionAvailable())) return weak(backend, 'encryption_unavailable');
    } catch {
      return weak(backend, 'encryption_unavailable');
    }
    return isWeakBackend(backend, platform) ? weak(backend, 'weak_backend') : { secure: true, backend };
  }

  function weak(backend: string, reason: 'no_secret_box' | 'encryption_unavailable' | 'weak_backend'): StorageAssessment {
    return { secure: false, backend, reason, message: credentialStorageMessage(reason, backend, platform) };
  }

  return {
    assessStorage,
    allowWeakStorage: (allow) => settings.set(ALLOW_WEAK, allow),

    async put(secret) {
      if (!secret || secret.length > MAX_SECRET_LENGTH) throw new RangeError('secret length');
      const ref = `cred_${randomBytes(9).toString('hex')}`;
      held.set(ref, secret);
      const storage = await assessStorage();
      const weakAllowed = settings.get(ALLOW_WEAK) === true;
      if (!storage.secure && !weakAllowed) {
        return { ref, protection: { state: 'session-only', reason: storage.reason, message: storage.message } };
      }
      const viaBox = box !== null && (storage.secure || storage.reason === 'weak_backend');
      try {
        const backend = viaBox ? storage.backend : PLAIN;
        const bytes = viaBox ? await box.encrypt(secret) : new TextEncoder().encode(secret);
        settings.set(key(ref), `v1:${backend}:${Buffer.from(bytes).toString('base64')}`);
        const isWeak = !storage.secure || isWeakBackend(backend, platform);
        return { ref, protection: isWeak ? { state: 'weak', backend } : { state: 'encrypted', backend } };
      } catch {
        return {
          ref,
          protection: {
            state: 'session-only',
            reason: 'encryption_failed',
            message: 'The key could not be encrypted, so it is kept in memory until you quit. Try adding the printer again after restarting the app.',
          },
        };
      }
    },

    async get(ref) {
      const cached = held.get(ref);
      if (cached !== undefined) return cached;
      const blob = settings.get(key(ref));
      const m = typeof blob === 'string' ? BLOB.exec(blob) : null;
      if (!m) return null;
      const bytes = Buffer.from(m[2]!, 'base64');
      let plain: string;
      if (m[1] === PLAIN) plain = bytes.toString('utf8');
      else if (!box) return null;
      else {
        try {
          plain = (await box.decrypt(new Uint8Array(bytes))).plain;
        } catch {
          return null;
        }
      }
      held.set(ref, plain);
      return plain;
    },

    remove(ref) {
      held.delete(ref);
      settings.delete(key(ref));
    },
  };
}

/** The vault's storage messages, worded for a printer's key instead of the cloud key. */
export function credentialStorageMessage(reason: 'no_secret_box' | 'encryption_unavailable' | 'weak_backend', backend: string, platform: NodeJS.Platform): string {
  if (reason === 'no_secret_box') {
    return (
      "This host has no secure key storage, so the printer's key is kept in memory until you quit and must be entered again after a restart. " +
      'You can also choose to store printer keys with weak protection (apf printer add --store-weakly).'
    );
  }
  return storageMessage(reason, backend, platform);
}

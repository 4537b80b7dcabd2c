/**
 * Per-printer secrets (API keys, passwords, Bambu access codes), referenced from saved printers by id.
 * Same policy as the cloud key vault: encrypted with the host's SecretBox when a real keyring exists;
 * otherwise kept in memory for this session unless the user agreed to weak storage. Nothing here is ever
 * returned to the renderer; drivers read secrets through `get`.
 */
import { randomBytes } from 'node:crypto';
import type { SecretBox, SettingsStore } from '../keys/ports';
import { assessSecretStorage, isWeakBackend, openSecret, sealSecret, type StorageAssessment, type WeakStorageReason } from '../keys/secret-storage';
import { storageMessage } from '../keys/vault';

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
/** Longest secret accepted; printer keys are 32–64 characters. */
export const MAX_SECRET_LENGTH = 512;

export function createCredentialStore(opts: CredentialStoreOptions): CredentialStore {
  const { secretBox: box, settings } = opts;
  const platform = opts.platform ?? process.platform;
  const held = new Map<string, string>();
  const key = (ref: string) => `${PREFIX}.${ref}`;

  const assessStorage = () => assessSecretStorage(box, platform, (reason, backend) => credentialStorageMessage(reason, backend, platform));

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
      try {
        const { blob, backend } = await sealSecret(box, storage, secret);
        settings.set(key(ref), blob);
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
      const opened = await openSecret(box, settings.get(key(ref)));
      if (opened.kind !== 'opened') return null;
      const plain = opened.plain;
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
export function credentialStorageMessage(reason: WeakStorageReason, backend: string, platform: NodeJS.Platform): string {
  if (reason === 'no_secret_box') {
    return (
      "This host has no secure key storage, so the printer's key is kept in memory until you quit and must be entered again after a restart. " +
      'You can also choose to store printer keys with weak protection (apf printer add --store-weakly).'
    );
  }
  return storageMessage(reason, backend, platform);
}

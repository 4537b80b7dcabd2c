/**
 * Per-printer secrets (API keys, passwords, Bambu access codes), referenced from saved printers by id.
 * Same policy as the cloud key vault: encrypted with the host's SecretBox when a real keyring exists;
 * otherwise kept in memory for this session, unless the user chose plaintext storage for that one secret
 * (`put(secret, { plaintext: true })`), which is then written and labelled as plaintext. Nothing here is ever
 * returned to the renderer; drivers read secrets through `get`, the UI sees only `protectionOf`.
 */
import { randomBytes } from 'node:crypto';
import type { SecretBox, SettingsStore } from '../keys/ports';
import { assessSecretStorage, blobProtection, openSecret, plaintextBlob, sealSecret, type StorageAssessment, type WeakStorageReason } from '../keys/secret-storage';
import { storageMessage } from '../keys/vault';

export type CredentialProtection =
  | { state: 'encrypted'; backend: string }
  /** Stored unencrypted in the settings file, because the user chose so for this secret. */
  | { state: 'plaintext' }
  | { state: 'session-only'; reason: 'no_secret_box' | 'encryption_unavailable' | 'weak_backend' | 'encryption_failed'; message: string };

/** How a saved printer's secret is kept now, for the UI: `session-only` is in memory only, `missing` not held at all. */
export type CredentialStorageState = 'encrypted' | 'plaintext' | 'session-only' | 'missing';

export interface CredentialStore {
  /**
   * Keeps a new secret and says how well it is protected. `plaintext`: the user's choice to store this secret
   * unencrypted when there is no keyring (ignored when there is one: it is encrypted then).
   */
  put(secret: string, opts?: { plaintext?: boolean }): Promise<{ ref: string; protection: CredentialProtection }>;
  /** The secret, or null when it is not held (session-only from an earlier run, or unreadable here). */
  get(ref: string): Promise<string | null>;
  /** How the secret is kept, without reading it. */
  protectionOf(ref: string): CredentialStorageState;
  remove(ref: string): void;
  assessStorage(): Promise<StorageAssessment>;
}

export interface CredentialStoreOptions {
  secretBox: SecretBox | null;
  settings: SettingsStore;
  platform?: NodeJS.Platform;
}

const PREFIX = 'credentials.printers';
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

    async put(secret, putOpts = {}) {
      if (!secret || secret.length > MAX_SECRET_LENGTH) throw new RangeError('secret length');
      const ref = `cred_${randomBytes(9).toString('hex')}`;
      held.set(ref, secret);
      const storage = await assessStorage();
      if (!storage.secure) {
        if (putOpts.plaintext !== true) return { ref, protection: { state: 'session-only', reason: storage.reason, message: storage.message } };
        settings.set(key(ref), plaintextBlob(secret));
        return { ref, protection: { state: 'plaintext' } };
      }
      try {
        const { blob, backend } = await sealSecret(box, storage, secret);
        settings.set(key(ref), blob);
        return { ref, protection: { state: 'encrypted', backend } };
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
      const opened = await openSecret(box, settings.get(key(ref)), platform);
      if (opened.kind !== 'opened') return null;
      const plain = opened.plain;
      held.set(ref, plain);
      if (opened.relabel) {
        // An older version's "weak" blob (base64, or the basic_text key): plaintext in fact, kept as the user chose it
        // then, and now written and labelled as such. Encrypted instead when a keyring is here now.
        const storage = await assessStorage();
        try {
          settings.set(key(ref), storage.secure ? (await sealSecret(box, storage, plain)).blob : plaintextBlob(plain));
        } catch {
          settings.set(key(ref), plaintextBlob(plain));
        }
      }
      return plain;
    },

    protectionOf(ref) {
      const stored = blobProtection(settings.get(key(ref)), platform);
      if (stored !== null) return stored;
      return held.has(ref) ? 'session-only' : 'missing';
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
      "You can also choose to store this printer's key in plaintext (unencrypted, readable by anyone who can read the app's settings file) " +
      "when you enter it again on the printer's page."
    );
  }
  return storageMessage(reason, backend, platform);
}

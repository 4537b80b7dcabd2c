/**
 * How a secret (the cloud key, a printer's key or access code) is kept in the settings file: the one policy
 * both the key vault and the printer credential store follow.
 *  - Encrypted through the host's SecretBox when a real keyring stands behind it: `v1:<backend>:<base64 ciphertext>`.
 *    A keyring-less Linux box (`basic_text`, Chromium's hard-coded key, or `unknown`) does not count as one.
 *  - Otherwise kept in memory for the session only, unless the user chose, for that one secret, to store it in
 *    plaintext: `v1:plaintext:<the secret as it is>`. It is written as readable text on purpose, so nobody who opens
 *    the file mistakes it for protected, and the UI labels it "stored in plaintext" with a warning.
 * Older versions wrote consented secrets as `v1:plain:<base64>` or encrypted them with the `basic_text` key; both
 * were plaintext in all but appearance. They are still read, and rewritten as `v1:plaintext:` (`relabel`).
 */
import type { SecretBox } from './ports';

export type WeakStorageReason = 'no_secret_box' | 'encryption_unavailable' | 'weak_backend';

export type StorageAssessment = { secure: true; backend: string } | { secure: false; backend: string; reason: WeakStorageReason; message: string };

const BLOB_VERSION = 'v1';
/** The label of a secret the user chose to store unencrypted. */
export const PLAINTEXT_LABEL = 'plaintext';
/** What versions before the plaintext label wrote for the same choice (base64, which protects nothing). */
const LEGACY_PLAIN = 'plain';
const PLAINTEXT_PATTERN = /^v1:plaintext:([\s\S]+)$/;
const BLOB_PATTERN = /^v1:([a-z0-9_]+):([A-Za-z0-9+/]+={0,2})$/;

/** How a stored secret is kept, as the UI may say it: never "weak protection" for plaintext. */
export type StoredProtection = 'encrypted' | 'plaintext';

export function isWeakBackend(backend: string, platform: NodeJS.Platform): boolean {
  // basic_text is Chromium's hard-coded password; 'unknown' on Linux means no keyring was found.
  if (backend === 'basic_text' || backend === 'none' || backend === LEGACY_PLAIN || backend === PLAINTEXT_LABEL) return true;
  return platform === 'linux' && backend === 'unknown';
}

/** How well this host can keep a secret; `explain` words the reason for whoever holds the secret. */
export async function assessSecretStorage(
  box: SecretBox | null,
  platform: NodeJS.Platform,
  explain: (reason: WeakStorageReason, backend: string) => string,
): Promise<StorageAssessment> {
  const weak = (backend: string, reason: WeakStorageReason): StorageAssessment => ({ secure: false, backend, reason, message: explain(reason, backend) });
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

/**
 * Encrypts a secret into a settings blob through the SecretBox. Only for a host whose storage is secure: the caller
 * keeps the secret for the session otherwise, or writes `plaintextBlob` when the user chose that. Throws when
 * encryption fails; the caller then keeps the secret for the session.
 */
export async function sealSecret(box: SecretBox | null, storage: StorageAssessment, secret: string): Promise<{ blob: string; backend: string }> {
  if (box === null || !storage.secure) throw new Error('no secure storage to encrypt with');
  const bytes = await box.encrypt(secret);
  return { blob: `${BLOB_VERSION}:${storage.backend}:${Buffer.from(bytes).toString('base64')}`, backend: storage.backend };
}

/** A secret the user chose to keep unencrypted, written as what it is. */
export function plaintextBlob(secret: string): string {
  return `${BLOB_VERSION}:${PLAINTEXT_LABEL}:${secret}`;
}

export type OpenedSecret =
  /**
   * `protection`: how it is kept in fact (a legacy `plain` or `basic_text` blob is plaintext). `relabel`: an older
   * blob that should be rewritten, as `v1:plaintext:` or encrypted when a keyring is there now.
   */
  | { kind: 'opened'; plain: string; backend: string; protection: StoredProtection; shouldReEncrypt: boolean; relabel: boolean }
  /** Not a blob this app writes. */
  | { kind: 'corrupt' }
  /** Encrypted by a host with a keyring (the desktop app); this one has none. */
  | { kind: 'unreadable_here' }
  /** The keyring refused it: another user, a reset keyring, a copied settings file. */
  | { kind: 'undecryptable' };

/** How a blob says it is kept, without opening it (for the UI): null when it is not a blob this app writes. */
export function blobProtection(blob: unknown, platform: NodeJS.Platform): StoredProtection | null {
  if (typeof blob !== 'string') return null;
  if (PLAINTEXT_PATTERN.test(blob)) return 'plaintext';
  const match = BLOB_PATTERN.exec(blob);
  if (match === null) return null;
  return isWeakBackend(match[1]!, platform) ? 'plaintext' : 'encrypted';
}

/** Reads a blob written by `sealSecret` or `plaintextBlob`, or by an older version. Never throws. */
export async function openSecret(box: SecretBox | null, blob: unknown, platform: NodeJS.Platform = process.platform): Promise<OpenedSecret> {
  const text = typeof blob === 'string' ? PLAINTEXT_PATTERN.exec(blob) : null;
  if (text !== null) return { kind: 'opened', plain: text[1]!, backend: PLAINTEXT_LABEL, protection: 'plaintext', shouldReEncrypt: false, relabel: false };
  const match = typeof blob === 'string' ? BLOB_PATTERN.exec(blob) : null;
  if (match === null) return { kind: 'corrupt' };
  const backend = match[1]!;
  const bytes = Buffer.from(match[2]!, 'base64');
  if (backend === LEGACY_PLAIN) return { kind: 'opened', plain: bytes.toString('utf8'), backend, protection: 'plaintext', shouldReEncrypt: false, relabel: true };
  if (box === null) return { kind: 'unreadable_here' };
  try {
    const { plain, shouldReEncrypt } = await box.decrypt(new Uint8Array(bytes));
    const weak = isWeakBackend(backend, platform);
    return { kind: 'opened', plain, backend, protection: weak ? 'plaintext' : 'encrypted', shouldReEncrypt, relabel: weak };
  } catch {
    return { kind: 'undecryptable' };
  }
}

/**
 * How a secret (the cloud key, a printer's key or access code) is kept in the settings file: the one policy
 * both the key vault and the printer credential store follow. Encrypted through the host's SecretBox when a
 * real keyring stands behind it; a keyring-less Linux box (`basic_text`, `unknown`) does not count as secure.
 * A blob reads `v1:<backend>:<base64>`, where `plain` marks a secret the user agreed to keep unencrypted.
 */
import type { SecretBox } from './ports';

export type WeakStorageReason = 'no_secret_box' | 'encryption_unavailable' | 'weak_backend';

export type StorageAssessment = { secure: true; backend: string } | { secure: false; backend: string; reason: WeakStorageReason; message: string };

const BLOB_VERSION = 'v1';
const PLAIN_BACKEND = 'plain';
const BLOB_PATTERN = /^v1:([a-z0-9_]+):([A-Za-z0-9+/]+={0,2})$/;

export function isWeakBackend(backend: string, platform: NodeJS.Platform): boolean {
  // basic_text is Chromium's hard-coded password; 'unknown' on Linux means no keyring was found.
  if (backend === 'basic_text' || backend === 'none' || backend === PLAIN_BACKEND) return true;
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
 * Turns a secret into a settings blob as well as `storage` allows: through the SecretBox when it is secure or
 * merely weak, as plain bytes only when there is no box at all. The caller has checked the user's consent to
 * weak storage. Throws when encryption fails; the caller then keeps the secret for the session.
 */
export async function sealSecret(box: SecretBox | null, storage: StorageAssessment, secret: string): Promise<{ blob: string; backend: string }> {
  const viaBox = box !== null && (storage.secure || storage.reason === 'weak_backend');
  const backend = viaBox ? storage.backend : PLAIN_BACKEND;
  const bytes = viaBox ? await box.encrypt(secret) : new TextEncoder().encode(secret);
  return { blob: `${BLOB_VERSION}:${backend}:${Buffer.from(bytes).toString('base64')}`, backend };
}

export type OpenedSecret =
  | { kind: 'opened'; plain: string; backend: string; shouldReEncrypt: boolean }
  /** Not a blob this app writes. */
  | { kind: 'corrupt' }
  /** Encrypted by a host with a keyring (the desktop app); this one has none. */
  | { kind: 'unreadable_here' }
  /** The keyring refused it: another user, a reset keyring, a copied settings file. */
  | { kind: 'undecryptable' };

/** Reads a blob written by `sealSecret`. Never throws. */
export async function openSecret(box: SecretBox | null, blob: unknown): Promise<OpenedSecret> {
  const match = typeof blob === 'string' ? BLOB_PATTERN.exec(blob) : null;
  if (match === null) return { kind: 'corrupt' };
  const backend = match[1]!;
  const bytes = Buffer.from(match[2]!, 'base64');
  if (backend === PLAIN_BACKEND) return { kind: 'opened', plain: bytes.toString('utf8'), backend, shouldReEncrypt: false };
  if (box === null) return { kind: 'unreadable_here' };
  try {
    const { plain, shouldReEncrypt } = await box.decrypt(new Uint8Array(bytes));
    return { kind: 'opened', plain, backend, shouldReEncrypt };
  } catch {
    return { kind: 'undecryptable' };
  }
}

/**
 * Holds the one cloud API key of this installation. It encrypts with the host's SecretBox, refuses to
 * pretend that a keyring-less Linux box is secure, and never throws: every failure becomes a status the
 * UI can explain. Nothing it returns carries the key except `getKey()`, which the core's cloud client uses.
 */
import type { AppKeyState } from '../contract/keys-types';
import { parseApiKey, type KeyParseFailure, type ParsedKey } from './key-format';
import type { SecretBox, SettingsStore } from './ports';
import { assessSecretStorage, isWeakBackend, openSecret, plaintextBlob, sealSecret, type StorageAssessment, type StoredProtection, type WeakStorageReason } from './secret-storage';

export { isWeakBackend, type StorageAssessment };

/** The vault's status is exactly what the renderer is shown of the key: masks and reasons, never the key. */
export type VaultStatus = AppKeyState;
/** Why a key is held in memory only. The first four are about storage; the last two are the caller's wish. */
export type SessionReason = Extract<VaultStatus, { state: 'session-only' }>['reason'];
export type ReentryReason = Extract<VaultStatus, { state: 'needs-reentry' }>['reason'];

export type SetKeyResult = { ok: true; status: VaultStatus; trimmed: boolean } | { ok: false; error: KeyParseFailure };

export interface KeyVault {
  /** Reads the saved key. Call once at start; a session key set before keeps precedence. */
  load(): Promise<VaultStatus>;
  status(): VaultStatus;
  /** The key itself, for the cloud client inside the core. Never send it to the UI. */
  getKey(): string | null;
  /** `sessionOnly`: keep in memory and never persist (an admin key for this session, or one from the environment). */
  setKey(raw: string, opts?: { sessionOnly?: boolean; source?: 'user' | 'environment' }): Promise<SetKeyResult>;
  /**
   * The user's explicit choice to store this key in plaintext on a host without a keyring (the method keeps its
   * older name: "weak" storage is plaintext). Withdrawn, the plaintext copy is removed and the key kept for the session.
   */
  allowWeakStorage(allow: boolean): Promise<VaultStatus>;
  weakStorageAllowed(): boolean;
  assessStorage(): Promise<StorageAssessment>;
  /** Forgets the key everywhere: memory, settings and any blob kept aside. */
  clear(): Promise<VaultStatus>;
  onChange(listener: (status: VaultStatus) => void): () => void;
}

export interface KeyVaultOptions {
  secretBox: SecretBox | null;
  settings: SettingsStore;
  platform?: NodeJS.Platform;
  /** Settings namespace; the vault uses `<ns>.blob`, `<ns>.unreadable` and `<ns>.allowWeakStorage`. */
  namespace?: string;
  now?: () => number;
}

/** What was kept aside when a saved key could not be read, so a returning keyring can still recover it. */
export interface UnreadableBlobRecord {
  blob: string;
  reason: ReentryReason;
  at: string;
}

export function createKeyVault(opts: KeyVaultOptions): KeyVault {
  const { secretBox: box, settings } = opts;
  const platform = opts.platform ?? process.platform;
  const now = opts.now ?? Date.now;
  const ns = opts.namespace ?? 'cloud.apiKey';
  const blobKey = `${ns}.blob`;
  const unreadableKey = `${ns}.unreadable`;
  const allowWeakKey = `${ns}.allowWeakStorage`;

  let held: ParsedKey | null = null;
  let current: VaultStatus = { state: 'none' };
  const listeners = new Set<(s: VaultStatus) => void>();

  // Operations run one at a time, so a load racing a setKey cannot write a stale blob.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const run = queue.then(op, op);
    queue = run.catch(() => undefined);
    return run;
  };

  const publish = (status: VaultStatus): VaultStatus => {
    current = status;
    for (const l of listeners) {
      try {
        l(status);
      } catch {
        // A listener's failure is its own; the vault's state is already settled.
      }
    }
    return status;
  };

  const weakAllowed = () => settings.get(allowWeakKey) === true;

  const assessStorage = () => assessSecretStorage(box, platform, (reason, backend) => storageMessage(reason, backend, platform));

  function sessionStatus(key: ParsedKey, reason: SessionReason, backend: string): VaultStatus {
    const storageReason = reason === 'no_secret_box' || reason === 'encryption_unavailable' || reason === 'weak_backend';
    return {
      state: 'session-only',
      mask: key.mask,
      environment: key.environment,
      reason,
      backend,
      message: storageReason ? storageMessage(reason, backend, platform) : sessionMessage(reason),
      canStoreWeakly: storageReason,
    };
  }

  const storedStatus = (key: ParsedKey, protection: StoredProtection, backend: string): VaultStatus => ({
    state: 'stored',
    mask: key.mask,
    environment: key.environment,
    protection,
    backend,
  });

  /**
   * Writes the key as well as the host allows: encrypted with a real keyring; in plaintext, labelled so, only when
   * the user chose that for it; else nowhere (session only). Returns the resulting status. Never throws.
   */
  async function persist(key: ParsedKey, storage: StorageAssessment): Promise<VaultStatus> {
    if (!storage.secure) {
      if (!weakAllowed()) {
        // A key the user replaced, or chose to stop storing in plaintext, must not come back on the next start.
        settings.delete(blobKey);
        return sessionStatus(key, storage.reason, storage.backend);
      }
      settings.set(blobKey, plaintextBlob(key.key));
      return storedStatus(key, 'plaintext', storage.backend);
    }
    try {
      const { blob, backend } = await sealSecret(box, storage, key.key);
      settings.set(blobKey, blob);
      return storedStatus(key, 'encrypted', backend);
    } catch {
      return sessionStatus(key, 'encryption_failed', storage.backend);
    }
  }

  function keepAside(blob: unknown, reason: ReentryReason): VaultStatus {
    const record: UnreadableBlobRecord = {
      blob: typeof blob === 'string' ? blob : safeJson(blob),
      reason,
      at: new Date(now()).toISOString(),
    };
    try {
      settings.set(unreadableKey, record);
      settings.delete(blobKey);
    } catch {
      // The settings file itself is failing; the status below still tells the user what to do.
    }
    return { state: 'needs-reentry', reason, message: reentryMessage(reason) };
  }

  async function readStored(): Promise<VaultStatus> {
    const blob = settings.get(blobKey);
    if (blob === undefined || blob === null) return { state: 'none' };
    const opened = await openSecret(box, blob, platform);
    // Written by a host that had a keyring (the desktop app): leave it for that host.
    if (opened.kind === 'unreadable_here') return { state: 'needs-reentry', reason: 'unreadable_here', message: reentryMessage('unreadable_here') };
    if (opened.kind !== 'opened') return keepAside(blob, opened.kind);
    const { plain, shouldReEncrypt, backend: blobBackend, protection, relabel } = opened;
    const parsed = parseApiKey(plain);
    if (!parsed.ok || parsed.trimmed) return keepAside(blob, 'corrupt');
    held = parsed;

    const storage = await assessStorage();
    if (protection === 'plaintext') {
      // Saved in plaintext by the user's choice (an older version's `plain`/basic_text blob counts: it was consented
      // to as "weak"). The choice stands; a keyring that is here now encrypts it, and an old blob is relabelled.
      if (!weakAllowed()) settings.set(allowWeakKey, true);
      if (storage.secure || relabel) {
        const rewritten = await persist(parsed, storage);
        // Encrypted now: the plaintext choice is spent, so a lost keyring later never writes plaintext unasked.
        if (rewritten.state === 'stored' && rewritten.protection === 'encrypted') settings.set(allowWeakKey, false);
        if (rewritten.state === 'stored') return rewritten;
      }
      return storedStatus(parsed, 'plaintext', storage.backend);
    }
    // Rewrite only where persist() would write, so a failed or refused rewrite keeps the readable old blob.
    if (shouldReEncrypt && storage.secure) {
      const rewritten = await persist(parsed, storage);
      if (rewritten.state === 'stored') return rewritten;
    }
    return storedStatus(parsed, 'encrypted', blobBackend);
  }

  return {
    load: () =>
      serial(async () => {
        const sessionHeld = current.state === 'session-only' && !current.canStoreWeakly;
        if (sessionHeld) return current;
        try {
          return publish(await readStored());
        } catch {
          held = null;
          return publish({ state: 'needs-reentry', reason: 'corrupt', message: reentryMessage('corrupt') });
        }
      }),

    status: () => current,
    getKey: () => held?.key ?? null,
    weakStorageAllowed: weakAllowed,
    assessStorage,

    setKey: (raw, setOpts = {}) =>
      serial(async (): Promise<SetKeyResult> => {
        const parsed = parseApiKey(raw);
        if (!parsed.ok) return { ok: false, error: parsed };
        if (setOpts.sessionOnly === true || setOpts.source === 'environment') {
          held = parsed;
          const reason = setOpts.source === 'environment' ? 'from_environment' : 'session_requested';
          const backend = box === null ? 'none' : await box.backend().catch(() => 'unknown');
          return { ok: true, trimmed: parsed.trimmed, status: publish(sessionStatus(parsed, reason, backend)) };
        }
        const status = await persist(parsed, await assessStorage());
        held = parsed;
        return { ok: true, trimmed: parsed.trimmed, status: publish(status) };
      }),

    allowWeakStorage: (allow) =>
      serial(async () => {
        settings.set(allowWeakKey, allow);
        if (held === null) return current;
        if (allow && current.state === 'session-only' && current.canStoreWeakly) {
          return publish(await persist(held, await assessStorage()));
        }
        if (!allow && current.state === 'stored' && current.protection === 'plaintext') {
          return publish(await persist(held, await assessStorage()));
        }
        return current;
      }),

    clear: () =>
      serial(async () => {
        held = null;
        settings.delete(blobKey);
        settings.delete(unreadableKey);
        return publish({ state: 'none' });
      }),

    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function storageMessage(reason: WeakStorageReason, backend: string, platform: NodeJS.Platform): string {
  const fix =
    platform === 'linux'
      ? 'To store it safely, install and unlock a keyring (GNOME Keyring: the gnome-keyring package; or KWallet) ' +
        'and restart the app, or start it with --password-store=gnome-libsecret.'
      : 'To store it safely, make sure the system keychain is unlocked and restart the app.';
  const keep =
    'The key is kept in memory until you quit. You can also choose to store it in plaintext: unencrypted, so anyone who can read ' + "this app's settings file could use it.";
  switch (reason) {
    case 'no_secret_box':
      return 'This host has no secure key storage. ' + 'Set AUTOPRINTFARM_API_KEY in the environment to provide the key at start. ' + keep;
    case 'encryption_unavailable':
      return `The system's secure storage is not available (backend: ${backend}). ${keep} ${fix}`;
    case 'weak_backend':
      return `No keyring was found (backend: ${backend}), so the key could only be stored in plaintext. ` + `${keep} ${fix}`;
  }
}

function sessionMessage(reason: 'encryption_failed' | 'session_requested' | 'from_environment'): string {
  switch (reason) {
    case 'encryption_failed':
      return 'The key could not be encrypted, so it is kept in memory until you quit. Try saving it again after restarting the app.';
    case 'session_requested':
      return 'This key is used for this session only and will not be saved.';
    case 'from_environment':
      return 'This key comes from AUTOPRINTFARM_API_KEY and is used for this session only; it is not saved.';
  }
}

function reentryMessage(reason: ReentryReason): string {
  switch (reason) {
    case 'undecryptable':
      return (
        'The saved API key could not be decrypted (the keychain entry may have changed, for example after a ' +
        'reinstall or a move to another computer). Enter your key again; the unreadable copy was kept aside.'
      );
    case 'corrupt':
      return 'The saved API key is damaged. Enter your key again; the damaged copy was kept aside.';
    case 'unreadable_here':
      return 'A key was saved by the desktop app with the system keychain, which this host cannot use. ' + 'Enter the key here for this session, or set AUTOPRINTFARM_API_KEY.';
  }
}

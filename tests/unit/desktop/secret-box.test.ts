import { describe, expect, it, vi } from 'vitest';

// The real 'electron' package only exports a binary path under Node; safeStorage is faked with its async API.
const fake = vi.hoisted(() => ({
  backend: 'gnome_libsecret',
  available: true,
  failDecrypt: false,
  reEncrypt: false,
  syncCalls: 0,
}));
vi.mock('electron', () => ({
  safeStorage: {
    isAsyncEncryptionAvailable: async () => fake.available,
    encryptStringAsync: async (plain: string) => Buffer.from(Buffer.from(`ENC:${plain}`).map((b) => b ^ 0x33)),
    decryptStringAsync: async (buf: Buffer) => {
      if (fake.failDecrypt) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const text = Buffer.from(buf.map((b) => b ^ 0x33)).toString('utf8');
      return { shouldReEncrypt: fake.reEncrypt, result: text.slice(4) };
    },
    getSelectedStorageBackend: () => fake.backend,
    // The deprecated sync API must not be used.
    encryptString: () => void fake.syncCalls++,
    decryptString: () => void fake.syncCalls++,
    isEncryptionAvailable: () => void fake.syncCalls++,
  },
}));

const { safeStorage } = await import('electron');
const { createSafeStorageSecretBox } = await import('../../../electron/desktop/secret-box');
const { createKeyVault } = await import('../../../electron/core/keys/vault');
const { createMemorySettingsStore } = await import('../../../electron/core/ports/settings-store');

const KEY = `apf_live_${'0123456789abcdef'.repeat(4)}`;

function reset(patch: Partial<typeof fake> = {}) {
  Object.assign(fake, { backend: 'gnome_libsecret', available: true, failDecrypt: false, reEncrypt: false, syncCalls: 0 }, patch);
}

describe('the safeStorage SecretBox', () => {
  it('round-trips a key through the async API and never calls the sync one', async () => {
    reset();
    const box = createSafeStorageSecretBox(safeStorage, 'linux');
    const blob = await box.encrypt(KEY);
    expect(Buffer.from(blob).toString('latin1')).not.toContain(KEY);
    expect(await box.decrypt(blob)).toEqual({ plain: KEY, shouldReEncrypt: false });
    expect(fake.syncCalls).toBe(0);
  });

  it("reports Linux's selected keyring, and keychain/dpapi on macOS and Windows", async () => {
    reset({ backend: 'kwallet6' });
    expect(await createSafeStorageSecretBox(safeStorage, 'linux').backend()).toBe('kwallet6');
    expect(await createSafeStorageSecretBox(safeStorage, 'darwin').backend()).toBe('keychain');
    expect(await createSafeStorageSecretBox(safeStorage, 'win32').backend()).toBe('dpapi');
  });

  it('lets the vault store the key encrypted with a real keyring', async () => {
    reset();
    const settings = createMemorySettingsStore();
    const vault = createKeyVault({ secretBox: createSafeStorageSecretBox(safeStorage, 'linux'), settings, platform: 'linux' });
    const set = await vault.setKey(KEY);
    expect(set).toMatchObject({ ok: true, status: { state: 'stored', protection: 'encrypted', backend: 'gnome_libsecret' } });
    expect(JSON.stringify(settings.get('cloud.apiKey.blob'))).not.toContain(KEY.slice(9));
    const again = createKeyVault({ secretBox: createSafeStorageSecretBox(safeStorage, 'linux'), settings, platform: 'linux' });
    expect(await again.load()).toMatchObject({ state: 'stored' });
    expect(again.getKey()).toBe(KEY);
  });

  it('on Linux with basic_text makes the vault keep the key for the session only', async () => {
    reset({ backend: 'basic_text' });
    const settings = createMemorySettingsStore();
    const vault = createKeyVault({ secretBox: createSafeStorageSecretBox(safeStorage, 'linux'), settings, platform: 'linux' });
    expect(await vault.setKey(KEY)).toMatchObject({ ok: true, status: { state: 'session-only', reason: 'weak_backend', canStoreWeakly: true } });
    expect(settings.get('cloud.apiKey.blob')).toBeUndefined();
  });

  it('when async encryption is unavailable the vault says so instead of storing', async () => {
    reset({ available: false });
    const vault = createKeyVault({ secretBox: createSafeStorageSecretBox(safeStorage, 'linux'), settings: createMemorySettingsStore(), platform: 'linux' });
    expect(await vault.setKey(KEY)).toMatchObject({ ok: true, status: { state: 'session-only', reason: 'encryption_unavailable' } });
  });

  it('a blob the keyring cannot decrypt leads to "re-enter your key", not a crash', async () => {
    reset();
    const settings = createMemorySettingsStore();
    await createKeyVault({ secretBox: createSafeStorageSecretBox(safeStorage, 'linux'), settings, platform: 'linux' }).setKey(KEY);
    fake.failDecrypt = true;
    const vault = createKeyVault({ secretBox: createSafeStorageSecretBox(safeStorage, 'linux'), settings, platform: 'linux' });
    expect(await vault.load()).toMatchObject({ state: 'needs-reentry', reason: 'undecryptable' });
  });

  it("passes the OS's re-encrypt request through", async () => {
    reset({ reEncrypt: true });
    const box = createSafeStorageSecretBox(safeStorage, 'darwin');
    expect((await box.decrypt(await box.encrypt(KEY))).shouldReEncrypt).toBe(true);
  });
});

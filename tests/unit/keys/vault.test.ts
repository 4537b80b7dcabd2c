import { describe, expect, it } from 'vitest';
import type { SecretBox, SettingsStore } from '../../../electron/core/keys/ports';
import { createKeyVault, type VaultStatus } from '../../../electron/core/keys/vault';

const KEY = `apf_live_${'0123456789abcdef'.repeat(3)}00009f2c`;
const KEY2 = `apf_test_${'fedcba9876543210'.repeat(3)}0000beef`;
const MASK = 'apf_live_…9f2c';

/** Reversible stand-in for safeStorage: XOR, so the stored blob never shows the key in clear. */
class FakeSecretBox implements SecretBox {
  backendName = 'keychain';
  available = true;
  failDecrypt = false;
  failEncrypt = false;
  askReEncrypt = false;
  encryptCalls = 0;
  async backend() {
    return this.backendName;
  }
  async isEncryptionAvailable() {
    return this.available;
  }
  encryptSync(plain: string) {
    return Uint8Array.from(Buffer.from(`ENC|${plain}`), (b) => b ^ 0x5a);
  }
  async encrypt(plain: string) {
    this.encryptCalls++;
    if (this.failEncrypt) throw new Error(`cannot encrypt ${plain}`);
    return Uint8Array.from(Buffer.from(`ENC|${plain}`), (b) => b ^ 0x5a);
  }
  async decrypt(blob: Uint8Array) {
    if (this.failDecrypt) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const text = Buffer.from(Uint8Array.from(blob, (b) => b ^ 0x5a)).toString('utf8');
    if (!text.startsWith('ENC|')) throw new Error('not ours');
    return { plain: text.slice(4), shouldReEncrypt: this.askReEncrypt };
  }
}

/** A memory settings store that can show everything it holds. */
function memorySettings(initial: Record<string, unknown> = {}): SettingsStore & { dump(): string; values: Map<string, unknown> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: (k) => values.get(k),
    set: (k, v) => void values.set(k, v),
    delete: (k) => void values.delete(k),
    dump: () => JSON.stringify([...values]),
  };
}

/** A fresh vault over a fake box and memory settings; `backend` and `platform` pick the policy under test. */
function setup(backend = 'keychain', platform: NodeJS.Platform = 'darwin') {
  const box = new FakeSecretBox();
  box.backendName = backend;
  const settings = memorySettings();
  return { box, settings, vault: createKeyVault({ secretBox: box, settings, platform }) };
}

function expectNoKeyIn(status: VaultStatus, ...keys: string[]) {
  const text = JSON.stringify(status);
  for (const k of keys) expect(text).not.toContain(k.slice(9));
}

describe('key vault with a real keyring', () => {
  it('encrypts the key, persists it as v1:<backend>:<base64> and reads it back after a restart', async () => {
    const box = new FakeSecretBox();
    const settings = memorySettings();
    const vault = createKeyVault({ secretBox: box, settings, platform: 'darwin' });

    const result = await vault.setKey(KEY);
    expect(result).toMatchObject({ ok: true, trimmed: false });
    expect(vault.status()).toEqual({ state: 'stored', mask: MASK, environment: 'live', protection: 'encrypted', backend: 'keychain' });
    expect(settings.get('cloud.apiKey.blob')).toMatch(/^v1:keychain:[A-Za-z0-9+/]+=*$/);
    expect(settings.dump()).not.toContain(KEY.slice(9));

    const restarted = createKeyVault({ secretBox: box, settings, platform: 'darwin' });
    expect(restarted.getKey()).toBeNull();
    expect(await restarted.load()).toMatchObject({ state: 'stored', mask: MASK, protection: 'encrypted' });
    expect(restarted.getKey()).toBe(KEY);
  });

  it('refuses a malformed key with the format message and keeps the previous key', async () => {
    const vault = createKeyVault({ secretBox: new FakeSecretBox(), settings: memorySettings(), platform: 'win32' });
    await vault.setKey(KEY);
    const result = await vault.setKey('apf_live_short');
    expect(result).toMatchObject({ ok: false, error: { problem: 'too_short' } });
    expect(vault.getKey()).toBe(KEY);
  });

  it('reports that surrounding whitespace was trimmed', async () => {
    const vault = createKeyVault({ secretBox: new FakeSecretBox(), settings: memorySettings(), platform: 'win32' });
    expect(await vault.setKey(`\t${KEY}\n`)).toMatchObject({ ok: true, trimmed: true });
    expect(vault.getKey()).toBe(KEY);
  });

  it('re-encrypts on load when the SecretBox says the ciphertext is stale', async () => {
    const box = new FakeSecretBox();
    const settings = memorySettings();
    await createKeyVault({ secretBox: box, settings, platform: 'darwin' }).setKey(KEY);
    const before = box.encryptCalls;
    box.askReEncrypt = true;

    const status = await createKeyVault({ secretBox: box, settings, platform: 'darwin' }).load();
    expect(status).toMatchObject({ state: 'stored', protection: 'encrypted' });
    expect(box.encryptCalls).toBe(before + 1);
  });

  it('keeps using the old blob when re-encryption fails', async () => {
    const box = new FakeSecretBox();
    const settings = memorySettings();
    await createKeyVault({ secretBox: box, settings, platform: 'darwin' }).setKey(KEY);
    const blob = settings.get('cloud.apiKey.blob');
    box.askReEncrypt = true;
    box.failEncrypt = true;

    const vault = createKeyVault({ secretBox: box, settings, platform: 'darwin' });
    expect(await vault.load()).toMatchObject({ state: 'stored' });
    expect(vault.getKey()).toBe(KEY);
    expect(settings.get('cloud.apiKey.blob')).toBe(blob);
  });

  it('asks for re-entry when the blob cannot be decrypted, keeping it aside instead of throwing', async () => {
    const box = new FakeSecretBox();
    const settings = memorySettings();
    await createKeyVault({ secretBox: box, settings, platform: 'darwin' }).setKey(KEY);
    const blob = settings.get('cloud.apiKey.blob');
    box.failDecrypt = true;

    const vault = createKeyVault({ secretBox: box, settings, platform: 'darwin', now: () => Date.UTC(2025, 0, 2) });
    const status = await vault.load();
    expect(status).toMatchObject({ state: 'needs-reentry', reason: 'undecryptable' });
    if (status.state === 'needs-reentry') expect(status.message).toMatch(/Enter your key again/);
    expect(vault.getKey()).toBeNull();
    expect(settings.get('cloud.apiKey.blob')).toBeUndefined();
    expect(settings.get('cloud.apiKey.unreadable')).toEqual({ blob, reason: 'undecryptable', at: '2025-01-02T00:00:00.000Z' });

    box.failDecrypt = false;
    expect(await vault.setKey(KEY2)).toMatchObject({ ok: true, status: { state: 'stored' } });
  });

  it.each([
    ['not versioned', 'garbage'],
    ['not a string', { nested: true }],
    ['bad base64', 'v1:keychain:@@@'],
  ])('treats a blob that is %s as corrupt: re-entry state, blob kept aside', async (_what, blob) => {
    const settings = memorySettings({ 'cloud.apiKey.blob': blob });
    const status = await createKeyVault({ secretBox: new FakeSecretBox(), settings, platform: 'darwin' }).load();
    expect(status).toMatchObject({ state: 'needs-reentry', reason: 'corrupt' });
    expect(settings.get('cloud.apiKey.unreadable')).toMatchObject({ reason: 'corrupt' });
    expect(settings.get('cloud.apiKey.blob')).toBeUndefined();
  });

  it('treats a blob that decrypts to something that is not a key as corrupt', async () => {
    const box = new FakeSecretBox();
    const blob = `v1:keychain:${Buffer.from(await box.encrypt('hello')).toString('base64')}`;
    const settings = memorySettings({ 'cloud.apiKey.blob': blob });
    expect(await createKeyVault({ secretBox: box, settings, platform: 'darwin' }).load()).toMatchObject({
      state: 'needs-reentry',
      reason: 'corrupt',
    });
  });

  it('never persists a session-only key and keeps the stored one for the next start', async () => {
    const box = new FakeSecretBox();
    const settings = memorySettings();
    const vault = createKeyVault({ secretBox: box, settings, platform: 'darwin' });
    await vault.setKey(KEY);
    const blob = settings.get('cloud.apiKey.blob');

    const result = await vault.setKey(KEY2, { sessionOnly: true });
    expect(result).toMatchObject({ ok: true, status: { state: 'session-only', reason: 'session_requested', mask: 'apf_test_…beef' } });
    expect(vault.getKey()).toBe(KEY2);
    expect(settings.get('cloud.apiKey.blob')).toBe(blob);
    expect(settings.dump()).not.toContain(KEY2.slice(9));

    // A later load (e.g. from another part of the host) must not replace the session key.
    expect(await vault.load()).toMatchObject({ state: 'session-only' });
    expect(vault.getKey()).toBe(KEY2);
  });

  it('marks a key from the environment as session-only from_environment', async () => {
    const settings = memorySettings();
    const vault = createKeyVault({ secretBox: new FakeSecretBox(), settings, platform: 'linux' });
    const result = await vault.setKey(KEY, { source: 'environment' });
    expect(result).toMatchObject({ ok: true, status: { state: 'session-only', reason: 'from_environment', canStoreWeakly: false } });
    expect(settings.values.size).toBe(0);
  });

  it('encrypts a key stored in plaintext once a keyring is available, and spends the plaintext choice', async () => {
    const { box, settings, vault: weak } = setup('basic_text', 'linux');
    await weak.allowWeakStorage(true);
    await weak.setKey(KEY);
    expect(settings.get('cloud.apiKey.blob')).toBe(`v1:plaintext:${KEY}`);

    box.backendName = 'gnome_libsecret';
    const status = await createKeyVault({ secretBox: box, settings, platform: 'linux' }).load();
    expect(status).toMatchObject({ state: 'stored', protection: 'encrypted', backend: 'gnome_libsecret' });
    expect(settings.get('cloud.apiKey.blob')).toMatch(/^v1:gnome_libsecret:/);
    expect(settings.get('cloud.apiKey.allowWeakStorage')).toBe(false);
  });

  it.each([
    ['v1:plain (base64, headless)', null, () => `v1:plain:${Buffer.from(KEY).toString('base64')}`],
    ['v1:basic_text (the well-known key)', 'basic_text', (box: FakeSecretBox) => `v1:basic_text:${Buffer.from(box.encryptSync(KEY)).toString('base64')}`],
  ] as const)('reads an older "weak" blob, %s, keeps it working and relabels it as plaintext', async (_name, backend, blobOf) => {
    const box = new FakeSecretBox();
    if (backend) box.backendName = backend;
    const settings = memorySettings({ 'cloud.apiKey.blob': blobOf(box), 'cloud.apiKey.allowWeakStorage': true });
    const vault = createKeyVault({ secretBox: backend ? box : null, settings, platform: 'linux' });
    expect(await vault.load()).toMatchObject({ state: 'stored', protection: 'plaintext' });
    expect(vault.getKey()).toBe(KEY);
    expect(settings.get('cloud.apiKey.blob')).toBe(`v1:plaintext:${KEY}`);
  });

  it('clear() forgets the key in memory, in settings and the blob kept aside, but keeps the weak-storage choice', async () => {
    const settings = memorySettings({ 'cloud.apiKey.unreadable': { blob: 'x', reason: 'corrupt', at: '' } });
    const vault = createKeyVault({ secretBox: new FakeSecretBox(), settings, platform: 'darwin' });
    await vault.allowWeakStorage(true);
    await vault.setKey(KEY);
    expect(await vault.clear()).toEqual({ state: 'none' });
    expect(vault.getKey()).toBeNull();
    expect([...settings.values.keys()]).toEqual(['cloud.apiKey.allowWeakStorage']);
  });

  it('tells listeners about each change, with the mask only', async () => {
    const vault = createKeyVault({ secretBox: new FakeSecretBox(), settings: memorySettings(), platform: 'darwin' });
    const seen: VaultStatus[] = [];
    const off = vault.onChange((s) => seen.push(s));
    await vault.setKey(KEY);
    await vault.clear();
    off();
    await vault.setKey(KEY2);
    expect(seen.map((s) => s.state)).toEqual(['stored', 'none']);
    for (const s of seen) expectNoKeyIn(s, KEY);
  });
});

describe('key vault without real encryption (Linux without a keyring, headless host)', () => {
  it.each([
    ['basic_text', true],
    ['unknown', true],
    ['gnome_libsecret', false],
  ] as const)('on Linux, keeps the key in memory only when the backend is %s and no opt-in was given', async (backend, weak) => {
    const box = new FakeSecretBox();
    box.backendName = backend;
    const settings = memorySettings();
    const vault = createKeyVault({ secretBox: box, settings, platform: 'linux' });
    const result = await vault.setKey(KEY);
    if (!weak) {
      expect(result).toMatchObject({ ok: true, status: { state: 'stored', protection: 'encrypted' } });
      return;
    }
    expect(result).toMatchObject({ ok: true, status: { state: 'session-only', reason: 'weak_backend', backend, canStoreWeakly: true } });
    expect(vault.getKey()).toBe(KEY);
    expect(settings.get('cloud.apiKey.blob')).toBeUndefined();
  });

  it('explains why and how to fix it: keyring packages and the --password-store switch', async () => {
    const { vault } = setup('basic_text', 'linux');
    const { status } = (await vault.setKey(KEY)) as { status: VaultStatus };
    if (status.state !== 'session-only') throw new Error(`expected session-only, got ${status.state}`);
    expect(status.message).toMatch(/backend: basic_text/);
    expect(status.message).toMatch(/gnome-keyring/);
    expect(status.message).toMatch(/KWallet/);
    expect(status.message).toMatch(/--password-store=gnome-libsecret/);
    expect(status.message).toMatch(/kept in memory until you quit/);
  });

  it('counts unavailable encryption as not encrypted, whatever the backend says', async () => {
    const box = new FakeSecretBox();
    box.backendName = 'gnome_libsecret';
    box.available = false;
    const vault = createKeyVault({ secretBox: box, settings: memorySettings(), platform: 'linux' });
    expect((await vault.setKey(KEY)) as unknown).toMatchObject({ status: { state: 'session-only', reason: 'encryption_unavailable' } });
  });

  it('persists the key in plaintext only after the explicit opt-in, and does so for the key already held', async () => {
    const { box, settings, vault } = setup('basic_text', 'linux');
    await vault.setKey(KEY);
    expect(settings.get('cloud.apiKey.blob')).toBeUndefined();

    expect(await vault.allowWeakStorage(true)).toEqual({
      state: 'stored',
      mask: MASK,
      environment: 'live',
      protection: 'plaintext',
      backend: 'basic_text',
    });
    // Written as what it is: never encrypted with basic_text's well-known key and then called protected.
    expect(settings.get('cloud.apiKey.blob')).toBe(`v1:plaintext:${KEY}`);
    expect(vault.weakStorageAllowed()).toBe(true);

    const restarted = createKeyVault({ secretBox: box, settings, platform: 'linux' });
    expect(await restarted.load()).toMatchObject({ state: 'stored', protection: 'plaintext' });
    expect(restarted.getKey()).toBe(KEY);
  });

  it('withdrawing the opt-in deletes the plaintext blob and keeps the key for this session', async () => {
    const { settings, vault } = setup('basic_text', 'linux');
    await vault.allowWeakStorage(true);
    await vault.setKey(KEY);
    expect(await vault.allowWeakStorage(false)).toMatchObject({ state: 'session-only', reason: 'weak_backend' });
    expect(settings.get('cloud.apiKey.blob')).toBeUndefined();
    expect(vault.getKey()).toBe(KEY);
  });

  it('a new key that cannot be stored replaces the old stored one instead of letting it come back', async () => {
    const box = new FakeSecretBox();
    box.backendName = 'gnome_libsecret';
    const settings = memorySettings();
    const vault = createKeyVault({ secretBox: box, settings, platform: 'linux' });
    await vault.setKey(KEY);
    box.available = false;
    await vault.setKey(KEY2);
    expect(settings.get('cloud.apiKey.blob')).toBeUndefined();
  });

  it('with no SecretBox at all (headless), holds the key in memory and stores it in plaintext only after opt-in', async () => {
    const settings = memorySettings();
    const vault = createKeyVault({ secretBox: null, settings, platform: 'linux' });
    const result = await vault.setKey(KEY);
    expect(result).toMatchObject({ ok: true, status: { state: 'session-only', reason: 'no_secret_box', backend: 'none' } });
    if (result.ok && result.status.state === 'session-only') expect(result.status.message).toMatch(/AUTOPRINTFARM_API_KEY/);
    expect(settings.get('cloud.apiKey.blob')).toBeUndefined();

    expect(await vault.allowWeakStorage(true)).toMatchObject({ state: 'stored', protection: 'plaintext', backend: 'none' });
    expect(settings.get('cloud.apiKey.blob')).toBe(`v1:plaintext:${KEY}`);
    const restarted = createKeyVault({ secretBox: null, settings, platform: 'linux' });
    expect(await restarted.load()).toMatchObject({ state: 'stored', protection: 'plaintext' });
    expect(restarted.getKey()).toBe(KEY);
  });

  it('leaves a keychain blob written by the desktop app alone when read by a host without a SecretBox', async () => {
    const box = new FakeSecretBox();
    const settings = memorySettings();
    await createKeyVault({ secretBox: box, settings, platform: 'darwin' }).setKey(KEY);
    const blob = settings.get('cloud.apiKey.blob');
    const status = await createKeyVault({ secretBox: null, settings, platform: 'darwin' }).load();
    expect(status).toMatchObject({ state: 'needs-reentry', reason: 'unreadable_here' });
    expect(settings.get('cloud.apiKey.blob')).toBe(blob);
  });

  it('falls back to a session-only key when encryption throws, never throwing itself', async () => {
    const box = new FakeSecretBox();
    box.failEncrypt = true;
    const vault = createKeyVault({ secretBox: box, settings: memorySettings(), platform: 'darwin' });
    const result = await vault.setKey(KEY);
    expect(result).toMatchObject({ ok: true, status: { state: 'session-only', reason: 'encryption_failed' } });
    if (result.ok) expectNoKeyIn(result.status, KEY);
    expect(vault.getKey()).toBe(KEY);
  });

  it('reports the storage situation before any key is entered, so the UI can warn first', async () => {
    const box = new FakeSecretBox();
    box.backendName = 'basic_text';
    expect(await createKeyVault({ secretBox: box, settings: memorySettings(), platform: 'linux' }).assessStorage()).toMatchObject({
      secure: false,
      reason: 'weak_backend',
    });
    box.backendName = 'dpapi';
    expect(await createKeyVault({ secretBox: box, settings: memorySettings(), platform: 'win32' }).assessStorage()).toEqual({
      secure: true,
      backend: 'dpapi',
    });
  });
});

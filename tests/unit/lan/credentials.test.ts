import { describe, expect, it } from 'vitest';
import { createCredentialStore } from '../../../electron/core/credentials/credential-store';
import type { SecretBox } from '../../../electron/core/keys/ports';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';

/** A reversible stand-in for a keyring: "encrypts" by reversing bytes. */
function fakeBox(backend = 'gnome_libsecret'): SecretBox {
  return {
    backend: async () => backend,
    isEncryptionAvailable: async () => true,
    encrypt: async (plain) => new Uint8Array(Buffer.from(plain).reverse()),
    decrypt: async (blob) => ({ plain: Buffer.from(blob).reverse().toString(), shouldReEncrypt: false }),
  };
}

describe('printer credential store', () => {
  it('encrypts with a real keyring and reads the secret back after a restart', async () => {
    const settings = createMemorySettingsStore();
    const store = createCredentialStore({ secretBox: fakeBox(), settings, platform: 'linux' });
    const { ref, protection } = await store.put('access-1234');
    expect(protection).toEqual({ state: 'encrypted', backend: 'gnome_libsecret' });
    const blob = settings.get(`credentials.printers.${ref}`) as string;
    expect(blob).toMatch(/^v1:gnome_libsecret:/);
    expect(blob).not.toContain('access-1234');
    const again = createCredentialStore({ secretBox: fakeBox(), settings, platform: 'linux' });
    expect(await again.get(ref)).toBe('access-1234');
  });

  it('keeps the secret in memory only on a host without a keyring, and says so', async () => {
    const settings = createMemorySettingsStore();
    const store = createCredentialStore({ secretBox: null, settings, platform: 'linux' });
    const { ref, protection } = await store.put('octo-key');
    expect(protection).toMatchObject({ state: 'session-only', reason: 'no_secret_box', message: expect.stringContaining('kept in memory') });
    expect(await store.get(ref)).toBe('octo-key');
    expect(settings.get(`credentials.printers.${ref}`)).toBeUndefined();
    expect(await createCredentialStore({ secretBox: null, settings }).get(ref)).toBeNull();
  });

  it('treats basic_text as weak: session-only until the user agrees, then stored and labelled weak', async () => {
    const settings = createMemorySettingsStore();
    const store = createCredentialStore({ secretBox: fakeBox('basic_text'), settings, platform: 'linux' });
    expect((await store.put('k1')).protection.state).toBe('session-only');
    store.allowWeakStorage(true);
    const kept = await store.put('k2');
    expect(kept.protection).toEqual({ state: 'weak', backend: 'basic_text' });
    expect(await createCredentialStore({ secretBox: fakeBox('basic_text'), settings, platform: 'linux' }).get(kept.ref)).toBe('k2');
  });

  it('forgets a removed secret everywhere', async () => {
    const settings = createMemorySettingsStore();
    const store = createCredentialStore({ secretBox: fakeBox(), settings, platform: 'linux' });
    const { ref } = await store.put('gone');
    store.remove(ref);
    expect(await store.get(ref)).toBeNull();
    expect(settings.get(`credentials.printers.${ref}`)).toBeUndefined();
  });
});

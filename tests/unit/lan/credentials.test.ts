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

  it('treats basic_text as no keyring: session-only unless the user chose plaintext for that one secret, then labelled plaintext', async () => {
    const settings = createMemorySettingsStore();
    const store = createCredentialStore({ secretBox: fakeBox('basic_text'), settings, platform: 'linux' });
    const first = await store.put('k1');
    expect(first.protection.state).toBe('session-only');
    expect(store.protectionOf(first.ref)).toBe('session-only');
    const kept = await store.put('k2', { plaintext: true });
    expect(kept.protection).toEqual({ state: 'plaintext' });
    // Written as what it is, not run through basic_text's well-known key and called protected.
    expect(settings.get(`credentials.printers.${kept.ref}`)).toBe('v1:plaintext:k2');
    expect(store.protectionOf(kept.ref)).toBe('plaintext');
    // The choice was for k2 only: the next secret is session-only again.
    expect((await store.put('k3')).protection.state).toBe('session-only');
    const restarted = createCredentialStore({ secretBox: fakeBox('basic_text'), settings, platform: 'linux' });
    expect(await restarted.get(kept.ref)).toBe('k2');
    expect(restarted.protectionOf(first.ref)).toBe('missing');
  });

  it('encrypts even when plaintext was asked for, if a keyring is there', async () => {
    const settings = createMemorySettingsStore();
    const store = createCredentialStore({ secretBox: fakeBox(), settings, platform: 'linux' });
    const kept = await store.put('k9', { plaintext: true });
    expect(kept.protection).toEqual({ state: 'encrypted', backend: 'gnome_libsecret' });
    expect(store.protectionOf(kept.ref)).toBe('encrypted');
  });

  it.each([
    ['v1:plain (base64, an older apf printer add --store-weakly)', null, `v1:plain:${Buffer.from('old-access-code').toString('base64')}`],
    ['v1:basic_text', 'basic_text', `v1:basic_text:${Buffer.from('old-access-code').reverse().toString('base64')}`],
  ] as const)('reads an older "weak" blob, %s, keeps it working and relabels it as plaintext', async (_name, backend, blob) => {
    const settings = createMemorySettingsStore();
    settings.set('credentials.printers.cred_old', blob);
    const store = createCredentialStore({ secretBox: backend ? fakeBox(backend) : null, settings, platform: 'linux' });
    expect(store.protectionOf('cred_old')).toBe('plaintext');
    expect(await store.get('cred_old')).toBe('old-access-code');
    expect(settings.get('credentials.printers.cred_old')).toBe('v1:plaintext:old-access-code');
  });

  it('encrypts an older "weak" blob when a keyring is there now', async () => {
    const settings = createMemorySettingsStore();
    settings.set('credentials.printers.cred_old', `v1:plain:${Buffer.from('old-access-code').toString('base64')}`);
    const store = createCredentialStore({ secretBox: fakeBox(), settings, platform: 'linux' });
    expect(await store.get('cred_old')).toBe('old-access-code');
    expect(settings.get('credentials.printers.cred_old')).toMatch(/^v1:gnome_libsecret:/);
    expect(store.protectionOf('cred_old')).toBe('encrypted');
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

/** Key administration rules against the real sandbox: marking, show-once, roll with overlap, typed revoke. */
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidApiKeyError } from '../../../electron/core/cloud';
import { createKeyAdmin } from '../../../electron/core/cloud-account/key-admin';
import { createSetupWizard } from '../../../electron/core/cloud-account/setup-wizard';
import { createCloudClient } from '../../../electron/core/cloud';
import { closeSandboxes, harness, type Harness } from './support';

afterEach(closeSandboxes);

const DAY = 86_400_000;

/** A harness whose app already uses `key` (the admin key unless given), set up through the wizard. */
async function withAppKey(key?: (h: Harness) => string) {
  const h = await harness();
  const wizard = createSetupWizard(h.account);
  const checked = await wizard.check({ key: key ? key(h) : h.adminKey });
  if (!checked.ok) throw new Error(checked.failure.message);
  await wizard.save();
  return { ...h, keys: createKeyAdmin(h.account) };
}

const works = (h: Harness, key: string) =>
  createCloudClient({ baseUrl: h.sandbox.url, apiKey: () => key, maxRetries: 0 })
    .auth.test()
    .then(() => true)
    .catch((err: unknown) => (err instanceof InvalidApiKeyError ? false : Promise.reject(err)));

describe('key administration', () => {
  it("lists keys with masks only, marking the app's key, keys unused for 30 days and keys due for rotation", async () => {
    const h = await withAppKey();
    h.sandbox.createKey({ name: 'Forgotten', scopes: ['jobs:read'], prefix: 'apf_dev_' });
    h.clock.now += 91 * DAY;
    const { keys, via } = await h.keys.list();
    expect(via).toBe('app_key');
    const app = keys.find((k) => k.isAppKey);
    const old = keys.find((k) => k.name === 'Forgotten');
    expect(app).toMatchObject({ name: 'Sandbox admin', unused: false, rotationDue: true, mask: `apf_dev_…${h.adminKey.slice(-4)}` });
    expect(old).toMatchObject({ isAppKey: false, unused: true, rotationDue: true, ageDays: 91, requestCount: 0 });
    expect(JSON.stringify(keys)).not.toMatch(/apf_dev_[0-9a-f]{16}/);
  });

  it('creates a key and hands its value out once, without keeping it', async () => {
    const h = await withAppKey();
    const created = await h.keys.create({ name: 'Wall display', scopes: ['printers:read', 'jobs:read'] });
    expect(created.secret).toMatch(/^apf_dev_[0-9a-f]{64}$/);
    expect(created.key).toMatchObject({ name: 'Wall display', scopes: ['printers:read', 'jobs:read'], isAppKey: false });
    expect(await works(h, created.secret!)).toBe(true);
    expect(h.settings.dump()).not.toContain(created.secret!.slice(8));
    const listed = await h.keys.list();
    expect(JSON.stringify(listed)).not.toContain(created.secret!);
  });

  it("rolls the app's own key: verifies and stores the successor itself and returns no secret; the old key works 24 hours", async () => {
    const h = await withAppKey();
    const appKeyId = h.account.account()!.keyId;
    const rolled = await h.keys.roll(appKeyId);
    expect(rolled).toMatchObject({ secret: null, storedByApp: true });
    expect(rolled.message).toMatch(/24 hours/);
    const now = h.account.vault.getKey()!;
    expect(now).not.toBe(h.adminKey);
    expect(h.account.status().key).toMatchObject({ state: 'stored', mask: `apf_dev_…${now.slice(-4)}` });
    expect(h.account.account()?.keyId).toBe(rolled.key.id);
    expect(await works(h, h.adminKey)).toBe(true);
    h.clock.now += 24 * 3_600_000 + 1000;
    expect(await works(h, h.adminKey)).toBe(false);
    expect(await works(h, now)).toBe(true);
  });

  it('rolls another key and shows its new value once', async () => {
    const h = await withAppKey();
    const other = h.sandbox.createKey({ name: 'CI', scopes: ['jobs:write'], prefix: 'apf_dev_' });
    const rolled = await h.keys.roll(other.id);
    expect(rolled.storedByApp).toBe(false);
    expect(rolled.secret).toMatch(/^apf_dev_/);
    expect(rolled.key.expiresAt).toBeNull();
    expect(h.account.vault.getKey()).toBe(h.adminKey);
    const old = (await h.keys.list()).keys.find((k) => k.id === other.id);
    expect(old?.expiresAt).not.toBeNull();
  });

  it("revokes only after the key's name is typed exactly", async () => {
    const h = await withAppKey();
    const other = h.sandbox.createKey({ name: 'Old laptop', scopes: ['printers:read'], prefix: 'apf_dev_' });
    await expect(h.keys.revoke({ id: other.id, confirmName: 'old laptop' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await works(h, other.key)).toBe(true);
    const done = await h.keys.revoke({ id: other.id, confirmName: 'Old laptop' });
    expect(done).toMatchObject({ revokedId: other.id, replacement: null });
    expect(await works(h, other.key)).toBe(false);
  });

  it("refuses to revoke the app's own key without a replacement; with one the app switches first", async () => {
    const h = await withAppKey();
    const appKeyId = h.account.account()!.keyId;
    await expect(h.keys.revoke({ id: appKeyId, confirmName: 'Sandbox admin' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await works(h, h.adminKey)).toBe(true);

    const done = await h.keys.revoke({ id: appKeyId, confirmName: 'Sandbox admin', replace: true });
    expect(done.replacement).toMatchObject({ name: 'Sandbox admin', scopes: ['admin:*'], isAppKey: true });
    expect(await works(h, h.adminKey)).toBe(false);
    expect(await works(h, h.account.vault.getKey()!)).toBe(true);
  });

  it('with a weaker app key says admin is needed and uses an admin key for this session only, never stored', async () => {
    const h = await withAppKey((x) => x.sandbox.createKey({ name: 'Operator', scopes: ['printers:read', 'printers:write'], prefix: 'apf_dev_' }).key);
    const appKey = h.account.vault.getKey();
    const denied = await h.keys.access();
    expect(denied).toMatchObject({ ok: false, reason: 'not_admin', appKeyScopes: ['printers:read', 'printers:write'] });
    await expect(h.keys.list()).rejects.toMatchObject({ code: 'forbidden' });

    const granted = await h.keys.useSessionKey(h.adminKey);
    expect(granted).toMatchObject({ ok: true, via: 'session_key', mask: `apf_dev_…${h.adminKey.slice(-4)}` });
    const { keys, via } = await h.keys.list();
    expect(via).toBe('session_key');
    expect(keys.find((k) => k.isAdminSessionKey)?.name).toBe('Sandbox admin');
    expect(keys.find((k) => k.isAppKey)?.name).toBe('Operator');
    expect(h.account.vault.getKey()).toBe(appKey);
    expect(h.settings.dump()).not.toContain(h.adminKey.slice(8));
    expect(h.account.status().adminSession).toMatchObject({ keyName: 'Sandbox admin' });

    await h.keys.dropSessionKey();
    expect(await h.keys.access()).toMatchObject({ ok: false });
  });

  it('refuses a session admin key that is not an admin key', async () => {
    const h = await withAppKey();
    const weak = h.sandbox.createKey({ name: 'Reader', scopes: ['printers:read'], prefix: 'apf_dev_' });
    await expect(h.keys.useSessionKey(weak.key)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/not an admin key/) });
    expect(h.account.adminSession()).toBeNull();
  });

  it('without any app key, asks for an admin key instead of failing', async () => {
    const h = await harness();
    expect(await createKeyAdmin(h.account).access()).toMatchObject({ ok: false, reason: 'no_key' });
  });
});

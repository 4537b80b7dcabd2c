/** The setup wizard's state machine against the real sandbox, with a fake SecretBox. */
import { afterEach, describe, expect, it } from 'vitest';
import { createSetupWizard, type WizardState } from '../../../electron/core/cloud-account/setup-wizard';
import { AppError } from '../../../electron/core/errors';
import { startSandbox } from '../../sandbox/server';
import { closeSandboxes, FakeSecretBox, harness } from './support';

afterEach(closeSandboxes);

describe('the setup wizard', () => {
  it('goes enter → checking → review → saving → done, asking /auth/test then /api-keys/current', async () => {
    const h = await harness();
    const wizard = createSetupWizard(h.account);
    const steps: WizardState['step'][] = [wizard.state().step];
    wizard.onState((s) => steps.push(s.step));

    const checked = await wizard.check({ key: h.adminKey });
    expect(checked.ok).toBe(true);
    expect(h.requests).toEqual(['GET /auth/test', 'GET /api-keys/current']);
    await wizard.save();
    expect(steps).toEqual(['enter', 'checking', 'review', 'saving', 'done']);
  });

  it('reviews the key in plain language: organization, key id, scopes, and a warning for admin:* on a desktop', async () => {
    const h = await harness();
    const result = await createSetupWizard(h.account).check({ key: `  ${h.adminKey}\n` });
    if (!result.ok) throw new Error(result.failure.message);
    const r = result.review;
    expect(r.organization).toBe('Test Farm');
    expect(r.keyId).toMatch(/^key_/);
    expect(r.scopes).toEqual(['admin:*']);
    expect(r.trimmedNotice).toMatch(/removed/);
    expect(r.mask).toBe(`apf_dev_…${h.adminKey.slice(-4)}`);
    expect(r.warnings.join(' ')).toMatch(/admin key \(admin:\*\).*this computer/);
    expect(JSON.stringify(result)).not.toContain(h.adminKey);
  });

  it('says what a job-submitter key can and cannot do', async () => {
    const h = await harness();
    const { key } = h.sandbox.createKey({ name: 'Job Submitter', scopes: ['jobs:write', 'printers:read'], prefix: 'apf_dev_' });
    const result = await createSetupWizard(h.account).check({ key });
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.review.can.join(' ')).toMatch(/Submit new print jobs/);
    expect(result.review.cannot.join(' ')).toMatch(/Control or change printers \(printers:write\)/);
    expect(result.review.cannot.join(' ')).toMatch(/Manage API keys \(admin:\*\)/);
    expect(result.review.warnings).toEqual([]);
  });

  it('saves the checked key encrypted, with only ciphertext in the settings', async () => {
    const h = await harness();
    const wizard = createSetupWizard(h.account);
    await wizard.check({ key: h.adminKey });
    const saved = await wizard.save();
    expect(saved.outcome).toBe('encrypted');
    expect(saved.status.key).toMatchObject({ state: 'stored', protection: 'encrypted' });
    expect(saved.status.account).toMatchObject({ organization: 'Test Farm', scopes: ['admin:*'] });
    expect(saved.status.setup).toBe('completed');
    expect(h.account.vault.getKey()).toBe(h.adminKey);
    expect(h.settings.dump()).not.toContain(h.adminKey.slice(8));
  });

  it('on Linux without a keyring keeps the key for the session and says why, storing weakly only after opt-in', async () => {
    const h = await harness({ box: new FakeSecretBox('basic_text'), platform: 'linux' });
    const wizard = createSetupWizard(h.account);
    const checked = await wizard.check({ key: h.adminKey });
    if (!checked.ok) throw new Error(checked.failure.message);
    expect(checked.review.storage).toMatchObject({ secure: false, canStoreWeakly: true });
    expect(checked.review.storage.message).toMatch(/No keyring was found.*--password-store=gnome-libsecret/);

    const sessionOnly = await wizard.save();
    expect(sessionOnly.outcome).toBe('session-only');
    expect(h.settings.get('cloud.apiKey.blob')).toBeUndefined();

    await wizard.check({ key: h.adminKey });
    const weak = await wizard.save({ storeWeakly: true });
    expect(weak.outcome).toBe('plaintext');
    expect(weak.message).toMatch(/in plaintext \(unencrypted\), as you chose/);
    expect(h.settings.get('cloud.apiKey.blob')).toEqual(expect.stringMatching(/^v1:plaintext:apf_/));
  });

  it("refuses a key with a space inside before any request, with the docs' solutions", async () => {
    const h = await harness();
    const result = await createSetupWizard(h.account).check({ key: `${h.adminKey.slice(0, 20)} ${h.adminKey.slice(20)}` });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'format', step: 'local' } });
    if (result.ok) return;
    expect(result.failure.solutions.join(' ')).toMatch(/one piece/);
    expect(h.requests).toEqual([]);
  });

  it('refuses a live key for the local sandbox, naming the prefix it expects, before any request', async () => {
    const h = await harness();
    const { key } = h.sandbox.createKey({ name: 'Live', scopes: ['printers:read'], prefix: 'apf_live_' });
    const result = await createSetupWizard(h.account).check({ key });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'environment_mismatch' } });
    if (result.ok) return;
    expect(result.failure.message).toMatch(/expects a key starting with apf_dev_/);
    expect(h.requests).toEqual([]);
  });

  it('explains a revoked key: verify, whitespace, revoked, prefix vs environment', async () => {
    const h = await harness();
    const { id, key } = h.sandbox.createKey({ name: 'Old', scopes: ['printers:read'], prefix: 'apf_dev_' });
    await h.admin.apiKeys.delete(id);
    const result = await createSetupWizard(h.account).check({ key });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'invalid_key', step: 'auth_test' } });
    if (result.ok) return;
    const solutions = result.failure.solutions.join('\n');
    expect(solutions).toMatch(/Verify the key/);
    expect(solutions).toMatch(/whitespace/);
    expect(solutions).toMatch(/revoked/);
    expect(solutions).toMatch(/prefix matches the environment/);
    expect(JSON.stringify(result)).not.toContain(key);
  });

  it('names the missing scope when the server answers 403', async () => {
    const h = await harness({
      fetch: async (input, init) =>
        String(input).endsWith('/api-keys/current')
          ? new Response(JSON.stringify({ error: { code: 'insufficient_permissions', message: 'This API key lacks the required scope: printers:read' } }), { status: 403 })
          : fetch(input, init),
    });
    const result = await createSetupWizard(h.account).check({ key: h.adminKey });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'insufficient_permissions', step: 'scopes', missingScope: 'printers:read' } });
    if (result.ok) return;
    expect(result.failure.solutions.join(' ')).toMatch(/Create a new key that includes printers:read/);
  });

  it('after a 429 says when to retry', async () => {
    const h = await harness({ rateLimitPerHour: 1 });
    const result = await createSetupWizard(h.account).check({ key: h.adminKey });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'rate_limited', step: 'scopes' } });
    if (result.ok) return;
    expect(result.failure.retryAfterSeconds).toBeGreaterThan(3000);
    expect(result.failure.solutions[0]).toMatch(/^Wait \d+ minutes, then check the key again/);
  });

  it('when the cloud cannot be reached, says the app keeps working locally', async () => {
    const gone = await startSandbox();
    const url = gone.url;
    await gone.close();
    const h = await harness({ envUrl: false, env: { AUTOPRINTFARM_API_URL: url } });
    const result = await createSetupWizard(h.account).check({ key: h.adminKey });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'offline', step: 'auth_test' } });
    if (result.ok) return;
    expect(result.failure.solutions.join(' ')).toMatch(/keeps working locally/);
  });

  it('imports AUTOPRINTFARM_API_KEY on the desktop for this session without saving a copy', async () => {
    const probe = await harness();
    const h = await harness({ env: { AUTOPRINTFARM_API_KEY: probe.adminKey, AUTOPRINTFARM_API_URL: probe.sandbox.url } });
    expect(h.account.status().environmentKey).toMatchObject({ source: 'environment', inUse: false });
    expect(h.account.status().key.state).toBe('none');

    const wizard = createSetupWizard(h.account);
    const checked = await wizard.check({ useEnvironmentKey: true });
    expect(checked).toMatchObject({ ok: true, review: { source: 'environment', organization: 'Test Farm' } });
    const saved = await wizard.save();
    expect(saved.status.key).toMatchObject({ state: 'session-only', reason: 'from_environment' });
    expect(saved.status.environmentKey?.inUse).toBe(true);
    expect(h.settings.dump()).not.toContain(probe.adminKey.slice(8));
  });

  it('uses a server address given under Advanced and keeps it in the settings', async () => {
    const h = await harness({ envUrl: false });
    expect(h.account.status().baseUrl).toBe('https://api.autoprintfarm.com/v1');
    const wizard = createSetupWizard(h.account);
    const checked = await wizard.check({ key: h.adminKey, baseUrl: h.sandbox.url });
    expect(checked).toMatchObject({ ok: true, review: { baseUrl: h.sandbox.url } });
    await wizard.save();
    expect(h.settings.get('cloud.baseUrl')).toBe(h.sandbox.url);
    expect(h.account.status()).toMatchObject({ baseUrl: h.sandbox.url, baseUrlSource: 'wizard' });
  });

  it('refuses an http server address that is not this computer', async () => {
    const h = await harness();
    const result = await createSetupWizard(h.account).check({ key: h.adminKey, baseUrl: 'http://farm.example.com/v1' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'bad_base_url' } });
  });

  it('refuses to save before a key was checked, and forgets the checked key on cancel', async () => {
    const h = await harness();
    const wizard = createSetupWizard(h.account);
    await expect(wizard.save()).rejects.toBeInstanceOf(AppError);
    await wizard.check({ key: h.adminKey });
    wizard.cancel();
    await expect(wizard.save()).rejects.toMatchObject({ code: 'conflict' });
    expect(h.account.vault.getKey()).toBeNull();
  });

  it('offers setup on a first run and stops offering once skipped', async () => {
    const h = await harness();
    expect(h.account.status()).toMatchObject({ offerSetup: true, setup: 'pending' });
    h.account.markSetup('skipped');
    expect(h.account.status()).toMatchObject({ offerSetup: false, setup: 'skipped' });
  });
});

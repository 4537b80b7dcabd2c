import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/** The keys methods through the real core and dispatcher: what crosses to a UI never holds a full key. */
import { afterEach, describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { createLogger, redactSecrets } from '../../../electron/core/log/logger';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { FakeDriver } from '../../support/fake-driver';

const cores: Core[] = [];
const sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
});

async function setup(env: (sb: Sandbox) => Record<string, string>) {
  const sb = await startSandbox({ organization: 'Core Farm' });
  sandboxes.push(sb);
  const wire: string[] = [];
  const core = createCore({
    host: 'headless',
    version: '0.0.0-test',
    // A folder of its own: a shared one would share its database with every other run and test file.
    dataDir: mkdtempSync(join(tmpdir(), 'apf-test-')),
    settings: createMemorySettingsStore(),
    createDriver: () => new FakeDriver(),
    log: { error: (m, e) => void wire.push(`${m} ${String(e)}`) },
    seedDefaultPrinter: false,
    secretBox: null,
    env: env(sb),
    cloudClient: { maxRetries: 0 },
  });
  cores.push(core);
  core.events.subscribe((name, payload) => void wire.push(JSON.stringify({ name, payload })));
  const ctx = { capabilities: new Set(CAPABILITIES) };
  const call = async (method: string, params?: unknown) => {
    const out = await core.dispatch(method, params, ctx);
    wire.push(JSON.stringify(out));
    return out;
  };
  return { sb, adminKey: sb.adminKey!, call, wire };
}

describe('the keys methods of the core', () => {
  it('runs the wizard on a headless host: session-only with the reason, and no full key in any answer or event', async () => {
    const { adminKey, call, wire } = await setup((sb) => ({ AUTOPRINTFARM_API_URL: sb.url }));
    expect(await call('keys.status')).toMatchObject({ ok: true, result: { key: { state: 'none' }, offerSetup: true } });
    expect(await call('keys.setup.check', { key: ` ${adminKey} ` })).toMatchObject({ ok: true, result: { ok: true, review: { organization: 'Core Farm' } } });
    const saved = await call('keys.setup.save', {});
    expect(saved).toMatchObject({ ok: true, result: { outcome: 'session-only', status: { key: { reason: 'no_secret_box' } } } });
    const created = await call('keys.create', { name: 'Wall display', scopes: ['printers:read'] });
    const secret = (created as { result: { secret: string } }).result.secret;
    expect(await call('keys.list')).toMatchObject({ ok: true, result: { via: 'app_key' } });

    const everything = wire.join('\n');
    expect(everything).not.toContain(adminKey);
    // The only place the new key appears is the create answer itself.
    expect(wire.filter((line) => line.includes(secret))).toHaveLength(1);
  });

  it('uses AUTOPRINTFARM_API_KEY on a headless host at start, in memory only', async () => {
    const probe = await startSandbox();
    sandboxes.push(probe);
    const { call } = await setup(() => ({ AUTOPRINTFARM_API_KEY: probe.adminKey!, AUTOPRINTFARM_API_URL: probe.url }));
    expect(await call('keys.status')).toMatchObject({
      ok: true,
      result: { key: { state: 'session-only', reason: 'from_environment' }, environmentKey: { inUse: true }, offerSetup: false },
    });
  });

  it('skipping setup stops offering it and keeps the app offline-capable', async () => {
    const { call } = await setup((sb) => ({ AUTOPRINTFARM_API_URL: sb.url }));
    expect(await call('keys.setup.skip')).toMatchObject({ ok: true, result: { setup: 'skipped', offerSetup: false, key: { state: 'none' } } });
    expect(await call('keys.list')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('rejects a create with an unknown scope before calling the cloud', async () => {
    const { call } = await setup((sb) => ({ AUTOPRINTFARM_API_URL: sb.url }));
    expect(await call('keys.create', { name: 'x', scopes: ['Printers:Read'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('the logger masks keys in any case and Basic credentials', () => {
    const key = `apf_live_${'a1'.repeat(32)}`;
    const lines: string[] = [];
    createLogger({ write: (l) => void lines.push(l) }).error(`failed with ${key.toUpperCase()}`, new Error(`Basic ${Buffer.from(`${key}:`).toString('base64')}`));
    expect(lines[0]).not.toContain(key.slice(9).toUpperCase());
    expect(lines[0]).toContain('[redacted credentials]');
    expect(redactSecrets(key)).toBe('apf_live_…a1a1');
  });
});

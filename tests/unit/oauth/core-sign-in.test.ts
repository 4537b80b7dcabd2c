/**
 * "Sign in with AutoPrintFarm" through the core's own methods, as the UI and `apf login` use it, against the
 * sandbox: the device grant and the browser flow end signed in; the hub then links and connects with the
 * tokens instead of a key; the renderer hears who is signed in and never a token; sign-out revokes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SignInView } from '../../../electron/core/contract/sign-in-types';
import type { Core } from '../../../electron/core/core';
import type { SecretBox } from '../../../electron/core/keys/ports';
import { createMemorySettingsStore, type SettingsStore } from '../../../electron/core/ports/settings-store';
import { getPage, submit } from '../../sandbox/oauth-support';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { coreCalls } from '../../support/core-calls';
import { connected, removeHubCoreDirs, startHubCore, until } from '../hub/hub-sandbox-fixture';

let core: Core | null = null;
let sb: Sandbox | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
  await sb?.close();
  sb = null;
  removeHubCoreDirs();
});

const { call } = coreCalls(() => core!);

/** A keyring stand-in (reversible), so the tokens persist across a restart as they would with safeStorage. */
const keyring: SecretBox = {
  backend: async () => 'keychain',
  isEncryptionAvailable: async () => true,
  encrypt: async (plain) => Uint8Array.from(Buffer.from(`ENC|${plain}`), (b) => b ^ 0x5a),
  decrypt: async (blob) => ({
    plain: Buffer.from(Uint8Array.from(blob, (b) => b ^ 0x5a))
      .toString('utf8')
      .slice(4),
    shouldReEncrypt: false,
  }),
};

/** A core with no API key at all, pointed at the sandbox: only a sign-in can connect it. */
function startSignedOutCore(settings: SettingsStore, target: Sandbox, events: unknown[] = []): Core {
  const c = startHubCore(settings, '', target.url, { ports: { secretBox: keyring } });
  c.events.subscribe((name, payload) => void events.push({ name, payload }));
  return c;
}

/** The person with a phone: opens the link with the code, signs in as the demo user and allows. */
async function approveOnPhone(target: Sandbox, view: SignInView): Promise<void> {
  if (view.state !== 'device') throw new Error(`expected a device sign-in, got ${view.state}`);
  const entry = await getPage(view.verificationUriComplete!);
  const consent = await submit(target, entry.html, { userCode: view.userCode });
  await submit(target, consent.html);
}

describe('signing the app in with AutoPrintFarm', () => {
  it('with a code typed on another device: signed in, and the hub links and connects with the tokens, no key needed', async () => {
    sb = await startSandbox({ organization: 'Token Farm', oauth: { deviceIntervalSeconds: 1 } });
    const events: unknown[] = [];
    core = startSignedOutCore(createMemorySettingsStore(), sb, events);
    expect((await call('signIn.status')).state).toBe('signed-out');
    expect((await call('keys.status')).offerSetup).toBe(true);

    const started = await call('signIn.device');
    expect(started).toMatchObject({ state: 'device', userCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/), verificationUri: `${sb.issuer}/oauth/device` });
    await approveOnPhone(sb, started);
    // Signed in as soon as the tokens are kept; who they belong to follows from the cloud a moment later.
    const signedIn = await until(
      'signed in, and who it is',
      () => call('signIn.status'),
      (v) => v.state === 'signed-in' && v.who === sb!.demoUser.email,
      15_000,
    );
    expect(signedIn).toMatchObject({ state: 'signed-in', who: sb.demoUser.email, organization: 'Token Farm' });
    expect(signedIn.state === 'signed-in' && signedIn.scopes.sort()).toEqual(['jobs:read', 'jobs:write', 'printers:read', 'printers:write']);
    expect((await call('keys.status')).offerSetup).toBe(false);

    await call('hub.link', { name: 'Signed-in room' });
    await until('the hub to connect with the token', () => call('hub.status'), connected);
    expect(sb.connectedHubs()).toHaveLength(1);

    // Nothing the renderer hears carries a token.
    expect(JSON.stringify(events)).not.toMatch(/apfat_|apfrt_/);
    expect(JSON.stringify(await call('signIn.status'))).not.toMatch(/apfat_|apfrt_/);
  }, 30_000);

  it('in the browser on this computer: the link opens, the person allows, and the app is signed in; the tokens survive a restart', async () => {
    sb = await startSandbox();
    const settings = createMemorySettingsStore();
    core = startSignedOutCore(settings, sb);
    const started = await call('signIn.browser');
    if (started.state !== 'browser') throw new Error(`expected a browser sign-in, got ${JSON.stringify(started)}`);
    expect(started.authorizeUrl).toMatch(new RegExp(`^${sb.issuer}/oauth/authorize\\?`));
    const page = await getPage(started.authorizeUrl);
    const sent = await submit(sb, page.html);
    expect((await fetch(sent.location!)).status).toBe(200);
    await until(
      'signed in',
      () => call('signIn.status'),
      (v) => v.state === 'signed-in',
    );

    await core.close();
    core = startSignedOutCore(settings, sb);
    expect(await call('signIn.status')).toMatchObject({ state: 'signed-in', who: sb.demoUser.email });
    // And the tokens work: the app's cloud client uses them.
    await call('hub.link');
    await until('connected', () => call('hub.status'), connected);
  }, 30_000);

  it('signing out revokes the tokens at the cloud and leaves the app signed out, with no token kept in the settings', async () => {
    sb = await startSandbox({ oauth: { deviceIntervalSeconds: 1 } });
    const values = new Map<string, unknown>();
    const settings: SettingsStore = { get: (k) => structuredClone(values.get(k)), set: (k, v) => void values.set(k, structuredClone(v)), delete: (k) => void values.delete(k) };
    core = startSignedOutCore(settings, sb);
    await approveOnPhone(sb, await call('signIn.device'));
    await until(
      'signed in',
      () => call('signIn.status'),
      (v) => v.state === 'signed-in',
      15_000,
    );
    expect(JSON.stringify([...values])).not.toMatch(/apfat_|apfrt_/);

    expect(await call('signIn.signOut')).toMatchObject({ state: 'signed-out' });
    expect((await call('keys.status')).offerSetup).toBe(true);
    await expect(call('hub.link')).rejects.toThrow(/Set up an AutoPrintFarm key first/);
  }, 30_000);

  it('a declined sign-in says so and leaves the app as it was', async () => {
    sb = await startSandbox();
    core = startSignedOutCore(createMemorySettingsStore(), sb);
    const started = await call('signIn.browser');
    if (started.state !== 'browser') throw new Error('expected a browser sign-in');
    const sent = await submit(sb, (await getPage(started.authorizeUrl)).html, { decision: 'deny' });
    await fetch(sent.location!);
    expect(
      await until(
        'the refusal',
        () => call('signIn.status'),
        (v) => v.problem !== null,
      ),
    ).toMatchObject({
      state: 'signed-out',
      problem: 'The sign-in was declined in the browser.',
    });
  }, 30_000);

  it('a sign-in with fewer scopes than asked: the app says what it may do, and the cloud still refuses the rest', async () => {
    sb = await startSandbox({ oauth: { deviceIntervalSeconds: 1 } });
    const logged: string[] = [];
    core = startHubCore(createMemorySettingsStore(), '', sb.url, {
      ports: { secretBox: keyring, log: { error: (m: unknown, e?: unknown) => void logged.push(`${String(m)} ${String(e)}`) } },
    });
    const started = await call('signIn.device');
    if (started.state !== 'device') throw new Error('expected a device sign-in');
    const entry = await getPage(started.verificationUriComplete!);
    const consent = await submit(sb, entry.html, { userCode: started.userCode });
    await submit(sb, consent.html, { grant: ['printers:read', 'jobs:read'] });
    const view = await until(
      'signed in',
      () => call('signIn.status'),
      (v) => v.state === 'signed-in',
      15_000,
    );
    expect(view.state === 'signed-in' && view.scopes.sort()).toEqual(['jobs:read', 'printers:read']);
    await expect(call('hub.link')).rejects.toThrow(/printers:write/);
    // Nothing the app logged carries a token, the refusal included.
    expect(logged.join('\n')).not.toMatch(/apfat_|apfrt_/);
  }, 30_000);
});

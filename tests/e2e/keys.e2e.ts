import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { launchBrowser, screenshot, startServe, type ServedApp } from './harness';
import { filesContaining, linesContaining, startCloudProxy, type CloudProxy } from './support-keys';

let sandbox: Sandbox;
let proxy: CloudProxy;
let app: ServedApp;
let browser: Browser;
let page: Page;
let adminKey: string;
/** Every full key the run produced; none may end up on disk or in the log. */
const seen: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  adminKey = sandbox.adminKey!;
  seen.push(adminKey);
  proxy = await startCloudProxy(sandbox.url);
  app = await startServe([], { AUTOPRINTFARM_API_URL: proxy.url, AUTOPRINTFARM_API_KEY: '' });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await app.authorize(context);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin });
  page = await context.newPage();
  await page.goto(app.url);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await proxy?.close();
  await sandbox?.close();
});

const works = async (key: string) => (await fetch(`${sandbox.url}/auth/test`, { headers: { authorization: `Bearer ${key}` } })).status === 200;
const row = (name: string) => page.locator(`[data-testid="key-row"][data-key-name="${name}"]`);

describe('a new user connects the app to the cloud and manages keys', () => {
  it('is offered setup on first run and can open the wizard', async () => {
    await expect.poll(() => page.getByTestId('setup-banner').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('link', { name: 'Set up cloud key' }).click();
    await expect.poll(() => page.getByTestId('setup').getAttribute('data-step')).toBe('enter');
    expect(await page.getByRole('button', { name: 'Skip: use the app offline' }).count()).toBe(1);
    await screenshot(page, 'setup-1-paste');
  });

  it('refuses a production key for the local sandbox, with what to do', async () => {
    const live = sandbox.createKey({ name: 'Live by mistake', scopes: ['printers:read'], prefix: 'apf_live_' }).key;
    seen.push(live);
    await page.fill('#api-key', live);
    await page.getByRole('button', { name: 'Check key' }).click();
    const failure = page.getByTestId('setup-failure');
    await expect.poll(() => failure.getAttribute('data-kind')).toBe('environment_mismatch');
    expect(await failure.textContent()).toContain('apf_dev_');
    expect(await page.inputValue('#api-key')).toBe('');
    await screenshot(page, 'setup-2-check-failed');
  });

  it('when the cloud cannot be reached, says so and that the app keeps working locally', async () => {
    proxy.setOffline(true);
    await page.fill('#api-key', adminKey);
    await page.getByRole('button', { name: 'Check key' }).click();
    const failure = page.getByTestId('setup-failure');
    await expect.poll(() => failure.getAttribute('data-kind'), { timeout: 15_000 }).toBe('offline');
    expect(await failure.textContent()).toContain('keeps working locally');
    await screenshot(page, 'setup-2-offline');
    proxy.setOffline(false);
  });

  it('checks a pasted sandbox admin key and reviews what it allows, warning about admin access', async () => {
    proxy.hold();
    await page.fill('#api-key', `  ${adminKey}\n`);
    await page.getByRole('button', { name: 'Check key' }).click();
    await proxy.nextHeld();
    await expect.poll(() => page.getByTestId('setup').getAttribute('data-step')).toBe('checking');
    await screenshot(page, 'setup-2-checking');
    proxy.release();
    await expect.poll(() => page.getByTestId('setup').getAttribute('data-step'), { timeout: 15_000 }).toBe('review');
    expect(await page.getByTestId('review-organization').textContent()).toBe('Sandbox Farm');
    expect(await page.getByTestId('review-mask').textContent()).toBe(`apf_dev_…${adminKey.slice(-4)}`);
    expect(await page.getByTestId('setup-review').textContent()).toContain('were removed');
    expect(await page.getByTestId('review-warning').first().textContent()).toContain('admin key (admin:*)');
    // No keyring on this host: the review says so before anything is saved.
    expect(await page.getByTestId('review-storage').textContent()).toContain('no secure key storage');
    await screenshot(page, 'setup-3-review');
  });

  it('keeps the key for this session only and explains why', async () => {
    await page.getByRole('button', { name: 'Use key for this session' }).click();
    await expect.poll(() => page.getByTestId('setup').getAttribute('data-step')).toBe('done');
    expect(await page.getByTestId('setup-outcome').getAttribute('data-outcome')).toBe('session-only');
    expect(await page.getByTestId('setup-outcome').textContent()).toMatch(/no secure key storage.*kept in memory until you quit/);
    await screenshot(page, 'setup-4-done');
    expect(await page.content()).not.toContain(adminKey);
  });

  it("lists the organization's keys, marking the one this app uses", async () => {
    await page.getByRole('link', { name: 'Keys', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="key-row"][data-app-key="true"]').count(), { timeout: 15_000 }).toBe(1);
    expect(await row('Sandbox admin').textContent()).toContain('This app');
    expect(await page.getByTestId('admin-via').textContent()).toContain("this app's admin key");
    await screenshot(page, 'keys');
  });

  it('creates a read-only key from a preset and shows it once', async () => {
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByTestId('create-key-dialog');
    await dialog.locator('#new-key-name').fill('Wall display');
    await dialog.getByRole('button', { name: 'Read-only monitor' }).click();
    await screenshot(page, 'keys-create');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('show-once-key');
    await expect.poll(() => shown.count()).toBe(1);
    const secret = await shown.inputValue();
    seen.push(secret);
    expect(secret).toMatch(/^apf_dev_[0-9a-f]{64}$/);
    expect(await works(secret)).toBe(true);
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Copied' }).count()).toBe(1);
    await screenshot(page, 'keys-show-once');
    await page.getByRole('button', { name: 'I have saved the key' }).click();
    await expect.poll(() => row('Wall display').count()).toBe(1);
    expect(await page.content()).not.toContain(secret);
    expect(await row('Wall display').textContent()).toContain('printers:read, jobs:read, analytics:read');
  });

  it('rolls the new key with the 24-hour overlap explained, and shows the successor once', async () => {
    const before = seen.at(-1)!;
    await row('Wall display').getByRole('button', { name: 'Roll Wall display' }).click();
    expect(await page.getByTestId('roll-dialog').textContent()).toContain('24 hours');
    await screenshot(page, 'keys-roll');
    await page.getByTestId('roll-dialog').getByRole('button', { name: 'Roll key' }).click();
    const shown = page.getByTestId('show-once-key');
    await expect.poll(() => shown.count()).toBe(1);
    const rolled = await shown.inputValue();
    seen.push(rolled);
    expect(rolled).not.toBe(before);
    expect(await works(rolled)).toBe(true);
    expect(await works(before)).toBe(true);
    await page.getByRole('button', { name: 'I have saved the key' }).click();
    await expect.poll(() => row('Wall display').count()).toBe(2);
    await expect.poll(() => row('Wall display').filter({ hasText: 'Rolled: works until' }).count()).toBe(1);
  });

  it('revokes the rolled key only after its name is typed', async () => {
    const rolled = seen.at(-1)!;
    const fresh = row('Wall display').filter({ hasNotText: 'Rolled: works until' });
    await fresh.getByRole('button', { name: 'Revoke Wall display' }).click();
    const dialog = page.getByTestId('revoke-dialog');
    const confirm = dialog.getByRole('button', { name: 'Revoke key' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.locator('#revoke-confirm').fill('Wall displa');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.locator('#revoke-confirm').fill('Wall display');
    expect(await confirm.isDisabled()).toBe(false);
    await screenshot(page, 'keys-revoke');
    await confirm.click();
    await expect.poll(() => page.getByTestId('keys-notice').textContent()).toContain('revoked');
    await expect.poll(() => row('Wall display').count()).toBe(1);
    expect(await works(rolled)).toBe(false);
    await screenshot(page, 'keys-after-revoke');
  });

  it("rolls this app's own key: the app checks and keeps the new key itself, nothing is shown", async () => {
    await row('Sandbox admin').getByRole('button', { name: 'Roll Sandbox admin' }).click();
    expect(await page.getByTestId('roll-dialog').textContent()).toContain('switches to it by itself');
    await page.getByTestId('roll-dialog').getByRole('button', { name: 'Roll key' }).click();
    await expect.poll(() => page.getByTestId('keys-notice').textContent(), { timeout: 15_000 }).toContain('now uses the new key');
    expect(await page.getByTestId('show-once-dialog').count()).toBe(0);
    await expect.poll(() => row('Sandbox admin').count()).toBe(2);
    const appRow = page.locator('[data-testid="key-row"][data-app-key="true"]');
    await expect.poll(() => appRow.count()).toBe(1);
    expect(await appRow.textContent()).not.toContain('Rolled: works until');
    expect(await appRow.textContent()).not.toContain(adminKey.slice(-4));
  });

  it('shows the cloud connection in Settings with the mask only', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect.poll(() => page.getByTestId('cloud-key-state').getAttribute('data-state')).toBe('session-only');
    expect(await page.getByTestId('cloud-key-mask').textContent()).toMatch(/^apf_dev_…[0-9a-f]{4} $/);
    expect(await page.getByTestId('cloud-key-mask').textContent()).not.toContain(adminKey.slice(-4));
    await screenshot(page, 'settings-cloud');
  });

  it('after setup again with an operator key, the key screen asks for an admin key for this session only', async () => {
    const operator = sandbox.createKey({ name: 'Farm operator', scopes: ['printers:read', 'printers:write', 'jobs:read', 'jobs:write'] }).key;
    seen.push(operator);
    await page.getByRole('button', { name: 'Run setup again' }).click();
    await page.fill('#api-key', operator);
    await page.getByRole('button', { name: 'Check key' }).click();
    await expect.poll(() => page.getByTestId('setup').getAttribute('data-step'), { timeout: 15_000 }).toBe('review');
    expect(await page.getByTestId('review-cannot').textContent()).toContain('Manage API keys (admin:*)');
    await page.getByRole('button', { name: 'Use key for this session' }).click();
    await expect.poll(() => page.getByTestId('setup').getAttribute('data-step')).toBe('done');

    await page.getByRole('link', { name: 'Keys', exact: true }).click();
    await expect.poll(() => page.getByTestId('admin-needed').getAttribute('data-reason'), { timeout: 15_000 }).toBe('not_admin');
    await screenshot(page, 'keys-admin-needed');
    // The pre-roll admin key still works: it is inside its 24-hour overlap.
    await page.fill('#admin-key', adminKey);
    await page.getByRole('button', { name: 'Use for this session' }).click();
    await expect.poll(() => page.getByTestId('admin-via').textContent(), { timeout: 15_000 }).toContain('for this session only');
    expect(await row('Farm operator').textContent()).toContain('This app');
    await screenshot(page, 'keys-session-admin');
  });

  it('left no full key in any file of the data folder or any line of the log', async () => {
    expect(seen).toHaveLength(5);
    expect(filesContaining(app.dataDir, seen)).toEqual([]);
    expect(linesContaining(app.stderr.join(''), seen)).toEqual([]);
  });
});

/**
 * Spools kept in step with the sandbox cloud's filament records, through `apf serve` and Chromium: a spool added on
 * the Spools screen appears in the cloud by itself; an edit made in the cloud shows on the Spools screen after "Sync
 * now"; when both sides changed a spool, the newer edit wins and the strip lists the conflict. A second app whose key
 * has no materials scope says why it does not sync, and the cloud never hears a materials request from it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { call as rest } from '../sandbox/test-support';
import { launchBrowser, screenshot, startServe, type ServedApp } from './harness';

let sandbox: Sandbox;
let app: ServedApp;
let browser: Browser;
let page: Page;
let key: string;

interface Record {
  id: string;
  type: string;
  color: string;
  hex_code: string;
  brand: string;
  remaining_grams: number;
}
const records = async () => ((await rest(sandbox, key, 'GET', '/materials/filament')).json as { data: Record[] }).data;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  key = sandbox.createKey({ name: 'Farm PC', scopes: ['printers:read', 'jobs:read', 'materials:read', 'materials:write'] }).key;
  app = await startServe([], { AUTOPRINTFARM_API_URL: sandbox.url, AUTOPRINTFARM_API_KEY: key });
  browser = await launchBrowser();
  page = await app.newPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${app.url}#/spools`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sandbox?.close();
});

describe('spools in step with the cloud, from the Spools screen', () => {
  it('a spool added here appears in the cloud with its colour and grams, without its cost', async () => {
    await expect.poll(() => page.getByTestId('material-sync-state').textContent(), { timeout: 15_000 }).toMatch(/in step|^on/);
    await page.getByTestId('spool-add').click();
    const dialog = page.getByTestId('spool-dialog');
    await dialog.locator('input[name="material"]').fill('PETG');
    await dialog.locator('input[name="brand"]').fill('Prusament');
    await dialog.locator('input[name="colourHex"]').fill('#101010');
    await dialog.locator('input[name="colourName"]').fill('Galaxy black');
    await dialog.locator('input[name="remainingG"]').fill('640');
    await dialog.locator('input[name="cost"]').fill('29.90');
    await dialog.getByRole('button', { name: 'Add spool' }).click();
    await expect.poll(() => page.getByTestId('spool-row').count()).toBe(1);

    await expect.poll(async () => (await records()).length, { timeout: 15_000 }).toBe(1);
    const [record] = await records();
    expect(record).toMatchObject({ type: 'PETG', color: 'Galaxy black', hex_code: '#101010', brand: 'Prusament', remaining_grams: 640 });
    expect(JSON.stringify(record)).not.toContain('29.9');
    await expect.poll(() => page.getByTestId('material-sync-state').textContent(), { timeout: 10_000 }).toMatch(/in step/);
    await screenshot(page, 'material-sync-1-pushed');
  });

  it('an edit made in the cloud shows on the Spools screen after Sync now', async () => {
    const [record] = await records();
    const edited = await rest(sandbox, key, 'PATCH', `/materials/filament/${record!.id}`, { remaining_grams: 512, color: 'Black' });
    expect(edited.status).toBe(200);
    await page.getByTestId('material-sync-now').click();
    const row = page.getByTestId('spool-row');
    await expect.poll(() => row.getByTestId('spool-remaining').textContent(), { timeout: 10_000 }).toBe('512 g');
    await expect.poll(() => row.textContent()).toContain('Black');
  });

  it('edited on both sides: the newer edit (here) wins, the cloud gets it, and the strip lists the conflict', async () => {
    const [record] = await records();
    await rest(sandbox, key, 'PATCH', `/materials/filament/${record!.id}`, { remaining_grams: 480 });
    // A moment later, here (before the app has heard of the cloud's edit).
    await new Promise((r) => setTimeout(r, 20));
    await page.getByTestId('spool-row').getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByTestId('spool-dialog');
    await dialog.locator('input[name="remainingG"]').fill('450');
    await dialog.getByRole('button', { name: 'Save' }).click();

    await expect.poll(async () => (await records())[0]!.remaining_grams, { timeout: 15_000 }).toBe(450);
    await expect.poll(() => page.getByTestId('material-sync-conflicts-toggle').count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('material-sync-conflicts-toggle').click();
    const conflict = page.getByTestId('material-sync-conflict');
    await expect.poll(() => conflict.count()).toBe(1);
    expect(await conflict.textContent()).toMatch(/Your edit of .+ replaced the cloud's of .+: remaining 480 g → 450 g/);
    expect(await page.getByTestId('spool-row').getByTestId('spool-remaining').textContent()).toBe('450 g');
    await screenshot(page, 'material-sync-2-conflict');
  });
});

describe('a key without a materials scope', () => {
  let other: ServedApp;
  let otherPage: Page;
  afterAll(async () => {
    await otherPage?.context().close();
    await other?.stop();
  });

  it('says why spools stay on this computer, and the cloud hears no materials request from it', async () => {
    const before = sandbox.requestsSeen().filter((r) => r.includes('/materials/')).length;
    const printersOnly = sandbox.createKey({ name: 'Room B', scopes: ['printers:read', 'printers:write', 'jobs:read', 'jobs:write'] }).key;
    other = await startServe([], { AUTOPRINTFARM_API_URL: sandbox.url, AUTOPRINTFARM_API_KEY: printersOnly });
    otherPage = await other.newPage(browser, { viewport: { width: 1280, height: 900 } });
    await otherPage.goto(`${other.url}#/spools`);
    await expect
      .poll(() => otherPage.getByTestId('material-sync-reason').textContent(), { timeout: 15_000 })
      .toBe('This key has no materials scope: spools stay on this computer.');
    expect(await otherPage.getByTestId('material-sync-now').count()).toBe(0);
    await screenshot(otherPage, 'material-sync-3-no-scope');
    expect(sandbox.requestsSeen().filter((r) => r.includes('/materials/')).length).toBe(before);
  });
});

/**
 * `apf serve` as a hub of the sandbox cloud, driven from its own UI in Chromium: the operator links the farm PC
 * and publishes a printer on the Cloud screen; a job created and started through the cloud's API prints on that
 * virtual printer, shows on the Cloud screen with its cloud id, and the cloud reports it completed. Deleting the
 * hub's key then stops the hub with a message saying why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_SCOPES, uploadFile } from '../sandbox/hub-fixtures';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { call as rest } from '../sandbox/test-support';
import { launchBrowser, screenshot, startServe, type ServedApp } from './harness';

let sandbox: Sandbox;
let app: ServedApp;
let browser: Browser;
let page: Page;
let hubKey: { id: string; key: string };

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, organization: 'Room Farm' });
  hubKey = sandbox.createKey({ name: 'Farm PC', scopes: HUB_SCOPES });
  // The key comes from the environment, as on a screenless farm PC; virtual printers run 400 times faster.
  app = await startServe([], { AUTOPRINTFARM_API_URL: sandbox.url, AUTOPRINTFARM_API_KEY: hubKey.key, APF_VIRTUAL_SPEED: '400' });
  browser = await launchBrowser();
  page = await app.newPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${app.url}#/cloud`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sandbox?.close();
});

let hubId = '';
let cloudPrinterId = '';

describe('the farm PC as a hub of the cloud, from its own UI', () => {
  it('links this computer as a hub and shows it connected under the name the cloud gave it', async () => {
    await page.getByRole('button', { name: 'Link this computer as a hub' }).click();
    await expect.poll(() => page.getByTestId('hub-state').textContent(), { timeout: 15_000 }).toContain('Connected');
    const hubs = (await rest(sandbox, hubKey.key, 'GET', '/hubs')).json as { data: { id: string; name: string; is_online: boolean }[] };
    expect(hubs.data).toHaveLength(1);
    hubId = hubs.data[0]!.id;
    expect(hubs.data[0]!.is_online).toBe(true);
    expect(await page.getByTestId('hub-status').textContent()).toContain(hubs.data[0]!.name);
  });

  it('publishes the virtual printer with its switch, and the cloud lists it on this hub', async () => {
    // The switch follows the host's answer, so it turns on once the cloud has the printer.
    const published = page.getByRole('switch').first();
    await published.click();
    await expect.poll(() => published.isChecked(), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => ((await rest(sandbox, hubKey.key, 'GET', `/hubs/${hubId}`)).json as { printer_ids: string[] }).printer_ids.length, { timeout: 10_000 }).toBe(1);
    cloudPrinterId = ((await rest(sandbox, hubKey.key, 'GET', `/hubs/${hubId}`)).json as { printer_ids: string[] }).printer_ids[0]!;
    expect((await rest(sandbox, hubKey.key, 'GET', `/printers/${cloudPrinterId}`)).json).toMatchObject({ connection_type: 'virtual', hub_id: hubId });
    await screenshot(page, 'cloud-1-linked-published');
  });

  it('a job created through the cloud API prints here, shows on the Cloud screen with its cloud id, and completes in the cloud', async () => {
    const gcode = readFileSync(join(__dirname, '../fixtures/gcode/prusaslicer.gcode'));
    const file = await uploadFile(sandbox, hubKey.key, 'cloud-benchy.gcode', gcode);
    const job = (await rest(sandbox, hubKey.key, 'POST', '/jobs', { name: 'Cloud benchy', file_id: file.id, printer_id: cloudPrinterId })).json as { id: string };
    expect((await rest(sandbox, hubKey.key, 'POST', `/jobs/${job.id}/start`)).status).toBeLessThan(300);

    const row = page.locator(`[data-testid="cloud-job"][data-cloud-job-id="${job.id}"]`);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.textContent()).toContain('cloud-benchy.gcode');
    await expect.poll(async () => ((await rest(sandbox, hubKey.key, 'GET', `/jobs/${job.id}`)).json as { status: string }).status, { timeout: 30_000 }).toBe('completed');
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('completed');
    await expect.poll(() => page.getByTestId('hub-outbox').textContent(), { timeout: 10_000 }).toBe('0 job event(s)');
    await screenshot(page, 'cloud-2-job-completed');
  });

  it('when the hub key is deleted in the cloud, the screen says the hub stopped, why, and where to fix it', async () => {
    const admin = sandbox.createKey({ name: 'Admin', scopes: ['admin:*'] }).key;
    expect((await rest(sandbox, admin, 'DELETE', `/api-keys/${hubKey.id}`)).status).toBe(204);
    const stopped = page.getByTestId('hub-stopped');
    await expect.poll(() => stopped.count(), { timeout: 10_000 }).toBe(1);
    expect(await stopped.textContent()).toMatch(/revoked or has expired/);
    expect(await stopped.getByRole('link', { name: 'Open Keys' }).getAttribute('href')).toBe('#/keys');
    expect(sandbox.connectedHubs()).toEqual([]);
    await screenshot(page, 'cloud-3-key-revoked');
  });
});

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoonrakerPeer, type MoonrakerPeer } from '../peers/moonraker-peer';
import { RpcClient } from '../support/rpc-client';
import { launchBrowser, screenshot, startServe, type ServedApp } from './harness';

const FIXTURE = join(__dirname, '../fixtures/gcode/prusaslicer.gcode');

let app: ServedApp;
let browser: Browser;
let page: Page;
let klipper: MoonrakerPeer;
let rpc: RpcClient;

beforeAll(async () => {
  klipper = await startMoonrakerPeer();
  app = await startServe([], { APF_VIRTUAL_SPEED: '60' });
  browser = await launchBrowser();
  page = await app.newPage(browser, { viewport: { width: 1600, height: 900 } });
  await page.goto(app.url);
  rpc = await app.rpc();
});

afterAll(async () => {
  rpc?.close();
  await browser?.close();
  await app?.stop();
  await klipper?.close();
});

const tiles = () => page.getByTestId('wall-tile');

describe('the fleet wall', () => {
  it('shows every printer with what it needs from a person, those needing someone first', async () => {
    await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('open');
    await page.getByRole('button', { name: 'Add virtual printer' }).click();
    await rpc.request('printers.add', { kind: 'moonraker', name: 'Voron on the shelf', url: klipper.url });
    await rpc.request('printers.add', { kind: 'moonraker', name: 'Unplugged Ender', url: 'http://127.0.0.1:9' });

    // One print finishes on a virtual printer and leaves its bed to clear.
    await page.getByRole('link', { name: 'Library' }).click();
    await page.getByTestId('library-file-input').setInputFiles(FIXTURE);
    const file = page.getByTestId('library-file');
    await expect.poll(() => file.getByRole('button', { name: 'Print…' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    await file.getByRole('button', { name: 'Print…' }).click();
    await page.getByTestId('queue-printer').selectOption({ label: 'Only Virtual Printer' });
    await page.getByTestId('queue-submit').click();
    await expect.poll(() => page.locator('[data-testid="job-row"][data-state="completed"]').count(), { timeout: 45_000, interval: 250 }).toBe(1);

    // Someone started a print of the library's file on the Voron's own screen: 40 % is layer 20 of 50 there.
    klipper.printer.files.set('prusaslicer.gcode', Buffer.from('G28\nG1 X10\n'));
    klipper.printer.start('prusaslicer.gcode');
    klipper.printer.advance(0.4);

    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.getByTestId('open-wall').click();
    await expect.poll(() => tiles().count()).toBe(4);
    await expect
      .poll(async () => (await tiles().evaluateAll((els) => els.map((e) => e.getAttribute('data-attention')))).join(','), { timeout: 20_000 })
      .toBe('Clear bed,Offline,Printing,Ready');
    const printing = tiles().filter({ hasText: 'Voron on the shelf' });
    await expect.poll(() => printing.getByTestId('wall-layer').textContent(), { timeout: 10_000 }).toBe('Layer 20 / 50');
    expect(await printing.getByTestId('wall-job-name').textContent()).toBe('prusaslicer.gcode');
    // No camera: the slicer's thumbnail of the file it prints.
    await expect.poll(() => printing.getByTestId('wall-thumbnail').getAttribute('src')).toMatch(/^data:image\/(png|jpeg);base64,/);
    expect(await printing.textContent()).toMatch(/40 %/);
    expect(await page.getByTestId('wall-summary').textContent()).toContain('1 need someone');
    // The wall is the whole screen: no sidebar.
    expect(await page.locator('.sidebar').count()).toBe(0);
    await screenshot(page, 'fleet-wall');
  });

  it('moves between tiles with the arrow keys and opens the focused printer with Enter', async () => {
    const ids = await tiles().evaluateAll((els) => els.map((e) => e.getAttribute('data-printer-id')));
    await tiles().first().focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-printer-id'))).toBe(ids[1]);
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-printer-id'))).toBe(ids[3]);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/printers/${ids[2]}`);
    await expect.poll(() => page.locator('#printer-title').textContent()).toBe('Voron on the shelf');
  });

  it('clearing the bed moves that printer down to Ready', async () => {
    await page.goto(`${app.url}#/jobs`);
    await page.getByTestId('bed-clear-banner').getByRole('button').first().click();
    await page.goto(`${app.url}#/wall`);
    await expect
      .poll(async () => (await tiles().evaluateAll((els) => els.map((e) => e.getAttribute('data-attention')))).join(','), { timeout: 10_000 })
      .toBe('Offline,Printing,Ready,Ready');
  });
});

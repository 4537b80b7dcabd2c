import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServe, type ServedApp } from './harness';

let app: ServedApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // This browser opens the start link itself, as the farm's admin would.
  app = await startServe([], {}, { keepStartLink: true });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(app.startUrl);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a new user on a farm PC with no screen', () => {
  it('sees the fleet with the built-in virtual printer, connected and live', async () => {
    await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('open');
    const card = page.getByTestId('printer-card');
    await expect.poll(() => card.count()).toBe(1);
    await expect.poll(() => card.getByTestId('printer-state').textContent(), { timeout: 15_000 }).toBe('Ready');
    await expect.poll(() => card.getByTestId('hotend-temp').textContent()).toMatch(/\d+\.\d °C/);
    expect(await card.textContent()).toContain('Built-in virtual printer');
    await screenshot(page, 'fleet');
  });

  it('swaps the start link for a session: the token leaves the address bar, and the link opens nothing twice', async () => {
    expect(page.url()).not.toContain('token=');
    const other = await browser.newPage();
    await other.goto(app.startUrl);
    expect(await other.textContent('h1')).toBe('This link was already used');
    expect(await other.textContent('body')).toContain('pair this device');
    await other.close();
  });

  it('sets the hotend to 200 °C on the printer page and sees the chart climb', async () => {
    await page.getByTestId('printer-card').first().click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Virtual Printer');
    const chart = page.getByTestId('temperature-chart');
    await page.fill('#target-hotend', '200');
    await page.locator('[data-testid="heater-hotend"] button[type="submit"]').click();
    await expect.poll(() => page.getByTestId('hotend-reading').textContent()).toContain('/ 200 °C');
    const start = Number(await chart.getAttribute('data-last-hotend'));
    await expect.poll(async () => Number(await chart.getAttribute('data-last-hotend')), { timeout: 20_000, interval: 500 }).toBeGreaterThan(start + 10);
    const points = Number(await chart.getAttribute('data-points'));
    expect(points).toBeGreaterThan(3);
    await screenshot(page, 'printer');
  });

  it('homes the printer from its page', async () => {
    await page.getByRole('button', { name: 'Home all' }).click();
    await expect.poll(() => page.getByTestId('position').textContent(), { timeout: 20_000 }).toContain('X 0.00 · Y 0.00 · Z 0.00');
  });

  it('jogs the head by the chosen step and shows the new position', async () => {
    await page.getByText('1 mm', { exact: true }).click();
    await page.getByRole('button', { name: 'Move X +1 mm' }).click();
    await page.getByRole('button', { name: 'Move Y +1 mm' }).click();
    await expect.poll(() => page.getByTestId('position').textContent(), { timeout: 10_000 }).toContain('X 1.00 · Y 1.00');
  });

  it('sends a command from the console and shows the answer, with ↑ recalling it', async () => {
    await page.fill('#console-input', 'M115');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('console-log').textContent(), { timeout: 10_000 }).toContain('FIRMWARE_NAME:Marlin');
    await page.locator('#console-input').press('ArrowUp');
    expect(await page.inputValue('#console-input')).toBe('M115');
    await page.fill('#console-input', '');
  });

  it('rejects an out-of-range temperature in the form with a clear message', async () => {
    await page.fill('#target-bed', '500');
    await page.locator('[data-testid="heater-bed"] button[type="submit"]').click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('0 to 150 °C');
  });

  it('navigates every screen and switches to the dark theme', async () => {
    for (const [name, label] of [
      ['jobs', 'Jobs'],
      ['library', 'Library'],
      ['keys', 'Keys'],
      ['settings', 'Settings'],
    ] as const) {
      await page.getByRole('link', { name: label, exact: true }).click();
      await expect.poll(() => page.locator('h1').first().textContent()).toBeTruthy();
      await screenshot(page, name);
    }
    await page.getByLabel('Dark').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await screenshot(page, 'fleet-dark');
  });

  it('keeps the theme after a reload, from the saved settings', async () => {
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  });
});

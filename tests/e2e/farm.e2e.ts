import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrinterView } from '../../electron/core/contract';
import { startMoonrakerPeer, type MoonrakerPeer } from '../peers/moonraker-peer';
import { RpcClient } from '../support/rpc-client';
import { launchBrowser, screenshot, startServe, type ServedApp } from './harness';

const FIXTURE = join(__dirname, '../fixtures/gcode/prusaslicer.gcode');

let app: ServedApp;
let browser: Browser;
let page: Page;
let klipper: MoonrakerPeer | undefined;
let rpc: RpcClient | undefined;

beforeAll(async () => {
  // Virtual printers 60× faster: heating and a small print take seconds, slow enough to watch them dispatch.
  app = await startServe([], { APF_VIRTUAL_SPEED: '60' });
  browser = await launchBrowser();
  page = await app.newPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(app.url);
});

afterAll(async () => {
  rpc?.close();
  await browser?.close();
  await app?.stop();
  await klipper?.close();
});

const rows = (state: string) => page.locator(`[data-testid="job-row"][data-state="${state}"]`);

describe('a print farm run from one queue', () => {
  it('has three virtual printers after adding two from the fleet screen', async () => {
    await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('open');
    const add = page.getByRole('button', { name: 'Add virtual printer' });
    await add.click();
    await expect.poll(() => page.getByTestId('printer-card').count()).toBe(2);
    await add.click();
    await expect.poll(() => page.getByTestId('printer-card').count()).toBe(3);
    await expect.poll(() => page.getByTestId('printer-state').allTextContents(), { timeout: 15_000 }).toEqual(['Ready', 'Ready', 'Ready']);
  });

  it('adds a slicer file to the library with the file picker and shows its analysis and thumbnail', async () => {
    await page.getByRole('link', { name: 'Library' }).click();
    await page.getByTestId('library-file-input').setInputFiles(FIXTURE);
    const card = page.getByTestId('library-file');
    await expect.poll(() => card.count()).toBe(1);
    await expect.poll(() => card.getByRole('button', { name: 'Print…' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    const text = await card.textContent();
    expect(text).toContain('prusaslicer.gcode');
    expect(text).toContain('PrusaSlicer');
    expect(text).toContain('MK4');
    expect(await card.locator('img').getAttribute('src')).toMatch(/^data:image\/(png|jpeg);base64,/);
    await screenshot(page, 'library');
  });

  it('refuses a file that is not G-code with a clear message and does not add it', async () => {
    await page.getByTestId('library-file-input').setInputFiles({
      name: 'photo.gcode',
      mimeType: 'application/octet-stream',
      buffer: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.alloc(4096, 0)]),
    });
    await expect.poll(() => page.locator('.toast-error').first().textContent()).toMatch(/photo\.gcode: .*(binary|not G-code)/);
    expect(await page.getByTestId('library-file').count()).toBe(1);
  });

  it('queues three copies for any compatible printer and watches them dispatch', async () => {
    // The dialog names its request, so a press repeated after a lost reply cannot queue the copies twice.
    const sent: string[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => typeof f.payload === 'string' && f.payload.includes('"jobs.enqueue"') && sent.push(f.payload)));
    await page.reload();
    await page.getByRole('link', { name: 'Library', exact: true }).click();
    await page.getByTestId('library-file').getByRole('button', { name: 'Print…' }).click();
    await page.getByTestId('queue-copies').fill('3');
    await page.getByTestId('queue-submit').click();
    await expect.poll(() => sent.length).toBe(1);
    expect(JSON.parse(sent[0]!).params.requestId).toMatch(/^q-[0-9a-f]{32}$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Jobs');
    // Staggered starts (two at a time by default), then all three running or done.
    await expect.poll(async () => (await rows('starting').count()) + (await rows('printing').count()), { timeout: 20_000, interval: 100 }).toBeGreaterThan(0);
    await expect.poll(() => rows('completed').count(), { timeout: 45_000, interval: 250 }).toBe(3);
  });

  it('holds every printer until its bed is confirmed clear', async () => {
    const banner = page.getByTestId('bed-clear-banner');
    await expect.poll(() => banner.getByRole('button').count()).toBe(3);
    await screenshot(page, 'jobs');
    for (let left = 3; left > 0; left--) {
      await banner.getByRole('button').first().click();
      await expect.poll(() => banner.getByRole('button').count()).toBe(left - 1);
    }
    expect(await page.getByTestId('bed-clear-banner').count()).toBe(0);
  });

  it('shows the three prints in the history with charts, and exports them as CSV', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    await expect.poll(() => page.getByTestId('history-table').locator('tbody tr').count()).toBe(3);
    expect(await page.getByTestId('history-summary').textContent()).toContain('100 %');
    await expect.poll(() => page.getByTestId('chart-utilisation').locator('canvas').count()).toBe(1);
    await expect.poll(() => page.getByTestId('chart-per-day').locator('canvas').count()).toBe(1);
    await expect.poll(() => page.getByTestId('chart-filament').locator('canvas').count()).toBe(1);
    await screenshot(page, 'history');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export').click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).every((l) => l.includes('prusaslicer.gcode,completed'))).toBe(true);
  });

  it('records a print started on a network printer by hand in the history, marked "by hand"', async () => {
    klipper = await startMoonrakerPeer();
    rpc = await app.rpc();
    const added = await rpc.request('printers.add', { kind: 'moonraker', name: 'Workshop Klipper', url: klipper.url });
    const printerId = (added.result as { printer: PrinterView }).printer.id;
    const state = async () => ((await rpc!.request('printers.get', { printerId })).result as PrinterView).status.state;
    await expect.poll(async () => (await state()).kind, { timeout: 15_000 }).toBe('idle');

    // Someone starts a print on the printer's own screen; the app only watches it.
    klipper.printer.files.set('by-hand.gcode', Buffer.from('G28\nG1 X10\n'));
    klipper.printer.start('by-hand.gcode');
    klipper.printer.advance(0.4);
    klipper.printer.advance(0.99);
    await expect
      .poll(async () => {
        const s = await state();
        return s.kind === 'printing' ? s.job.fraction : null;
      })
      .toBe(0.99);
    klipper.printer.finish();

    await page.getByRole('link', { name: 'History' }).click();
    const manualRow = page.getByTestId('history-table').locator('tbody tr[data-source="manual"]');
    await expect.poll(() => manualRow.count(), { timeout: 15_000 }).toBe(1);
    expect(await manualRow.textContent()).toMatch(/by-hand\.gcode\s*by hand\s*Workshop Klipper\s*completed/);
    expect(await page.getByTestId('history-table').locator('tbody tr').count()).toBe(4);
    expect(await page.getByTestId('history-manual-count').textContent()).toBe('1 print was started by hand on a printer, not from the queue.');
    await screenshot(page, 'history-by-hand');
  });
});

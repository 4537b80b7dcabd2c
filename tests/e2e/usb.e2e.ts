import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServe, type ServedApp } from './harness';

const root = join(__dirname, '../..');
const SLICER_FILE = join(root, 'tests/fixtures/gcode/prusaslicer.gcode');
let board: ChildProcess;
let ptyPath: string;
let app: ServedApp;
let browser: Browser;
let page: Page;

/** A simulated Marlin board on one end of a socat pseudo-terminal pair, like a printer on /dev/ttyUSB0. */
async function startPtyPrinter(): Promise<{ child: ChildProcess; path: string }> {
  // 200× speed: heating and moves of a real slicer file take seconds instead of the print's real half hour.
  // A 57600 baud link keeps streaming the file a few seconds long, so the board can be pulled mid-print.
  const args = ['virtual-printer', '--pty', '--speed', '200', '--baud', '57600'];
  const child = spawn(process.execPath, [join(root, 'bin/apf.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const path = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('apf virtual-printer printed no APF_PTY line')), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^APF_PTY=(\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`apf virtual-printer exited with ${code}`)));
  });
  return { child, path };
}

/** From the Library screen: queue the slicer file for the USB printer. */
async function queueSlicerFile(): Promise<void> {
  const file = page.getByTestId('library-file').filter({ hasText: 'prusaslicer.gcode' });
  await expect.poll(() => file.getByRole('button', { name: 'Print…' }).isEnabled(), { timeout: 15_000 }).toBe(true);
  await file.getByRole('button', { name: 'Print…' }).click();
  const choice = page.getByTestId('queue-printer');
  const value = await choice.locator('option', { hasText: 'Bench Marlin' }).getAttribute('value');
  await choice.selectOption(value);
  await page.getByTestId('queue-submit').click();
}

beforeAll(async () => {
  ({ child: board, path: ptyPath } = await startPtyPrinter());
  app = await startServe();
  browser = await launchBrowser();
  page = await app.newPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(app.url);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  board?.kill('SIGTERM');
});

describe('a USB printer', () => {
  it('is added from the fleet with the port typed in and the baud rate detected', async () => {
    await page.getByRole('button', { name: 'Add USB printer' }).click();
    const dialog = page.getByTestId('add-usb-dialog');
    await expect.poll(() => dialog.getByRole('button', { name: 'Refresh' }).isEnabled()).toBe(true);
    await screenshot(page, 'add-usb-printer');
    await dialog.getByLabel('Name').fill('Bench Marlin');
    await dialog.getByLabel('Serial port').selectOption('__other__');
    await dialog.getByLabel('Port path').fill(ptyPath);
    await dialog.getByRole('button', { name: 'Add printer' }).click();
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 30_000 }).toBe('Bench Marlin');
    await expect.poll(() => page.getByTestId('printer-state').first().textContent(), { timeout: 20_000 }).toBe('Ready');
    expect(await page.locator('main').textContent()).toContain('USB (Marlin)');
  });

  it('answers the console over the serial link', async () => {
    await page.fill('#console-input', 'M115');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('console-log').textContent(), { timeout: 10_000 }).toContain('FIRMWARE_NAME:Marlin');
    await screenshot(page, 'usb-printer');
  });

  it('switches to buffered streaming in the connection panel, refusing an impossible receive buffer first', async () => {
    const panel = page.getByTestId('serial-settings');
    expect(await panel.getAttribute('open')).toBeNull();
    await panel.getByText('Connection and scripts').click();
    await panel.getByRole('radio', { name: /Buffered/ }).check();
    await panel.getByLabel('Firmware receive buffer (bytes)').fill('16');
    await panel.getByRole('button', { name: 'Save and reconnect' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toMatch(/at least 64 bytes/);
    await panel.getByLabel('Firmware receive buffer (bytes)').fill('128');
    await panel.getByLabel('Lines in flight').fill('4');
    await screenshot(page, 'usb-connection-settings');
    await panel.getByRole('button', { name: 'Save and reconnect' }).click();
    await expect.poll(() => panel.getByRole('alert').count()).toBe(0);
    await expect.poll(() => page.getByTestId('printer-state').first().textContent(), { timeout: 20_000 }).toBe('Ready');
    // Saved with the printer: a fresh page load reads buffered mode back.
    await page.reload();
    await page.getByTestId('serial-settings').getByText('Connection and scripts').click();
    await expect
      .poll(() =>
        page
          .getByTestId('serial-settings')
          .getByRole('radio', { name: /Buffered/ })
          .isChecked(),
      )
      .toBe(true);
  });

  it('prints a real slicer file from the queue on it to the end, then asks for the bed to be cleared', async () => {
    await page.getByRole('link', { name: 'Library', exact: true }).click();
    await page.getByTestId('library-file-input').setInputFiles(SLICER_FILE);
    await queueSlicerFile();
    await page.getByRole('link', { name: 'Jobs' }).click();
    const done = page.locator('[data-testid="job-row"][data-state="completed"]');
    await expect.poll(() => done.count(), { timeout: 90_000, interval: 500 }).toBe(1);
    expect(await done.textContent()).toContain('Bench Marlin');
    await expect.poll(() => page.getByTestId('bed-clear-banner').textContent()).toContain('Bench Marlin');
    await screenshot(page, 'usb-print-completed');
  });

  it('marks the job interrupted at the line it reached when the board goes away mid-print', async () => {
    await page.getByRole('button', { name: 'Bed is clear on Bench Marlin' }).click();
    await page.getByRole('link', { name: 'Library', exact: true }).click();
    await queueSlicerFile();
    await page.getByRole('link', { name: 'Jobs' }).click();
    const running = page.locator('[data-testid="job-row"][data-state="printing"]');
    await expect.poll(() => running.count(), { timeout: 30_000, interval: 200 }).toBe(1);
    board.kill('SIGTERM');
    const interrupted = page.locator('[data-testid="job-row"][data-state="interrupted"]');
    await expect.poll(() => interrupted.count(), { timeout: 30_000, interval: 500 }).toBe(1);
    expect(await interrupted.textContent()).toMatch(/Stopped at line [\d,]+ of the file/);
    await screenshot(page, 'usb-print-interrupted');
  });

  it('shows the printer offline with the reason when the board goes away, and the app stays up', async () => {
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    const usbCard = page.getByTestId('printer-card').filter({ hasText: 'Bench Marlin' });
    await expect.poll(() => usbCard.getByTestId('printer-state').textContent(), { timeout: 30_000 }).toBe('Offline');
    await expect.poll(() => page.getByTestId('printer-card').count()).toBe(2);
  });

  it('explains a port that does not exist instead of failing silently', async () => {
    await page.getByRole('button', { name: 'Add USB printer' }).click();
    const dialog = page.getByTestId('add-usb-dialog');
    await dialog.getByLabel('Serial port').selectOption('__other__');
    await dialog.getByLabel('Port path').fill('/dev/ttyNOPE0');
    await dialog.getByLabel('Baud rate').selectOption('115200');
    await dialog.getByRole('button', { name: 'Add printer' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/ttyNOPE0/);
    await screenshot(page, 'add-usb-printer-error');
  });
});

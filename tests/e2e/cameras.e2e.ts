import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBambuPeer, type BambuPeer } from '../peers/bambu-peer';
import { startMjpegPeer, type MjpegPeer } from '../peers/mjpeg-peer';
import { startMoonrakerPeer, type MoonrakerPeer } from '../peers/moonraker-peer';
import { launchBrowser, screenshot, startServe, type ServedApp } from './harness';

let webcam: MjpegPeer;
let moon: MoonrakerPeer;
let bambu: BambuPeer;
let app: ServedApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  webcam = await startMjpegPeer({ fps: 10 });
  [moon, bambu] = await Promise.all([
    // The webcam as crowsnest sets it up and Mainsail lists it through Moonraker.
    startMoonrakerPeer({ webcams: [{ name: 'Nozzle cam', service: 'mjpegstreamer', stream_url: webcam.streamUrl, snapshot_url: webcam.snapshotUrl }] }),
    startBambuPeer({ accessCode: 'CAM12345' }),
  ]);
  app = await startServe();
  browser = await launchBrowser();
  page = await app.newPage(browser, { viewport: { width: 1280, height: 1000 } });
  await page.goto(app.url);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await Promise.all([webcam, moon, bambu].map((p) => p?.close()));
});

async function addThroughDialog(kind: string, fields: Record<string, string>) {
  await page.getByTestId('add-network-printer').click();
  const dialog = page.getByTestId('add-printer-dialog');
  await dialog.getByTestId(`kind-${kind}`).check();
  for (const [testId, value] of Object.entries(fields)) {
    const field = dialog.getByTestId(testId);
    if (!(await field.isVisible())) await dialog.locator('summary').click();
    await field.fill(value);
  }
  await dialog.getByTestId('add-printer-submit').click();
  await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(false);
}

async function openPrinter(name: string) {
  await page.getByRole('link', { name: 'Fleet', exact: true }).click();
  await page.getByTestId('printer-card').filter({ hasText: name }).click();
  await expect.poll(() => page.locator('#printer-title').textContent()).toBe(name);
}

/** The picture's pixels as a data URL: an <img> of a multipart stream is redrawn in place with each frame. */
function pixels(img: Locator): Promise<string> {
  return img.evaluate((el: HTMLImageElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = el.naturalWidth;
    canvas.height = el.naturalHeight;
    canvas.getContext('2d')!.drawImage(el, 0, 0);
    return canvas.toDataURL('image/png');
  });
}

/** The stream is drawn (a decoded JPEG has a width) and moves (its pixels change). */
async function expectLive(img: Locator) {
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth), { timeout: 15_000 }).toBeGreaterThan(0);
  const first = await pixels(img);
  await expect.poll(() => pixels(img), { timeout: 15_000 }).not.toBe(first);
}

/**
 * A polled camera (fleet card, wall tile): a worker fetches and draws its pictures into a canvas, so the page
 * holds no picture to read. It has drawn pictures (the worker says so), and what the element shows changes.
 */
async function expectPolledLive(box: Locator) {
  await expect.poll(async () => Number(await box.getAttribute('data-frames')), { timeout: 15_000 }).toBeGreaterThan(0);
  const first = (await box.screenshot()).toString('base64');
  await expect.poll(async () => (await box.screenshot()).toString('base64'), { timeout: 15_000 }).not.toBe(first);
}

describe('cameras', () => {
  it("shows a Moonraker printer's webcam on its page as soon as the printer is added, streaming", async () => {
    await addThroughDialog('moonraker', { 'printer-name': 'Voron Cam', 'printer-address': moon.url });
    await openPrinter('Voron Cam');
    const panel = page.getByTestId('camera-panel');
    const img = panel.getByTestId('camera-img');
    await expectLive(img);
    expect(await panel.textContent()).toContain("Nozzle cam · from the printer's settings");
    // The page holds the host's relay route only: never the camera's own address.
    expect(await img.getAttribute('src')).toMatch(/^\/camera\/[^/]+\/stream$/);
    expect(await page.content()).not.toContain(webcam.streamUrl);
    await screenshot(page, 'printer-camera-moonraker');
  });

  it("streams a Bambu P1S stand-in's built-in camera on its printer page", async () => {
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await addThroughDialog('bambu', {
      'printer-name': 'P1S Cam',
      'printer-address': bambu.host,
      'printer-serial': bambu.serial,
      'printer-secret': bambu.accessCode,
      'bambu-mqtt-port': String(bambu.mqttPort),
      'bambu-ftp-port': String(bambu.ftpPort),
      'bambu-camera-port': String(bambu.cameraPort),
    });
    await openPrinter('P1S Cam');
    // No Bambu CA is bundled here: the admin checks and trusts the printer's certificate first; the camera is
    // reached with the same check.
    await page.getByTestId('certificate-panel').getByTestId('certificate-trust').click();
    await expect.poll(() => page.getByTestId('certificate-panel').count(), { timeout: 15_000 }).toBe(0);
    await page.reload();
    const img = page.getByTestId('camera-panel').getByTestId('camera-img');
    await expectLive(img);
    expect(bambu.camera.refused).toBe(0);
    await screenshot(page, 'printer-camera-bambu');
  });

  it('shows each camera on its fleet card at 1 fps, one picture at a time, one upstream per camera', async () => {
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    for (const name of ['Voron Cam', 'P1S Cam']) {
      const img = page.getByTestId('printer-card').filter({ hasText: name }).getByTestId('camera-img');
      // Polled, not streamed: a browser holds at most 6 connections per host, and a wall has more cameras.
      await expect.poll(() => img.getAttribute('data-polled'), { timeout: 10_000 }).toMatch(/^\/camera\/[^/]+\/frame$/);
      await expectPolledLive(img);
    }
    expect(webcam.openStreams()).toBe(1);
    expect(bambu.camera.openStreams()).toBe(1);
    await screenshot(page, 'fleet-cameras');
  });

  it('tells a printer without a camera what to do, and adds a snapshot camera by address', async () => {
    // The built-in virtual printer every new data folder has: no camera.
    await openPrinter('Virtual Printer');
    const panel = page.getByTestId('camera-panel');
    await expect.poll(() => panel.getByTestId('no-camera').textContent()).toBe('No camera. Add the MJPEG stream or snapshot address of a camera that watches this printer.');
    await panel.getByTestId('add-camera').click();
    await panel.getByLabel('Snapshot (a still picture, fetched again and again)').check();
    await panel.getByTestId('camera-url').fill(webcam.snapshotUrl);
    await panel.getByTestId('add-camera-submit').click();
    await expectLive(panel.getByTestId('camera-img'));
    await screenshot(page, 'printer-camera-snapshot');
  });

  it('shows every camera live on the fleet wall, one tile per printer', async () => {
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.evaluate(() => (location.hash = '#/wall'));
    const tiles = page.getByTestId('wall-tile');
    await expect.poll(() => tiles.count(), { timeout: 10_000 }).toBe(3);
    for (const img of await page.locator('.wall-camera').all()) await expectPolledLive(img);
    await screenshot(page, 'fleet-wall-cameras');
  });
});

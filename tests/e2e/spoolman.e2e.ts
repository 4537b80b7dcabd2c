import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpoolView } from '../../electron/core/contract/materials-types';
import { startSpoolmanPeer, type SpoolmanPeer } from '../peers/spoolman-peer';
import type { RpcClient } from '../support/rpc-client';
import { launchBrowser, screenshot, startServe, type ServedApp } from './harness';

// States PLA and 3.68 g ("; filament_type = PLA", "; total filament used [g] = 3.68").
const FIXTURE = join(__dirname, '../fixtures/gcode/prusaslicer.gcode');
const STATED_G = 3.68;

let app: ServedApp;
let browser: Browser;
let page: Page;
let rpc: RpcClient;
let peer: SpoolmanPeer;
let spoolmanId: number;

beforeAll(async () => {
  peer = await startSpoolmanPeer({ version: '0.22.1' });
  const vendor = peer.addVendor({ name: 'Polymaker' });
  const pla = peer.addFilament({ name: 'PolyTerra Charcoal Black', vendor_id: vendor.id, material: 'PLA', density: 1.24, diameter: 1.75, weight: 1000, color_hex: '2B2B2B' });
  const petg = peer.addFilament({ name: 'Signal Red', material: 'PETG', density: 1.27, diameter: 1.75, weight: 1000, color_hex: 'D01010' });
  spoolmanId = peer.addSpool({ filament_id: pla.id, used_weight: 100, lot_nr: 'PT-2291' }).id;
  peer.addSpool({ filament_id: petg.id });
  // Virtual printers 60× faster: heating and a small print take seconds.
  app = await startServe([], { APF_VIRTUAL_SPEED: '60' });
  browser = await launchBrowser();
  page = await app.newPage(browser, { viewport: { width: 1280, height: 900 } });
  rpc = await app.rpc();
  await page.goto(app.url);
});

afterAll(async () => {
  rpc?.close();
  await browser?.close();
  await app?.stop();
  await peer?.close();
});

const remainingOnPeer = () => peer.spool(spoolmanId)!.remaining_weight!;
const rows = (state: string) => page.locator(`[data-testid="job-row"][data-state="${state}"]`);

async function queueTheFile(): Promise<void> {
  await page.getByRole('link', { name: 'Library', exact: true }).click();
  await page.getByTestId('library-file').getByRole('button', { name: 'Print…' }).click();
  await page.getByTestId('queue-submit').click();
  await expect.poll(() => page.locator('h1').textContent()).toBe('Jobs');
}

describe('the app keeps its spools on a Spoolman server', () => {
  it('Settings checks the address: a server that is not running is named with the reason, then the peer answers with its version', async () => {
    await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('open');
    await expect.poll(() => page.getByTestId('printer-state').allTextContents(), { timeout: 15_000 }).toEqual(['Ready']);
    const down = await startSpoolmanPeer();
    await down.stop();
    await page.getByRole('link', { name: 'Settings' }).click();
    const panel = page.getByTestId('spoolman-panel');
    await panel.locator('input[name="spoolmanUrl"]').fill(down.url);
    await panel.getByTestId('spoolman-check').click();
    await expect.poll(() => panel.getByTestId('spoolman-error').textContent()).toBe(`Spoolman at ${down.url} did not answer: connection refused — is it running?`);
    await panel.locator('input[name="spoolmanUrl"]').fill(`${peer.url}/`);
    await panel.getByTestId('spoolman-check').click();
    await expect.poll(() => panel.getByTestId('spoolman-check-result').textContent()).toBe(`Spoolman 0.22.1 answers at ${peer.url}.`);
    await screenshot(page, 'spoolman-settings-check');
    await panel.getByTestId('spoolman-use').click();
    await expect.poll(() => panel.getByTestId('spoolman-source').textContent()).toContain(`Spoolman at ${peer.url} (version 0.22.1)`);
  });

  it("the Spools screen lists Spoolman's spools, and one is loaded onto the virtual printer", async () => {
    await page.getByRole('link', { name: 'Spools' }).click();
    await expect.poll(() => page.getByTestId('spool-row').count()).toBe(2);
    await expect.poll(() => page.getByTestId('spoolman-banner').textContent()).toContain(`Spools are kept in Spoolman at ${peer.url} (version 0.22.1).`);
    const row = page.locator(`[data-testid="spool-row"][data-spool-id="spoolman-${spoolmanId}"]`);
    expect(await row.textContent()).toContain('PLA');
    expect(await row.textContent()).toContain('Polymaker');
    expect(await row.getByTestId('spool-remaining').textContent()).toBe('900 g');
    const printerName = (await row.getByTestId('spool-load').locator('option').nth(1).textContent())!;
    await row.getByTestId('spool-load').selectOption({ label: printerName });
    await expect.poll(async () => ((await rpc.request('spools.list')).result as SpoolView[]).find((s) => s.id === `spoolman-${spoolmanId}`)?.loadedOn?.slot).toBe(0);
    await screenshot(page, 'spoolman-spools');
  });

  it("a print takes the file's stated grams off the spool in Spoolman", async () => {
    await page.getByRole('link', { name: 'Library', exact: true }).click();
    await page.getByTestId('library-file-input').setInputFiles(FIXTURE);
    await expect.poll(() => page.getByTestId('library-file').getByRole('button', { name: 'Print…' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    await queueTheFile();
    await expect.poll(() => rows('completed').count(), { timeout: 45_000, interval: 250 }).toBe(1);
    await expect.poll(remainingOnPeer).toBeCloseTo(900 - STATED_G, 6);
    expect(peer.useCalls).toEqual([{ spoolId: spoolmanId, body: { use_weight: STATED_G } }]);
    await page.getByRole('link', { name: 'Spools' }).click();
    await expect.poll(() => page.locator(`[data-testid="spool-row"][data-spool-id="spoolman-${spoolmanId}"]`).getByTestId('spool-remaining').textContent()).toBe('896 g');
  });

  it("with Spoolman down the next print's use waits here, and is sent once when Spoolman is back", async () => {
    await peer.stop();
    await queueTheFile();
    await page.getByTestId('bed-clear-banner').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('bed-clear-banner').count()).toBe(0);
    await expect.poll(() => rows('completed').count(), { timeout: 45_000, interval: 250 }).toBe(2);
    await page.getByRole('link', { name: 'Spools' }).click();
    const banner = page.getByTestId('spoolman-banner');
    await expect.poll(() => banner.getByTestId('spoolman-pending').textContent()).toContain('1 print’s use (3.7 g) waits to be recorded in Spoolman');
    await expect.poll(() => banner.getByTestId('spoolman-problem').textContent()).toBe(`Spoolman at ${peer.url} did not answer: connection refused — is it running?`);
    await screenshot(page, 'spoolman-outage');
    expect(peer.useCalls).toHaveLength(1);
    await peer.start();
    await banner.getByTestId('spoolman-sync').click();
    await expect.poll(() => banner.getByTestId('spoolman-pending').count()).toBe(0);
    expect(peer.useCalls.map((c) => c.body)).toEqual([{ use_weight: STATED_G }, { use_weight: STATED_G }]);
    expect(remainingOnPeer()).toBeCloseTo(900 - 2 * STATED_G, 6);
    expect(await banner.getByTestId('spoolman-problem').count()).toBe(0);
  });

  it("a spool's label carries its material, colour, lot and a QR code holding Spoolman's own link", async () => {
    const row = page.locator(`[data-testid="spool-row"][data-spool-id="spoolman-${spoolmanId}"]`);
    await row.getByTestId('spool-label-link').click();
    const label = page.getByTestId('spool-label');
    await expect.poll(() => label.count()).toBe(1);
    const text = (await label.textContent())!;
    for (const part of ['PLA', 'Polymaker', 'PolyTerra Charcoal Black', '1000 g', 'Lot PT-2291', `Spoolman #${spoolmanId}`]) expect(text).toContain(part);
    await expect.poll(() => page.getByTestId('spool-label-qr').count()).toBe(1);
    const box = (await label.boundingBox())!;
    // 62 mm at CSS's 96 px per inch.
    expect(Math.round(box.width)).toBe(Math.round((62 / 25.4) * 96));
    await screenshot(page, 'spool-label');
    const png = PNG.sync.read(await page.getByTestId('spool-label-qr').screenshot());
    const scanned = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(scanned, 'the QR code decodes').not.toBeNull();
    expect(scanned!.data).toBe(`WEB+SPOOLMAN:S-${spoolmanId}`);
    // Printed, only the label shows.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('label-print').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
  });
});

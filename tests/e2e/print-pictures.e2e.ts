import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotView } from '../../electron/core/contract/snapshot-types';
import { startMjpegPeer, type MjpegPeer } from '../peers/mjpeg-peer';
import type { RpcClient } from '../support/rpc-client';
import { openFarm, queueFromLibrary, screenshot, type FarmUnderTest } from './harness';

// PrusaSlicer's file: its ;LAYER_CHANGE markers give the virtual printer's layers, so each one is a time-lapse frame.
const FIXTURE = join(__dirname, '../fixtures/gcode/prusaslicer.gcode');

let webcam: MjpegPeer;
let farm: FarmUnderTest;
let page: Page;
let rpc: RpcClient;

beforeAll(async () => {
  webcam = await startMjpegPeer({ fps: 10 });
  farm = await openFarm();
  ({ page, rpc } = farm);
});

afterAll(async () => {
  await farm?.close();
  await webcam?.close();
});

/** The picture was fetched and decoded (it has a width), not just put in the page. */
const drawn = (img: Locator) => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0));

describe("a print's pictures in its history", () => {
  it('gives the virtual printer a camera and turns its time-lapse on, from its page', async () => {
    await expect.poll(() => page.getByTestId('printer-state').allTextContents(), { timeout: 15_000 }).toEqual(['Ready']);
    await page.getByTestId('printer-card').first().click();
    const panel = page.getByTestId('camera-panel');
    await panel.getByTestId('add-camera').click();
    await panel.getByLabel('Snapshot (a still picture, fetched again and again)').check();
    await panel.getByTestId('camera-url').fill(webcam.snapshotUrl);
    await panel.getByTestId('add-camera-submit').click();
    await expect.poll(() => drawn(panel.getByTestId('camera-img')), { timeout: 15_000 }).toBeGreaterThan(0);
    const option = panel.getByTestId('timelapse-option');
    await option.getByTestId('timelapse-enabled').check();
    await expect.poll(() => option.getByTestId('timelapse-enabled').isChecked()).toBe(true);
    // ffmpeg is installed here (.ci/run): time-lapses become videos, so no warning is shown.
    expect(await option.getByTestId('timelapse-problem').count()).toBe(0);
    await screenshot(page, 'printer-camera-timelapse');
  });

  it('prints a job and its history row shows the first layer, the end and a time-lapse video that plays', async () => {
    await queueFromLibrary(page, FIXTURE);
    await expect.poll(() => page.locator('[data-testid="job-row"][data-state="completed"]').count(), { timeout: 60_000, interval: 250 }).toBe(1);

    await page.getByRole('link', { name: 'History', exact: true }).click();
    const row = page.getByTestId('history-table').locator('tbody tr').first();
    const pictures = row.getByTestId('print-pictures');
    await expect.poll(() => drawn(pictures.getByTestId('picture-first-layer')), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => drawn(pictures.getByTestId('picture-end')), { timeout: 20_000 }).toBeGreaterThan(0);
    // The time-lapse is assembled after the end picture: the row updates by itself when it is ready.
    await expect.poll(() => pictures.getByTestId('open-timelapse').textContent(), { timeout: 30_000 }).toBe('▶ Time-lapse');
    await screenshot(page, 'history-pictures');

    const historyId = Number(await row.getAttribute('data-history-id'));
    const kept = (await rpc.request('snapshots.list', { historyIds: [historyId] })).result as SnapshotView[];
    expect(kept.map((k) => k.kind)).toEqual(['first-layer', 'timelapse-video', 'end']);

    await pictures.getByTestId('picture-first-layer').click();
    const big = page.getByTestId('picture-dialog').locator('img');
    await expect.poll(() => drawn(big)).toBeGreaterThan(0);
    await page.getByTestId('picture-dialog').getByRole('button', { name: 'Close' }).click();

    await pictures.getByTestId('open-timelapse').click();
    const video = page.getByTestId('timelapse-video');
    // Decoded by the browser: it knows the video's size and length (one frame per layer at 15 fps).
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await video.evaluate((v: HTMLVideoElement) => v.duration)).toBeGreaterThan(0);
    await screenshot(page, 'history-timelapse');
  });
});

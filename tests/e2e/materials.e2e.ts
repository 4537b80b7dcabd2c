import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpoolView } from '../../electron/core/contract/materials-types';
import type { RpcClient } from '../support/rpc-client';
import { openFarm, queueFromLibrary, screenshot, type FarmUnderTest } from './harness';

// States PLA and 3.68 g ("; filament_type = PLA", "; total filament used [g] = 3.68").
const FIXTURE = join(__dirname, '../fixtures/gcode/prusaslicer.gcode');
const STATED_G = 3.68;
const START_G = 5;

let farm: FarmUnderTest;
let page: Page;
let rpc: RpcClient;

beforeAll(async () => {
  farm = await openFarm({ viewport: { width: 1280, height: 900 } });
  ({ page, rpc } = farm);
});

afterAll(async () => farm?.close());

const spools = async () => (await rpc.request('spools.list')).result as SpoolView[];
const rows = (state: string) => page.locator(`[data-testid="job-row"][data-state="${state}"]`);

const queueTheFile = () => queueFromLibrary(page);

describe('the queue knows what is loaded, and each print is weighed off its spool', () => {
  it('adds a spool on the Spools screen and loads it onto the virtual printer', async () => {
    await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('open');
    await expect.poll(() => page.getByTestId('printer-state').allTextContents(), { timeout: 15_000 }).toEqual(['Ready']);
    await page.getByRole('link', { name: 'Spools' }).click();
    await page.getByTestId('spool-add').click();
    const dialog = page.getByTestId('spool-dialog');
    await dialog.locator('input[name="brand"]').fill('Prusament');
    await dialog.locator('input[name="colourHex"]').fill('#29B2B2');
    await dialog.locator('input[name="colourName"]').fill('Azure blue');
    // A bad value is refused with what to fix, and nothing is saved.
    await dialog.locator('input[name="remainingG"]').fill('5000');
    await dialog.getByRole('button', { name: 'Add spool' }).click();
    await expect.poll(() => dialog.getByTestId('spool-error').textContent()).toContain('Remaining grams cannot be more than the net weight');
    expect(await spools()).toEqual([]);
    await dialog.locator('input[name="remainingG"]').fill(String(START_G));
    await dialog.getByRole('button', { name: 'Add spool' }).click();
    const row = page.getByTestId('spool-row');
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.getByTestId('spool-remaining').textContent()).toBe('5 g');
    const printerName = (await page.getByTestId('spool-load').locator('option').nth(1).textContent())!;
    await page.getByTestId('spool-load').selectOption({ label: printerName });
    await expect.poll(async () => (await spools())[0]?.loadedOn?.slot).toBe(0);
    await page.getByRole('link', { name: 'Fleet' }).click();
    await expect.poll(() => page.getByTestId('printer-card').getByTestId('loaded-spool').textContent()).toContain('PLA · Azure blue · Prusament');
    await screenshot(page, 'fleet-spool');
  });

  it("prints a job whose file states PLA and 3.68 g, and the spool's remaining weight drops by exactly that", async () => {
    await queueFromLibrary(page, FIXTURE);
    await expect.poll(() => rows('completed').count(), { timeout: 45_000, interval: 250 }).toBe(1);
    await expect.poll(async () => (await spools())[0]!.remainingG).toBe(Math.round((START_G - STATED_G) * 100) / 100);
    const [spool] = await spools();
    const usage = (await rpc.request('spools.usage', { spoolId: spool!.id })).result as { grams: number; fraction: number }[];
    expect(usage).toEqual([expect.objectContaining({ grams: STATED_G, fraction: 1 })]);
    await page.getByRole('link', { name: 'Spools' }).click();
    await expect.poll(() => page.getByTestId('spool-row').getByTestId('spool-remaining').textContent()).toBe('1.3 g');
    await screenshot(page, 'spools');
  });

  it('a second job needing more than the spool holds waits, saying why, on an idle printer with a clear bed', async () => {
    await queueTheFile();
    await page.getByTestId('bed-clear-banner').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('bed-clear-banner').count()).toBe(0);
    const [printer] = (await rpc.request('printers.list')).result as { name: string }[];
    const waiting = rows('queued').getByTestId('job-waiting');
    await expect
      .poll(() => waiting.textContent(), { timeout: 15_000 })
      .toBe(`No printer has PLA with ≥ 3.7 g loaded: ${printer!.name} has 1.3 g left. Load a matching spool, or edit the job's material.`);
    expect(await rows('queued').getByTestId('job-need').textContent()).toBe(' · needs PLA · 3.7 g');
    await screenshot(page, 'materials-waiting');
    // Nothing started: the printer is idle and the job is still queued.
    expect(await rows('queued').count()).toBe(1);
    expect(await rows('starting').count()).toBe(0);
  });

  it("the job's material is edited in the queue, and the reason follows: a different material waits too", async () => {
    const [printer] = (await rpc.request('printers.list')).result as { name: string }[];
    await rows('queued').getByTestId('job-edit-need').click();
    const dialog = page.getByTestId('need-dialog');
    await dialog.locator('input[name="material"]').fill('PETG');
    await dialog.locator('input[name="colour"]').fill('black');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => rows('queued').getByTestId('job-waiting').textContent())
      .toBe(`No printer has PETG black with ≥ 3.7 g loaded: ${printer!.name} has PLA loaded. Load a matching spool, or edit the job's material.`);
    expect(await rows('queued').getByTestId('job-need').textContent()).toBe(' · needs PETG black · 3.7 g');
    expect(await rows('starting').count()).toBe(0);
  });
});

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaintenanceTaskView } from '../../electron/core/contract/maintenance-types';
import type { RpcClient } from '../support/rpc-client';
import { openFarm, queueFromLibrary, screenshot, type FarmUnderTest } from './harness';

const FIXTURE = join(__dirname, '../fixtures/gcode/prusaslicer.gcode');

let farm: FarmUnderTest;
let page: Page;
let rpc: RpcClient;
let printerName: string;

beforeAll(async () => {
  farm = await openFarm();
  ({ page, rpc } = farm);
});

afterAll(async () => farm?.close());

const tasks = async () => (await rpc.request('maintenance.list')).result as MaintenanceTaskView[];
const rows = (state: string) => page.locator(`[data-testid="job-row"][data-state="${state}"]`);

const queueTheFile = () => queueFromLibrary(page);

describe('a printer due for maintenance is held until the task is marked done', () => {
  it('adds a nozzle change every print that holds the printer; a task without a threshold is refused with why', async () => {
    await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('open');
    await expect.poll(() => page.getByTestId('printer-state').allTextContents(), { timeout: 15_000 }).toEqual(['Ready']);
    printerName = ((await rpc.request('printers.list')).result as { name: string }[])[0]!.name;
    await page.getByTestId('printer-card').click();
    const panel = page.getByTestId('maintenance-panel');
    await expect.poll(() => panel.textContent()).toContain('No maintenance tasks. Suggested: Nozzle change every 500 h');
    await panel.getByTestId('maintenance-add').click();
    const dialog = page.getByTestId('maintenance-dialog');
    await dialog.locator('input[name="everyHours"]').fill('');
    await dialog.getByRole('button', { name: 'Add task' }).click();
    await expect.poll(() => dialog.getByTestId('maintenance-error').textContent()).toContain('Give at least one threshold: print hours, grams of filament or number of prints.');
    expect(await tasks()).toEqual([]);
    await dialog.locator('input[name="everyPrints"]').fill('1');
    await dialog.locator('input[name="holdWhenDue"]').check();
    await dialog.getByRole('button', { name: 'Add task' }).click();
    const task = panel.getByTestId('maintenance-task');
    await expect.poll(() => task.count()).toBe(1);
    expect(await task.getAttribute('data-state')).toBe('ok');
    expect(await task.getByTestId('maintenance-progress').textContent()).toBe('0 / 1 print');
    expect(await tasks()).toEqual([expect.objectContaining({ kind: 'nozzle', name: 'Nozzle change', everyPrints: 1, everyHours: null, holdWhenDue: true })]);
  });

  it('a finished print makes it due: the fleet card says so', async () => {
    await queueFromLibrary(page, FIXTURE);
    await expect.poll(() => rows('completed').count(), { timeout: 45_000, interval: 250 }).toBe(1);
    await page.getByRole('link', { name: 'Fleet' }).click();
    await expect
      .poll(() => page.getByTestId('printer-card').getByTestId('maintenance-due').textContent())
      .toBe('Maintenance due: nozzle change due (1 of 1 print). The queue holds it.');
    await screenshot(page, 'maintenance-card-due');
  });

  it('the next job waits on the idle printer with a clear bed, saying why, and the wall tile says Maintenance', async () => {
    await queueTheFile();
    await page.getByTestId('bed-clear-banner').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('bed-clear-banner').count()).toBe(0);
    await expect
      .poll(() => rows('queued').getByTestId('job-waiting').textContent(), { timeout: 15_000 })
      .toBe(`${printerName} is held: nozzle change due (1 of 1 print). Mark the task done on the printer's page to release it.`);
    await screenshot(page, 'maintenance-job-waiting');
    expect(await rows('starting').count()).toBe(0);
    expect(await rows('queued').count()).toBe(1);
    await page.getByRole('link', { name: 'Fleet' }).click();
    await page.getByTestId('open-wall').click();
    await expect.poll(() => page.getByTestId('wall-tile').getAttribute('data-attention')).toBe('Maintenance');
    await page.getByRole('link', { name: 'Exit wall' }).click();
  });

  it('marking the task done, with a note, releases the printer: the job starts, and the log keeps what was done', async () => {
    await page.getByTestId('printer-card').click();
    const panel = page.getByTestId('maintenance-panel');
    await expect.poll(() => panel.getByTestId('maintenance-held').textContent()).toContain('The queue holds this printer: nozzle change due (1 of 1 print).');
    await expect.poll(() => panel.getByTestId('maintenance-task').getAttribute('data-state')).toBe('due');
    await screenshot(page, 'maintenance-panel-due');
    await panel.getByTestId('maintenance-mark-done').click();
    const dialog = page.getByTestId('maintenance-done-dialog');
    await dialog.locator('textarea[name="note"]').fill('0.4 mm brass, new');
    await dialog.getByRole('button', { name: 'Mark done' }).click();
    await expect.poll(() => panel.getByTestId('maintenance-held').count()).toBe(0);
    await panel.getByTestId('maintenance-log').locator('summary').click();
    await expect.poll(() => panel.getByTestId('maintenance-log-entry').textContent()).toMatch(/Nozzle change by .+ after [\d.]+ h, \d+ g, 1 print — 0\.4 mm brass, new/);
    await screenshot(page, 'maintenance-panel-done');
    // The job that waited starts now, on that printer.
    await page.getByRole('link', { name: 'Jobs' }).click();
    await expect.poll(() => rows('queued').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await rows('starting').count()) + (await rows('printing').count()) + (await rows('completed').count()), { timeout: 15_000 }).toBe(2);
  });
});

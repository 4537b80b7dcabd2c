import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../electron/core/contract/jobs-types';
import type { RpcClient } from '../support/rpc-client';
import { openFarm, queueFromLibrary, screenshot, type FarmUnderTest } from './harness';

// States PLA and 3.68 g: with no spool loaded, its filament is costed at the farm's price per kg.
const FIXTURE = join(__dirname, '../fixtures/gcode/prusaslicer.gcode');

let farm: FarmUnderTest;
let page: Page;
let rpc: RpcClient;

beforeAll(async () => {
  farm = await openFarm();
  ({ page, rpc } = farm);
});

afterAll(async () => farm?.close());

describe('what each print costs', () => {
  it('sets the farm prices in Settings, refusing a currency that is not a code', async () => {
    await expect.poll(() => page.getByTestId('printer-state').allTextContents(), { timeout: 15_000 }).toEqual(['Ready']);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const form = page.getByTestId('cost-settings');
    await form.locator('input[name="currency"]').fill('EU');
    await form.locator('input[name="electricityPerKwh"]').fill('0.40');
    await form.locator('input[name="filamentPerKg"]').fill('25');
    await form.getByRole('button', { name: 'Save prices' }).click();
    await expect.poll(() => form.getByTestId('cost-settings-error').textContent()).toContain('A currency is a three-letter code such as EUR, USD or GBP.');
    await form.locator('input[name="currency"]').fill('eur');
    await form.getByRole('button', { name: 'Save prices' }).click();
    await expect.poll(() => form.locator('input[name="currency"]').inputValue()).toBe('EUR');
    expect(await form.getByTestId('cost-settings-error').count()).toBe(0);
  });

  it("sets the virtual printer's power and wear on its page, prints, and the history shows the print's cost", async () => {
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.getByTestId('printer-card').first().click();
    const panel = page.getByTestId('running-cost');
    await panel.locator('input[name="watts"]').fill('120');
    await panel.locator('input[name="wearPerHour"]').fill('0.5');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => ((await rpc.request('costs.get')).result as { printers: { watts: number | null }[] }).printers[0]?.watts).toBe(120);

    await queueFromLibrary(page, FIXTURE);
    await expect.poll(() => page.locator('[data-testid="job-row"][data-state="completed"]').count(), { timeout: 60_000, interval: 250 }).toBe(1);

    const [entry] = (await rpc.request('history.list', { limit: 1 })).result as HistoryEntry[];
    // 3.68 g at 25/kg = 0.092; the print's seconds at 120 W and 0.40/kWh, and at 0.5/h of wear.
    const hours = (entry!.endedAt - entry!.startedAt) / 3_600_000;
    expect(entry!.cost).toEqual({ currency: 'EUR', filament: 0.09, energy: Math.round(0.12 * hours * 0.4 * 100) / 100, wear: Math.round(0.5 * hours * 100) / 100 });

    await page.getByRole('link', { name: 'History', exact: true }).click();
    const total = entry!.cost!.filament! + entry!.cost!.energy! + entry!.cost!.wear!;
    const shown = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(total);
    await expect.poll(() => page.getByTestId('history-cost').first().textContent()).toBe(shown);
    await expect.poll(() => page.getByTestId('cost-total').textContent()).toBe(shown);
    expect(await page.getByTestId('chart-cost-printer').locator('canvas').count()).toBe(1);
    await screenshot(page, 'history-costs');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('cost-export').click()]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('group,key,prints,filament_g,filament_cost,energy_cost,wear_cost,total_cost,currency');
    expect(csv).toContain('material,PLA,1,3.68,0.09,');
  });
});

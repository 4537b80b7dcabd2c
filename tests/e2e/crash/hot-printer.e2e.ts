import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrinterView } from '../../../electron/core/contract';
import type { HistoryEntry, JobView } from '../../../electron/core/contract/jobs-types';
import { createScaledClock } from '../../../electron/core/printers/virtual/scaled-clock';
import { systemClock } from '../../../electron/core/ports/clock';
import { startVirtualPrinterPty, type VirtualPrinterPty } from '../../../electron/headless/commands/virtual-printer';
import { RpcClient } from '../../support/rpc-client';
import { launchBrowser, screenshot, startServe, type ServedApp } from '../harness';

/**
 * kill -9 in the middle of a USB print leaves the board heating: firmware keeps its targets until told
 * otherwise. The restarted app must switch heaters, fan and motors off, and say so on the printer and in
 * history. The board is a virtual Marlin on a real pty, run by this test so it outlives the app.
 */

const root = join(__dirname, '../../..');
const FIXTURE = join(root, 'tests/fixtures/gcode/prusaslicer.gcode');
const dataDir = mkdtempSync(join(tmpdir(), 'apf-hot-'));
let board: VirtualPrinterPty;
let app: ServedApp | null = null;
let rpc: RpcClient | null = null;
let browser: Browser | null = null;

beforeAll(async () => {
  // 200× speed heats in seconds; 57600 baud keeps the file streaming long enough to kill the app mid-print.
  board = await startVirtualPrinterPty({ firmware: { clock: createScaledClock(systemClock, 200), baudRate: 57600 } });
});

afterAll(async () => {
  rpc?.close();
  await browser?.close();
  await app?.stop();
  await board?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(method: string, params?: unknown): Promise<T> {
  const out = await rpc!.request(method, params);
  if (out.error) throw new Error(`${method}: ${out.error.data?.message ?? out.error.message}`);
  return out.result as T;
}

/** Starts (or restarts) `apf serve` on the test's data folder and opens an RPC connection to it. */
async function serve(): Promise<void> {
  app = await startServe([], {}, { dataDir });
  rpc = await app.rpc();
}

async function until<T>(what: string, probe: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}; last seen ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a USB printer left hot by a crash', () => {
  let jobId = '';
  let printerId = '';

  it('keeps heating after kill -9 mid-print, as real firmware does', async () => {
    await serve();
    const printer = await call<PrinterView>('printers.addSerial', { name: 'Hot Marlin', port: board.ptyPath, baudRate: 57600 });
    printerId = printer.id;
    await until(
      'the printer to be ready',
      () => call<PrinterView>('printers.get', { printerId }),
      (p) => p.status.state.kind === 'idle',
    );
    const bytes = readFileSync(FIXTURE);
    const { uploadId } = await call<{ uploadId: string }>('library.uploadBegin', { name: 'hot.gcode', sizeBytes: bytes.length });
    await call('library.uploadChunk', { uploadId, offset: 0, base64: bytes.toString('base64') });
    const { file } = await call<{ file: { sha256: string } }>('library.uploadEnd', { uploadId });
    await until(
      'the file analysis',
      () => call<{ status: string }>('library.get', { sha256: file.sha256 }),
      (f) => f.status === 'ready',
    );
    const [job] = await call<JobView[]>('jobs.enqueue', { fileSha256: file.sha256, copies: 1, target: { kind: 'printer', printerId } });
    jobId = job!.id;
    await until(
      'the print to heat up and stream',
      () => board.firmware.temperatures,
      (t) => t.hotend.target > 0 && t.bed.target > 0 && t.hotend.actual > t.hotend.target - 5,
    );
    await until(
      'moves after the heat-up',
      () => board.firmware.motorsEnabled,
      (on) => on,
    );

    rpc!.close();
    await new Promise<void>((resolve) => {
      app!.process.once('exit', () => resolve());
      app!.process.kill('SIGKILL');
    });
    // Nobody is streaming now, yet the board keeps its targets.
    await new Promise((r) => setTimeout(r, 500));
    expect(board.firmware.temperatures.hotend.target).toBeGreaterThan(0);
    expect(board.firmware.temperatures.bed.target).toBeGreaterThan(0);
  });

  it('is made safe when the app starts again: heaters, fan and motors off, and it says so', async () => {
    await serve();
    await until(
      'the board to be cooled down',
      () => board.firmware.temperatures,
      (t) => t.hotend.target === 0 && t.bed.target === 0,
    );
    expect(board.firmware.fanSpeed).toBe(0);
    await until(
      'the motors to be released',
      () => board.firmware.motorsEnabled,
      (on) => !on,
    );

    // Recorded once the board has acknowledged the last of the commands.
    const job = await until(
      'the job to say so',
      async () => (await call<JobView[]>('jobs.list', { finishedLimit: 10 })).find((j) => j.id === jobId)!,
      (j) => /switched off/.test(j.reason ?? ''),
      10_000,
    );
    expect(job.state).toBe('interrupted');
    expect(job.reason).toMatch(/Heaters \(hotend \d+ °C, bed \d+ °C\) and part fan switched off and motors released when AutoPrintFarm started again\./);
    const history = await call<HistoryEntry[]>('history.list', { limit: 10 });
    expect(history.find((h) => h.jobId === jobId)?.reason).toMatch(/switched off and motors released/);
    const printer = await call<PrinterView>('printers.get', { printerId });
    expect(printer.notice).toMatchObject({ kind: 'made-safe' });
  });

  it('shows the notice on the printer, and a printer heated with nothing printing gets a one-click cool-down', async () => {
    browser = await launchBrowser();
    const page: Page = await app!.newPage(browser, { viewport: { width: 1280, height: 800 } });
    await page.goto(app!.url);
    const card = page.getByTestId('printer-card').filter({ hasText: 'Hot Marlin' });
    await expect.poll(() => card.getByTestId('card-notice').textContent(), { timeout: 15_000 }).toContain('Made safe after a restart');
    await card.click();
    await expect.poll(() => page.getByTestId('printer-notice').textContent()).toMatch(/switched off .* hot\.gcode did not finish: check the part and clear the bed/);
    await screenshot(page, 'printer-made-safe');
    await page.getByTestId('printer-notice').getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => page.getByTestId('printer-notice').count()).toBe(0);

    // Heated by hand (or by anything else) with no job: the fleet says so and one click cools it down.
    await call('printers.setTemperature', { printerId, heater: 'hotend', celsius: 200 });
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    const strip = page.getByTestId('printer-card-slot').filter({ hasText: 'Hot Marlin' }).getByTestId('heaters-on');
    await expect.poll(() => strip.textContent(), { timeout: 15_000 }).toMatch(/Heaters on, nothing printing: hotend .* \/ 200 °C/);
    await screenshot(page, 'fleet-heaters-on');
    await strip.getByRole('button', { name: 'Cool down' }).click();
    await until(
      'the hotend target to be 0',
      () => board.firmware.temperatures.hotend.target,
      (t) => t === 0,
      15_000,
    );
    await expect.poll(() => strip.count()).toBe(0);
  });
});

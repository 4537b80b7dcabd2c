import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../electron/core/contract/jobs-types';
import { RpcClient } from '../support/rpc-client';
import { launchBrowser, SCREENSHOT_DIR, startServe, type ServedApp } from './harness';

const FIXTURES = join(__dirname, '../fixtures/gcode');
// Requirements no printer meets, so every job stays queued and the counts are exact.
const NOWHERE = { kind: 'any', requirements: { printerModel: 'No printer has this model' } } as const;

let app: ServedApp;
let browser: Browser;
let page: Page;
let rpc: RpcClient;
/** The RPC methods the page has called, in order (read from its WebSocket frames). */
const pageCalls: string[] = [];

async function call<T>(method: string, params?: unknown): Promise<T> {
  const out = await rpc.request(method, params);
  if (out.error) throw new Error(`${method}: ${out.error.data?.message ?? out.error.message}`);
  return out.result as T;
}

/** Adds a fixture file to the library through the contract and waits until it is analysed. */
async function addFile(name: string): Promise<string> {
  const bytes = readFileSync(join(FIXTURES, name));
  const { uploadId } = await call<{ uploadId: string }>('library.uploadBegin', { name, sizeBytes: bytes.length });
  await call('library.uploadChunk', { uploadId, offset: 0, base64: bytes.toString('base64') });
  const { file } = await call<{ file: { sha256: string } }>('library.uploadEnd', { uploadId });
  await expect.poll(async () => (await call<{ status: string }>('library.get', { sha256: file.sha256 })).status, { timeout: 15_000 }).toBe('ready');
  return file.sha256;
}

beforeAll(async () => {
  app = await startServe();
  rpc = await app.rpc();
  browser = await launchBrowser();
  page = await app.newPage(browser, { viewport: { width: 1280, height: 900 } });
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      const method = (JSON.parse(String(payload)) as { method?: unknown }).method;
      if (typeof method === 'string') pageCalls.push(method);
    }),
  );
  await page.goto(app.url);
});

afterAll(async () => {
  rpc?.close();
  await browser?.close();
  await app?.stop();
});

const rows = () => page.getByTestId('job-row');
const counts = () => page.getByTestId('job-counts').textContent();

describe('the Jobs screen with thousands of queued jobs', () => {
  let cura: string;
  let firstCancelled: JobView | undefined;

  it('shows 2 000 jobs queued while the screen is open, rendering the first 200 with "show more"', async () => {
    await page.getByRole('link', { name: 'Jobs' }).click();
    await expect.poll(() => page.getByText('The queue is empty').count()).toBe(1);

    const prusa = await addFile('prusaslicer.gcode');
    cura = await addFile('cura.gcode');
    for (let i = 0; i < 3; i++) await call('jobs.enqueue', { fileSha256: prusa, copies: 500, target: NOWHERE });
    const curaJobs = await call<JobView[]>('jobs.enqueue', { fileSha256: cura, copies: 500, target: NOWHERE });
    firstCancelled = curaJobs[0];

    await expect.poll(counts, { timeout: 20_000 }).toMatch(/^2000 queued · 0 running/);
    expect(await rows().count()).toBe(200);
    expect(await page.getByTestId('show-more-queued').textContent()).toBe('Show 200 more of 1800 queued');
    // The visible part only: a full-page picture of 200 rows says less.
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'jobs-scale.png') });
  });

  it('narrows the 2 000 jobs to one file as the filter is typed, and shows more on request', async () => {
    await page.getByLabel('Filter by file name').fill('cura');
    await expect.poll(counts).toMatch(/500 match “cura”$/);
    await expect.poll(async () => new Set((await rows().locator('div > div:first-child').allTextContents()).map((t) => t.split(' · ')[0]))).toEqual(new Set(['cura.gcode']));
    expect(await rows().count()).toBe(200);
    await page.getByTestId('show-more-queued').click();
    await expect.poll(() => rows().count()).toBe(400);
    await page.getByLabel('Filter by file name').fill('');
    await expect.poll(counts).toMatch(/^2000 queued/);
  });

  it('applies changes from events without loading the list again', async () => {
    expect(pageCalls.filter((m) => m === 'jobs.list')).toHaveLength(1);
    await page.getByRole('button', { name: 'Finished', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(0);
    await call('jobs.cancel', { jobId: firstCancelled!.id });
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().getAttribute('data-state')).toBe('cancelled');
    await expect.poll(counts).toMatch(/^1999 queued · 0 running · 1 recently finished/);
    await page.getByRole('button', { name: 'Queued', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(400);
    expect(pageCalls.filter((m) => m === 'jobs.list')).toHaveLength(1);
  });

  it('moves a job with the keyboard controls in a long queue, and the screen follows the order the core holds', async () => {
    await page.getByLabel('Filter by file name').fill('cura');
    const queued = (await call<JobView[]>('jobs.list', { finishedLimit: 0 })).filter((j) => j.fileName === 'cura.gcode');
    const second = queued[1]!;
    await rows().nth(1).getByRole('button', { name: 'Move cura.gcode up' }).click();
    await expect.poll(async () => (await call<JobView[]>('jobs.list', { finishedLimit: 0 })).filter((j) => j.fileName === 'cura.gcode')[0]?.id).toBe(second.id);
    await expect.poll(() => rows().first().textContent()).toContain(`copy ${second.copyNumber} of 500`);
  });
});

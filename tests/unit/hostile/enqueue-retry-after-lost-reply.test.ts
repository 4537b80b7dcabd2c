import { UPLOAD_CHUNK_BYTES } from '../../../electron/core/jobs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView, LibraryFileView } from '../../../electron/core/contract/jobs-types';
import { createCore, type Core } from '../../../electron/core/core';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { coreCalls } from '../../support/core-calls';
import { FakeDriver } from '../../support/fake-driver';
import { FIXTURE_GCODE, startHostileHost, waitUntil, type HostileHost } from './hostile-host';

async function addFixture(call: ReturnType<typeof coreCalls>['call']): Promise<string> {
  const { uploadId } = await call('library.uploadBegin', { name: 'part.gcode', sizeBytes: FIXTURE_GCODE.length });
  for (let off = 0; off < FIXTURE_GCODE.length; off += UPLOAD_CHUNK_BYTES) {
    await call('library.uploadChunk', { uploadId, offset: off, base64: FIXTURE_GCODE.subarray(off, off + UPLOAD_CHUNK_BYTES).toString('base64') });
  }
  const { file } = await call('library.uploadEnd', { uploadId });
  for (let i = 0; i < 200 && (await call('library.get', { sha256: file.sha256 })).status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 20));
  return file.sha256;
}

describe('attack: a client retries jobs.enqueue after its reply was lost', () => {
  let host: HostileHost;
  beforeAll(async () => (host = await startHostileHost()));
  afterAll(() => host.close());

  it('the retry with the same request id answers with the jobs already made, and queues nothing twice', async () => {
    const sha = await addFixture(coreCalls(() => host.t.core).call);
    const request = { fileSha256: sha, copies: 3, requestId: 'c0ffee00-lost-reply-1' };
    // The first call goes out and the socket drops before the reply is read.
    const lost = await host.raw();
    lost.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'jobs.enqueue', params: request }));
    await waitUntil(() => host.server.clients().every((c) => c.inFlight === 0), 2000, 'the first call to be handled');
    lost.terminate();

    const c = await host.client();
    const retry = await c.request('jobs.enqueue', request);
    const again = await c.request('jobs.enqueue', request);
    const queued = ((await c.request('jobs.list')).result as JobView[]).filter((j) => j.fileSha256 === sha);
    expect(queued).toHaveLength(3);
    expect((retry.result as JobView[]).map((j) => j.id).sort()).toEqual(queued.map((j) => j.id).sort());
    expect((again.result as JobView[]).map((j) => j.id)).toEqual((retry.result as JobView[]).map((j) => j.id));
    c.close();
  });

  it('the same request id with different input is refused rather than answered with the wrong jobs', async () => {
    const c = await host.client();
    const sha = ((await c.request('library.list')).result as LibraryFileView[])[0]!.sha256;
    expect((await c.request('jobs.enqueue', { fileSha256: sha, copies: 1, requestId: 'c0ffee00-reused-id' })).result).toHaveLength(1);
    const reused = await c.request('jobs.enqueue', { fileSha256: sha, copies: 5, requestId: 'c0ffee00-reused-id' });
    expect(reused.error?.data).toMatchObject({ code: 'conflict', message: expect.stringContaining('already used') });
    c.close();
  });
});

describe('a retried enqueue after the host crashed and restarted', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'apf-enqueue-retry-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const open = (): Core =>
    createCore({
      host: 'headless',
      version: '0.0.0-test',
      dataDir,
      settings: createMemorySettingsStore(),
      createDriver: () => new FakeDriver(),
      log: { error: () => {} },
      seedDefaultPrinter: false,
    });

  it('finds the jobs the first call committed, because the request id is stored with them', async () => {
    let core = open();
    const { call } = coreCalls(() => core);
    const sha = await addFixture(call);
    const request = { fileSha256: sha, copies: 2, requestId: 'req-before-the-crash' };
    const first = await call('jobs.enqueue', request);
    await core.close();
    core = open();
    const retry = await call('jobs.enqueue', request);
    expect(retry.map((j) => j.id)).toEqual(first.map((j) => j.id));
    expect((await call('jobs.list')).filter((j) => j.state === 'queued')).toHaveLength(2);
    await core.close();
  });
});

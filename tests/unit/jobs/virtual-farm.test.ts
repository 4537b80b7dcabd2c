import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { createDefaultDriverFactory } from '../../../electron/core/printers/default-drivers';
import { FIXTURES } from './farm-fixture';
import type { EventPayloads } from '../../../electron/core/contract';
import { coreCalls } from '../../support/core-calls';

let core: Core | null = null;
let dir = '';
afterEach(async () => {
  await core?.close();
  core = null;
  rmSync(dir, { recursive: true, force: true });
});

const { call, waitFor } = coreCalls(() => core!);

describe('farm over virtual printers', () => {
  it('uploads a slicer file in chunks, prints two copies on two virtual printers and records both in the history', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-vfarm-'));
    core = createCore({
      host: 'headless',
      version: '0.0.0-test',
      dataDir: dir,
      settings: createMemorySettingsStore(),
      createDriver: createDefaultDriverFactory({ virtualSpeed: 400 }),
      log: { error: () => {} },
      seedDefaultPrinter: true,
    });
    await call('printers.addVirtual', { name: 'Second' });
    const bytes = readFileSync(join(FIXTURES, 'prusaslicer.gcode'));
    const ready = waitFor('library.updated', (p) => p.file.status === 'ready');
    const { uploadId, chunkBytes } = await call('library.uploadBegin', { name: 'benchy.gcode', sizeBytes: bytes.length });
    for (let off = 0; off < bytes.length; off += chunkBytes) {
      await call('library.uploadChunk', { uploadId, offset: off, base64: bytes.subarray(off, off + chunkBytes).toString('base64') });
    }
    const { file } = await call('library.uploadEnd', { uploadId });
    await ready;

    const done: string[] = [];
    const bothDone = new Promise<void>((resolve) => {
      core!.events.subscribe((n, p) => {
        if (n !== 'history.added') return;
        done.push((p as EventPayloads['history.added']).entry.outcome);
        if (done.length === 2) resolve();
      });
    });
    const queued = await call('jobs.enqueue', { fileSha256: file.sha256, copies: 2 });
    expect(queued.map((j) => j.state)).toEqual(['queued', 'queued']);
    await bothDone;
    expect(done).toEqual(['completed', 'completed']);

    const profiles = await call('jobs.profiles');
    expect(profiles.map((p) => p.bed)).toEqual(['needs_clear', 'needs_clear']);
    const history = await call('history.list');
    expect(new Set(history.map((h) => h.printerId)).size).toBe(2);
    expect(history.every((h) => h.filamentG === file.filamentG)).toBe(true);
    const csv = await call('history.exportCsv');
    expect(csv.rows).toBe(2);
    const analytics = await call('history.analytics', { days: 1 });
    expect(analytics.successRate).toBe(1);
  });
});

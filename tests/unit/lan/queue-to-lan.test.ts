import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { createDefaultDriverFactory } from '../../../electron/core/printers/default-drivers';
import { startMoonrakerPeer, type MoonrakerPeer } from '../../peers/moonraker-peer';
import { FIXTURES } from '../jobs/farm-fixture';
import { coreCalls } from '../../support/core-calls';

let core: Core | null = null;
let peer: MoonrakerPeer | null = null;
let dir = '';
afterEach(async () => {
  await core?.close();
  await peer?.close();
  core = null;
  rmSync(dir, { recursive: true, force: true });
});

const { call, waitFor } = coreCalls(() => core!);

describe('the queue and a LAN printer', () => {
  it('dispatches a queued job to a Moonraker printer exactly as to a USB one and records its end in the history', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apf-lanq-'));
    peer = await startMoonrakerPeer();
    core = createCore({
      host: 'headless',
      version: '0.0.0-test',
      dataDir: dir,
      settings: createMemorySettingsStore(),
      createDriver: createDefaultDriverFactory(),
      log: { error: () => {} },
      seedDefaultPrinter: false,
    });
    const { printer } = await call('printers.add', { kind: 'moonraker', name: 'Voron', url: peer.url });
    await waitFor('printer.status', (p) => p.printerId === printer.id && p.status.state.kind === 'idle');

    const bytes = readFileSync(join(FIXTURES, 'prusaslicer.gcode'));
    const ready = waitFor('library.updated', (p) => p.file.status === 'ready');
    const { uploadId, chunkBytes } = await call('library.uploadBegin', { name: 'benchy.gcode', sizeBytes: bytes.length });
    for (let off = 0; off < bytes.length; off += chunkBytes) {
      await call('library.uploadChunk', { uploadId, offset: off, base64: bytes.subarray(off, off + chunkBytes).toString('base64') });
    }
    const { file } = await call('library.uploadEnd', { uploadId });
    await ready;

    const printing = waitFor('printer.status', (p) => p.printerId === printer.id && p.status.state.kind === 'printing');
    await call('jobs.enqueue', { fileSha256: file.sha256, copies: 1 });
    await printing;
    expect(peer.printer.files.get('benchy.gcode')?.equals(bytes)).toBe(true);

    const recorded = waitFor('history.added', () => true);
    peer.printer.finish();
    expect((await recorded).entry).toMatchObject({ printerId: printer.id, outcome: 'completed' });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { createDefaultDriverFactory } from '../../../electron/core/printers/default-drivers';
import { bgcodeText } from '../../../electron/core/gcode/bgcode/reader';
import { startMoonrakerPeer, type MoonrakerPeer } from '../../peers/moonraker-peer';
import { startOctoPrintPeer, type OctoPrintPeer } from '../../peers/octoprint-peer';
import { startPrusaLinkPeer, type PrusaLinkPeer } from '../../peers/prusalink-peer';
import { coreCalls } from '../../support/core-calls';
import { bgcode, COMPRESSION, samplePrint, TYPE } from '../gcode/bgcode/builder';

/**
 * A .bgcode in the library reaches each kind of printer in the form it reads: PrusaLink the binary file as it is,
 * Moonraker, OctoPrint and a USB (Marlin) board the G-code text it decodes to.
 */
let core: Core | null = null;
const peers: { close(): Promise<void> }[] = [];
let dir = '';
afterEach(async () => {
  await core?.close();
  for (const p of peers.splice(0)) await p.close();
  core = null;
  rmSync(dir, { recursive: true, force: true });
});

const { call, waitFor } = coreCalls(() => core!);

/** A print in three deflated G-code blocks, so the text goes out block by block. */
function printFile(): Buffer {
  const blocks = samplePrint('');
  blocks.pop();
  const lines = (from: number) => Array.from({ length: 400 }, (_, i) => `G1 X${(from + i) % 180} Y${(from + i * 3) % 180} E0.02 F3000`).join('\n') + '\n';
  blocks.push({ type: TYPE.gcode, compression: COMPRESSION.deflate, data: Buffer.from('M83\nG28\nG1 Z0.2 F720\n;LAYER_CHANGE\n') });
  for (let b = 0; b < 3; b++) blocks.push({ type: TYPE.gcode, compression: COMPRESSION.deflate, data: Buffer.from(lines(b * 400)) });
  return bgcode(blocks);
}

async function start(seedVirtual: boolean): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'apf-bgq-'));
  core = createCore({
    host: 'headless',
    version: '0.0.0-test',
    dataDir: dir,
    settings: createMemorySettingsStore(),
    createDriver: createDefaultDriverFactory({ virtualSpeed: 400 }),
    log: { error: () => {} },
    seedDefaultPrinter: seedVirtual,
  });
}

async function addToLibrary(name: string, bytes: Buffer) {
  const ready = waitFor('library.updated', (p) => p.file.status === 'ready');
  const { uploadId, chunkBytes } = await call('library.uploadBegin', { name, sizeBytes: bytes.length });
  for (let off = 0; off < bytes.length; off += chunkBytes) {
    await call('library.uploadChunk', { uploadId, offset: off, base64: bytes.subarray(off, off + chunkBytes).toString('base64') });
  }
  const { file } = await call('library.uploadEnd', { uploadId });
  await ready;
  return file;
}

async function decodedText(bytes: Buffer): Promise<Buffer> {
  const path = join(dir, 'decoded-check.bgcode');
  (await import('node:fs')).writeFileSync(path, bytes);
  const parts: Buffer[] = [];
  for await (const piece of bgcodeText(path)) parts.push(piece);
  return Buffer.concat(parts);
}

async function printOn(printerId: string, fileSha256: string): Promise<void> {
  const printing = waitFor('printer.status', (p) => p.printerId === printerId && p.status.state.kind === 'printing');
  await call('jobs.enqueue', { fileSha256, copies: 1, target: { kind: 'printer', printerId } });
  await printing;
}

describe('a .bgcode sent to printers', () => {
  it('goes to PrusaLink as the binary file it is, under its .bgcode name', async () => {
    await start(false);
    const peer: PrusaLinkPeer = await startPrusaLinkPeer({ password: 'pw' });
    peers.push(peer);
    const { printer } = await call('printers.add', { kind: 'prusalink', name: 'MK4', url: peer.url, secret: 'pw' });
    await waitFor('printer.status', (p) => p.printerId === printer.id && p.status.state.kind === 'idle');
    const bytes = printFile();
    const file = await addToLibrary('part.bgcode', bytes);
    expect(file).toMatchObject({ format: 'bgcode', name: 'part.bgcode', estimatedSeconds: 65, thumbnail: expect.stringMatching(/^data:image\/png;base64,/) });
    await printOn(printer.id, file.sha256);
    expect(peer.printer.files.get('part.bgcode')?.equals(bytes)).toBe(true);
  });

  it('goes to Moonraker and OctoPrint as the G-code text it decodes to, named .gcode', async () => {
    await start(false);
    const moonraker: MoonrakerPeer = await startMoonrakerPeer();
    const octoprint: OctoPrintPeer = await startOctoPrintPeer();
    peers.push(moonraker, octoprint);
    const voron = (await call('printers.add', { kind: 'moonraker', name: 'Voron', url: moonraker.url })).printer;
    const octo = (await call('printers.add', { kind: 'octoprint', name: 'Octo', url: octoprint.url })).printer;
    for (const p of [voron, octo]) await waitFor('printer.status', (s) => s.printerId === p.id && s.status.state.kind === 'idle');
    const bytes = printFile();
    const file = await addToLibrary('part.bgcode', bytes);
    const text = await decodedText(bytes);
    await printOn(voron.id, file.sha256);
    await printOn(octo.id, file.sha256);
    for (const peer of [moonraker, octoprint]) {
      const got = peer.printer.files.get('part.gcode');
      expect(got?.equals(text)).toBe(true);
      expect(got?.toString().startsWith('; generated by PrusaSlicer 2.8.1\n')).toBe(true);
      expect(got?.includes(Buffer.from('GCDE'))).toBe(false);
    }
  });

  it('streams the decoded text to a USB (Marlin) board, which runs it to the end', async () => {
    await start(true);
    const [virtual] = (await call('printers.list')).filter((p) => p.kind === 'virtual');
    await waitFor('printer.status', (p) => p.printerId === virtual!.id && p.status.state.kind === 'idle');
    const file = await addToLibrary('part.bgcode', printFile());
    const ended = new Promise<EventPayloads['history.added']['entry']>((resolve) =>
      core!.events.subscribe((n, p) => n === 'history.added' && resolve((p as EventPayloads['history.added']).entry)),
    );
    await call('jobs.enqueue', { fileSha256: file.sha256, copies: 1, target: { kind: 'printer', printerId: virtual!.id } });
    expect(await ended).toMatchObject({ printerId: virtual!.id, outcome: 'completed' });
  });
});

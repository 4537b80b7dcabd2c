import { readFileSync, rmSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileFormatOf, formatRefusal, printerTakesFormat } from '../../../electron/core/contract/file-formats';
import { PRINTER_KINDS } from '../../../electron/core/printers/model';
import { nameForFormat } from '../../../electron/core/jobs/library';
import { readImageHeader } from '../../../electron/core/gcode/image-header';
import { bgcodeText } from '../../../electron/core/gcode/bgcode/reader';
import { bgcode, SAMPLE_GCODE, samplePrint } from '../gcode/bgcode/builder';
import { createFarmHarness, type FarmHarness } from './farm-fixture';
import { REAL_GCODE_DIR, realGcodeFiles } from '../../support/real-gcode';

let h: FarmHarness | null = null;
let scratch = '';
afterEach(async () => {
  await h?.close();
  h = null;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function addBgcode(name = 'part.bgcode', bytes = bgcode(samplePrint(SAMPLE_GCODE))) {
  scratch = mkdtempSync(join(tmpdir(), 'apf-bg-'));
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  const { file } = await h!.library.addFromPath(path);
  await h!.library.analysesSettled();
  return { file: h!.library.get(file.sha256), bytes, path };
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const piece of source) parts.push(Buffer.from(piece));
  return Buffer.concat(parts);
}

describe('.bgcode files in the library', () => {
  it('keeps a .bgcode as files/<sha256>.bgcode with its figures and its QOI preview shown as PNG', async () => {
    h = await createFarmHarness();
    const { file, bytes } = await addBgcode();
    expect(file).toMatchObject({ name: 'part.bgcode', format: 'bgcode', status: 'ready', sizeBytes: bytes.length, estimatedSeconds: 65, filamentG: 0.37, printerModel: 'MK4S' });
    expect(file).not.toHaveProperty('bgcodeTextBytes');
    expect(readFileSync(h.library.pathOf(file.sha256)).equals(bytes)).toBe(true);
    expect(h.library.pathOf(file.sha256).endsWith(`${file.sha256}.bgcode`)).toBe(true);
    const png = Buffer.from(file.thumbnail!.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(readImageHeader(png)).toEqual({ format: 'png', width: 2, height: 2 });
  });

  it('names a file by what it holds: binary G-code is .bgcode, text G-code never is', () => {
    expect(nameForFormat('part.gcode', 'bgcode')).toBe('part.bgcode');
    expect(nameForFormat('part.bgcode', 'bgcode')).toBe('part.bgcode');
    expect(nameForFormat('part.bgcode', 'gcode')).toBe('part.gcode');
    expect(fileFormatOf('Part.BGCODE')).toBe('bgcode');
  });

  it('gives PrusaLink the file as it is and every other printer the decoded text, with its exact size', async () => {
    h = await createFarmHarness();
    const { file, bytes, path } = await addBgcode();
    const raw = h.library.source(file.sha256, file.name, 'prusalink');
    expect(raw).toMatchObject({ name: 'part.bgcode', size: bytes.length });
    expect((await readAll(raw.open())).equals(bytes)).toBe(true);
    const expected = await readAll(bgcodeText(path));
    for (const kind of ['marlin', 'virtual', 'octoprint', 'moonraker', undefined] as const) {
      const text = h.library.source(file.sha256, file.name, kind);
      expect(text.name).toBe('part.gcode');
      const got = await readAll(text.open());
      expect(got.equals(expected)).toBe(true);
      expect(text.size).toBe(got.length);
    }
  });

  it('sends a .bgcode queued for any printer to a Prusa or USB printer, never to a Bambu one', async () => {
    h = await createFarmHarness();
    h.fleet.add('x1c', { kind: 'idle' }, 'bambu');
    h.fleet.add('mk4', { kind: 'idle' }, 'prusalink');
    const { file } = await addBgcode();
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    expect(h.farm.get(job!.id)).toMatchObject({ printerId: 'mk4' });
    expect(h.fleet.started.map((s) => s.printerId)).toEqual(['mk4']);
  });

  it('refuses to queue a .bgcode for a Bambu printer, saying why', async () => {
    h = await createFarmHarness();
    h.fleet.add('x1c', { kind: 'idle' }, 'bambu');
    const { file } = await addBgcode();
    expect(() => h!.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'x1c' } })).toThrow(
      /Printer x1c cannot print a \.bgcode: it is Prusa binary G-code, sliced for a Prusa printer/,
    );
    expect(h.farm.list()).toEqual([]);
  });

  it('takes binary G-code on every printer kind but Bambu', () => {
    expect(PRINTER_KINDS.filter((k) => printerTakesFormat(k, 'bgcode'))).toEqual(['virtual', 'marlin', 'octoprint', 'moonraker', 'prusalink']);
    expect(formatRefusal('prusalink', 'bgcode', 'MK4')).toBeNull();
  });
});

const present = realGcodeFiles('the real .bgcode library test is').length > 0;
const coreOne = join(REAL_GCODE_DIR, 'prusaslicer-2.9.4_coreone.bgcode');

describe.skipIf(!present || !existsSync(coreOne))('a real CORE One .bgcode in the library', () => {
  it('shows its largest preview, a 480x240 QOI, as a PNG of that size', async () => {
    h = await createFarmHarness();
    const { file } = await h.library.addFromPath(coreOne);
    const png = Buffer.from(file.thumbnail!.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(readImageHeader(png)).toEqual({ format: 'png', width: 480, height: 240 });
  });
});

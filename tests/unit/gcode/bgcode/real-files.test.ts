import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/core/errors';
import { analyzeGcodeFile, bgcodeText, readGcodeMetadata, toAnalyzeJson } from '../../../../electron/core/gcode/index';
import { REAL_GCODE_DIR, realGcodeFiles } from '../../../support/real-gcode';
import { tempDir } from '../helpers';

/**
 * PrusaSlicer's real binary G-code (../shared/fixtures/gcode, relative to the project root; read in place, never
 * copied into the project), each with the text G-code PrusaSlicer wrote for the same print (`ascii_twin`).
 * Skipped, saying so, where the folder is absent.
 */
const binaries = realGcodeFiles('the real .bgcode tests are').filter((s) => s.file.endsWith('.bgcode'));
const present = binaries.length > 0;
const DIR = REAL_GCODE_DIR;
const tmp = tempDir();
afterAll(() => tmp.cleanup());

/**
 * "Decodes to its twin" means: the same commands, line for line, comments and spacing aside. Each line loses
 * everything from its first ';' and all its whitespace; lines left empty are dropped; what remains must be the
 * same sequence. (MeatPack drops the spaces of G lines, and PrusaSlicer's text export and its binary export
 * differ in comment lines around the thumbnails and header, never in a command.)
 */
function commandLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const semi = line.indexOf(';');
    const command = (semi === -1 ? line : line.slice(0, semi)).replace(/\s+/g, '');
    if (command) out.push(command);
  }
  return out;
}

async function decoded(path: string): Promise<string> {
  const parts: Buffer[] = [];
  for await (const piece of bgcodeText(path)) parts.push(piece);
  return Buffer.concat(parts).toString('utf8');
}

/** The offset of the first block of `type` (walking the block headers as the format documents them). */
function firstBlockOf(bytes: Buffer, type: number): { index: number; offset: number; dataAt: number } {
  let offset = 10;
  for (let index = 0; offset < bytes.length; index++) {
    const t = bytes.readUInt16LE(offset);
    const compression = bytes.readUInt16LE(offset + 2);
    const size = compression === 0 ? bytes.readUInt32LE(offset + 4) : bytes.readUInt32LE(offset + 8);
    const header = compression === 0 ? 8 : 12;
    const params = t === 5 ? 6 : 2;
    if (t === type) return { index, offset, dataAt: offset + header + params };
    offset += header + params + size + 4;
  }
  throw new Error(`no block of type ${type}`);
}

describe.skipIf(!present)('real binary G-code from PrusaSlicer', () => {
  it.each(binaries)('$file decodes to the commands of its text twin, line for line', async (s) => {
    const ours = commandLines(await decoded(join(DIR, s.file)));
    const twin = commandLines(readFileSync(join(DIR, s.ascii_twin!), 'utf8'));
    expect(ours.length).toBe(twin.length);
    const firstDifference = ours.findIndex((line, i) => line !== twin[i]);
    expect(firstDifference, `command ${firstDifference}: ${ours[firstDifference]} vs ${twin[firstDifference]}`).toBe(-1);
  });

  it.each(binaries)('$file: the analysis states what the file states ($blocks)', async (s) => {
    const a = await analyzeGcodeFile(join(DIR, s.file));
    const fast = await readGcodeMetadata(join(DIR, s.file));
    for (const m of [a.metadata, fast]) {
      expect(m.estimatedSeconds).toBe(s.estimated_seconds);
      expect(m.filamentMm).toBeCloseTo(s.filament_mm!, 3);
      expect(m.filamentG).toBe(s.filament_g);
      expect(m.layerHeight).toBe(s.layer_height);
      expect(m.nozzleDiameter).toBe(s.nozzle);
      expect(m.layerCount).toBe(s.layers);
      expect(m.thumbnails.map((t) => `${t.width}x${t.height}`)).toEqual(s.thumbnails.map((t) => `${t.w}x${t.h}`));
      expect(m.thumbnails.every((t) => t.decoded !== null)).toBe(true);
      expect(m.sizeBytes).toBe(readFileSync(join(DIR, s.file)).length);
      expect(m.warnings).toEqual([]);
    }
  });

  it.each(binaries)('$file: our own figures are those of its text twin', async (s) => {
    const bin = toAnalyzeJson(await analyzeGcodeFile(join(DIR, s.file)));
    const txt = toAnalyzeJson(await analyzeGcodeFile(join(DIR, s.ascii_twin!)));
    expect({ layers: bin.our_layers, filament: bin.our_filament_mm, bbox: bin.bbox, estimate: bin.our_estimate }).toEqual({
      layers: txt.our_layers,
      filament: txt.our_filament_mm,
      bbox: txt.bbox,
      estimate: txt.our_estimate,
    });
  });

  it('refuses a copy with one flipped byte in a G-code block, naming the block', async () => {
    const s = binaries.find((b) => b.file.includes('coreone'))!;
    const bytes = readFileSync(join(DIR, s.file));
    const gcode = firstBlockOf(bytes, 1);
    const copy = Buffer.from(bytes);
    copy[gcode.dataAt + 100]! ^= 0x20;
    const path = tmp.path('flipped.bgcode');
    writeFileSync(path, copy);
    const err = await analyzeGcodeFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toContain(`block ${gcode.index} (G-code, at byte ${gcode.offset}) fails its CRC32 check`);
  });

  it('refuses a copy with one flipped byte in a thumbnail, naming the block, before anything is added', async () => {
    const s = binaries.find((b) => b.file.includes('mini'))!;
    const path = tmp.path('thumb.bgcode');
    copyFileSync(join(DIR, s.file), path);
    const bytes = readFileSync(path);
    const thumb = firstBlockOf(bytes, 5);
    bytes[thumb.dataAt + 10]! ^= 0xff;
    writeFileSync(path, bytes);
    await expect(readGcodeMetadata(path)).rejects.toThrow(`block ${thumb.index} (thumbnail, at byte ${thumb.offset}) fails its CRC32 check`);
  });
});

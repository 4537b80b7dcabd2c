import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library, nameForFormat } from '../../../electron/core/jobs/library';
import { openDatabase, type Db } from '../../../electron/core/store/database';
import { buildZip, sampleThreeMf } from '../../support/zip-writer';
import { FIXTURES, stepClock } from './farm-fixture';

let dir: string;
let db: Db;
let library: Library;
let failures: { name: string; message: string }[];
const PLATE = readFileSync(join(FIXTURES, 'bambustudio.gcode'), 'utf8');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apf-lib3mf-'));
  db = openDatabase(dir);
  failures = [];
  library = new Library(db, dir, stepClock(), { updated: () => {}, removed: () => {}, failed: (f) => failures.push(f) });
});
afterEach(async () => {
  await library.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(name: string, bytes: Buffer) {
  const { uploadId } = await library.beginUpload(name, bytes.length);
  await library.uploadChunk(uploadId, 0, bytes.toString('base64'));
  return library.endUpload(uploadId);
}

async function readAll(source: { open(): AsyncIterable<Uint8Array> }): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of source.open()) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('library: Bambu .gcode.3mf files', () => {
  it('stores a .gcode.3mf under files/<sha256>.gcode.3mf with its plate metadata and preview, then analyses its G-code', async () => {
    const bytes = sampleThreeMf({ plates: { 1: PLATE } });
    const sha = createHash('sha256').update(bytes).digest('hex');
    const { file } = await upload('cube.gcode.3mf', bytes);
    expect(file).toMatchObject({
      sha256: sha,
      name: 'cube.gcode.3mf',
      format: 'gcode.3mf',
      plates: 1,
      status: 'analyzing',
      estimatedSeconds: 1480,
      filamentG: 4.73,
      printerModel: 'Bambu Lab P1S',
      material: 'PLA',
    });
    expect(file.thumbnail).toMatch(/^data:image\/png;base64,/);
    expect(readFileSync(join(dir, 'files', `${sha}.gcode.3mf`)).equals(bytes)).toBe(true);
    await library.analysesSettled();
    expect(failures).toEqual([]);
    expect(library.get(sha)).toMatchObject({
      status: 'ready',
      layers: 20,
      lines: PLATE.split('\n').length - (PLATE.endsWith('\n') ? 1 : 0),
      ourEstimatedSeconds: expect.any(Number),
    });
  });

  it('hands a printer the archive itself, named .gcode.3mf so a Bambu printer starts it as a project', async () => {
    const bytes = sampleThreeMf({ plates: { 1: PLATE } });
    const { file } = await upload('cube.3mf', bytes);
    expect(file.name).toBe('cube.gcode.3mf');
    const source = library.source(file.sha256, file.name);
    expect(source.name).toMatch(/\.gcode\.3mf$/);
    expect(source.size).toBe(bytes.length);
    expect((await readAll(source)).equals(bytes)).toBe(true);
  });

  it('refuses a 3MF project that was never sliced, naming the file and how to export a sliced plate', async () => {
    const raw = buildZip([{ name: '3D/3dmodel.model', data: '<model/>' }]);
    await expect(upload('raw.3mf', raw)).rejects.toThrow(/^raw\.3mf: This file is a 3MF project without sliced G-code.*Export plate sliced file/);
    expect(library.list()).toEqual([]);
    expect(readdirSync(join(dir, 'files')).filter((f) => f !== 'incoming')).toEqual([]);
  });

  it('removes a .gcode.3mf from disk with its entry', async () => {
    const { file } = await upload('cube.gcode.3mf', sampleThreeMf({ plates: { 1: PLATE } }));
    await library.analysesSettled();
    await library.remove(file.sha256, 0);
    expect(existsSync(join(dir, 'files', `${file.sha256}.gcode.3mf`))).toBe(false);
  });

  it('keeps plain G-code as files/<sha256>.gcode, and never names it .3mf', async () => {
    const bytes = readFileSync(join(FIXTURES, 'bambustudio.gcode'));
    const { file } = await upload('odd.3mf', bytes);
    expect(file).toMatchObject({ name: 'odd.gcode', format: 'gcode', plates: null });
    expect(existsSync(join(dir, 'files', `${file.sha256}.gcode`))).toBe(true);
  });

  it('still finds a plain G-code file stored before 3MF support', async () => {
    const bytes = readFileSync(join(FIXTURES, 'cura.gcode'));
    const src = join(dir, 'old.gcode');
    writeFileSync(src, bytes);
    const { file } = await library.addFromPath(src);
    expect(library.pathOf(file.sha256)).toBe(join(dir, 'files', `${file.sha256}.gcode`));
    expect((await readAll(library.source(file.sha256, file.name))).equals(bytes)).toBe(true);
  });

  it('names files for their format', () => {
    expect(nameForFormat('a.gcode.3mf', 'gcode.3mf')).toBe('a.gcode.3mf');
    expect(nameForFormat('a.3mf', 'gcode.3mf')).toBe('a.gcode.3mf');
    expect(nameForFormat('a.gcode', 'gcode.3mf')).toBe('a.gcode.3mf');
    expect(nameForFormat('a.gcode', 'gcode')).toBe('a.gcode');
    expect(nameForFormat('a.gcode.3mf', 'gcode')).toBe('a.gcode');
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpoolFields } from '../../../electron/core/contract/materials-types';
import type { ReportedTray } from '../../../electron/core/contract/printer-model';
import { startCommand } from '../../../electron/core/printers/bambu/report';
import { sampleThreeMf } from '../../support/zip-writer';
import { createFarmHarness, type FarmHarness } from './farm-fixture';

// bambustudio.gcode states PLA and 4.73 g.
const FIXTURES = join(__dirname, '../../fixtures/gcode');
const PLA: SpoolFields = {
  material: 'PLA',
  brand: 'Bambu',
  colourHex: '#000000',
  colourName: 'Black',
  diameterMm: 1.75,
  densityGCm3: 1.24,
  netWeightG: 1000,
  remainingG: 800,
  cost: null,
  lot: '',
};
const tray = (unit: number | null, index: number, material: string | null, colorHex: string | null): ReportedTray => ({
  slot: unit === null ? 'External spool' : `AMS ${unit + 1} · tray ${index + 1}`,
  amsUnit: unit,
  tray: index,
  material,
  name: null,
  colorHex,
  remainingPct: null,
  active: false,
});

let h: FarmHarness;
let scratch: string;
afterEach(async () => {
  await h?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function bambuWithAms(trays: ReportedTray[]) {
  h = await createFarmHarness();
  h.fleet.add('p1s', { kind: 'idle' }, 'bambu');
  h.fleet.setTrays('p1s', trays);
  scratch = mkdtempSync(join(tmpdir(), 'apf-ams-'));
  const path = join(scratch, 'cube.gcode.3mf');
  writeFileSync(path, sampleThreeMf({ plates: { 1: readFileSync(join(FIXTURES, 'bambustudio.gcode'), 'utf8') } }));
  const { file } = await h.library.addFromPath(path);
  await h.library.analysesSettled();
  return file.sha256;
}

describe("a Bambu AMS's trays", () => {
  it('takes a spool only into a tray the printer reports, saying why otherwise', async () => {
    await bambuWithAms([tray(0, 0, 'PLA', '#000000')]);
    const s = h.farm.spools.create(PLA);
    expect(h.farm.spools.load(s.id, { printerId: 'p1s', slot: 1 }).loadedOn).toEqual({ printerId: 'p1s', slot: 1 });
    const other = h.farm.spools.create(PLA);
    expect(() => h.farm.spools.load(other.id, { printerId: 'p1s', slot: 6 })).toThrow('Printer p1s reports no AMS tray for slot 6');
  });

  it('prints a project from the tray whose confirmed spool fits, and takes the grams off that spool', async () => {
    const sha = await bambuWithAms([tray(null, 0, null, null), tray(0, 0, 'PETG', '#FFFFFF'), tray(0, 2, 'PLA', '#000000')]);
    const petg = h.farm.spools.create({ ...PLA, material: 'PETG', colourHex: '#FFFFFF', colourName: 'White' });
    const pla = h.farm.spools.create(PLA);
    h.farm.spools.load(petg.id, { printerId: 'p1s', slot: 1 });
    h.farm.spools.load(pla.id, { printerId: 'p1s', slot: 3 });
    const [job] = h.farm.enqueue({ fileSha256: sha, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    // Tray 3 of AMS 1 (0-based 2) holds the PLA the file states: the printer is told to feed from it.
    expect(h.fleet.started).toEqual([{ printerId: 'p1s', name: 'cube.gcode.3mf', amsTray: 2 }]);
    h.fleet.warmUp('p1s');
    h.fleet.end('p1s', { kind: 'completed' });
    expect(h.farm.spools.require(pla.id).remainingG).toBe(800 - 4.73);
    expect(h.farm.spools.require(petg.id).remainingG).toBe(800);
    expect(h.farm.spools.usage(pla.id)).toEqual([expect.objectContaining({ jobId: job!.id, grams: 4.73 })]);
  });

  it('stops trusting a confirmed tray once the printer reports something else in it, and the job waits saying why', async () => {
    const sha = await bambuWithAms([tray(0, 0, 'PLA', '#000000')]);
    const pla = h.farm.spools.create(PLA);
    h.farm.spools.load(pla.id, { printerId: 'p1s', slot: 1 });
    // Someone swapped the spool at the printer: the AMS now reads PETG there.
    h.fleet.setTrays('p1s', [tray(0, 0, 'PETG', '#000000')]);
    const [job] = h.farm.enqueue({ fileSha256: sha, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    expect(h.fleet.started).toEqual([]);
    expect(h.farm.get(job!.id).waiting).toBe(
      "No printer has PLA with ≥ 4.7 g loaded: Printer p1s has AMS 1 · tray 1 to confirm again on its page. Load a matching spool, or edit the job's material.",
    );
  });

  it('a plain G-code file never goes to an AMS tray (Bambu takes tray choices for projects only)', () => {
    expect(startCommand('a.gcode.3mf', '1', 'Metadata/plate_1.gcode', 2)).toMatchObject({ print: { use_ams: true, ams_mapping: [2] } });
    expect(startCommand('a.gcode.3mf', '1')).toMatchObject({ print: { use_ams: false, ams_mapping: [0] } });
    expect(startCommand('a.gcode', '1', undefined, 2)).toEqual({ print: { sequence_id: '1', command: 'gcode_file', param: '/sdcard/a.gcode' } });
  });
});

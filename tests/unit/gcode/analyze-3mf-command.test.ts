import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../../electron/headless/commands/analyze';
import { buildZip, sampleThreeMf } from '../../support/zip-writer';
import { fixture, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await analyzeCommand(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('apf analyze on a .gcode.3mf', () => {
  it('prints the same JSON shape, with the plate figures and the plate list', async () => {
    const path = tmp.write('cube.gcode.3mf', sampleThreeMf({ plates: { 1: readFileSync(fixture('bambustudio.gcode'), 'utf8') } }));
    const r = await run(path, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      slicer: { name: 'BambuStudio' },
      estimated_seconds: 1480,
      filament_g: 4.73,
      layer_height: 0.2,
      nozzle: 0.4,
      printer_model: 'Bambu Lab P1S',
      layers: 20,
      material: 'PLA',
      plates: [{ index: 1, gcode: 'Metadata/plate_1.gcode', estimated_seconds: 1480, weight_g: 4.73, printer_model_id: 'C12' }],
    });
    expect(j.thumbnails.slice(0, 2)).toEqual([
      { w: 512, h: 512, format: 'png' },
      { w: 128, h: 128, format: 'png' },
    ]);
    expect(j.our_estimated_seconds).toBeGreaterThan(0);
  });

  it('says in the summary which plate it analysed', async () => {
    const path = tmp.write('two.gcode.3mf', sampleThreeMf({ plates: { 3: readFileSync(fixture('bambustudio.gcode'), 'utf8'), 4: 'G28\n' } }));
    const r = await run(path);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Plates\s+3, 4 sliced · plate 3 \(Metadata\/plate_3\.gcode\) analysed/);
  });

  it('exits 1 with the reason for a project that holds no sliced plate', async () => {
    const r = await run(tmp.write('raw.3mf', buildZip([{ name: '3D/3dmodel.model', data: '<model/>' }])));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^apf analyze: raw\.3mf is a 3MF project without sliced G-code/);
  });
});

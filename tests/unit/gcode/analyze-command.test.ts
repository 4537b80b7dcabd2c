import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../../electron/headless/commands/analyze';
import { fixture } from './helpers';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await analyzeCommand(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('apf analyze', () => {
  it('prints the agreed JSON shape with --json', async () => {
    const r = await run(fixture('prusaslicer.gcode'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(0, 10)).toEqual([
      'slicer',
      'estimated_seconds',
      'filament_mm',
      'filament_g',
      'layer_height',
      'nozzle',
      'printer_model',
      'layers',
      'lines',
      'thumbnails',
    ]);
    expect(j).toMatchObject({
      slicer: { name: 'PrusaSlicer', version: '2.7.1+linux-x64-GTK3' },
      estimated_seconds: 754,
      filament_mm: 1234.56,
      filament_g: 3.68,
      layer_height: 0.2,
      nozzle: 0.4,
      printer_model: 'MK4',
      layers: 20,
      lines: 1342,
      thumbnails: [
        { w: 24, h: 24, format: 'qoi' },
        { w: 16, h: 16, format: 'png' },
        { w: 32, h: 24, format: 'jpg' },
      ],
      material: 'PLA',
      warnings: [],
    });
    expect(j.our_estimated_seconds).toBeGreaterThan(0);
    expect(j.bbox).toEqual({ min: [0, -3, 0.2], max: [135, 115, 4] });
  });

  it('uses null for what the file does not state', async () => {
    const j = JSON.parse((await run('--json', fixture('slic3r.gcode'))).stdout);
    expect(j.estimated_seconds).toBeNull();
    expect(j.filament_g).toBeNull();
    expect(j.printer_model).toBeNull();
    expect(j.thumbnails).toEqual([]);
  });

  it('prints a short summary without --json', async () => {
    const r = await run(fixture('cura.gcode'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Cura 5\.6\.0/);
    expect(r.stdout).toMatch(/Print time\s+20m 34s \(slicer\)/);
    expect(r.stdout).toMatch(/Printer\s+Creality Ender-3 V2/);
  });

  it('exits 1 with a clear message for a bad file', async () => {
    const r = await run(fixture('does-not-exist.gcode'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^apf analyze: There is no file at/);
  });

  it('exits 2 for bad usage', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('a.gcode', 'b.gcode')).code).toBe(2);
    const r = await run('--jsno', 'a.gcode');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option --jsno/);
  });
});

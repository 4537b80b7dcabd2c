import { describe, expect, it } from 'vitest';
import { analyzeGcodeFile, readGcodeMetadata, type SlicerName } from '../../../electron/core/gcode/index';
import { fixture } from './helpers';

interface Expected {
  file: string;
  slicer: SlicerName;
  version: string;
  estimatedSeconds: number | null;
  filamentMm: number | null;
  filamentG: number | null;
  layerHeight: number | null;
  nozzleDiameter: number | null;
  printerModel: string | null;
  material: string | null;
  layerCount: number | null;
  thumbnails: string[];
  /** Our own count and box, from the motion in the file. */
  layers: number;
  bbox: [number, number, number, number, number, number];
}

// prettier-ignore -- one slicer's expected figures per block, laid out as a table
const CASES: Expected[] = [
  {
    file: 'prusaslicer.gcode',
    slicer: 'PrusaSlicer',
    version: '2.7.1+linux-x64-GTK3',
    estimatedSeconds: 12 * 60 + 34,
    filamentMm: 1234.56,
    filamentG: 3.68,
    layerHeight: 0.2,
    nozzleDiameter: 0.4,
    printerModel: 'MK4',
    material: 'PLA',
    layerCount: null,
    thumbnails: ['24x24 qoi', '16x16 png', '32x24 jpg'],
    layers: 20,
    bbox: [0, -3, 0.2, 135, 115, 4],
  },
  {
    file: 'superslicer.gcode',
    slicer: 'SuperSlicer',
    version: '2.5.59.2',
    estimatedSeconds: 3723,
    filamentMm: 987.65,
    filamentG: 2.47,
    layerHeight: 0.25,
    nozzleDiameter: 0.6,
    printerModel: 'Voron 2.4 350 - 0.6 nozzle',
    material: 'ABS',
    layerCount: null,
    thumbnails: ['32x32 png'],
    layers: 12,
    bbox: [165, 165, 0.3, 185, 185, 3.05],
  },
  {
    file: 'slic3r.gcode',
    slicer: 'Slic3r',
    version: '1.3.0',
    estimatedSeconds: null,
    filamentMm: 1523.4,
    filamentG: null,
    layerHeight: 0.3,
    nozzleDiameter: 0.5,
    printerModel: null,
    material: 'PETG',
    layerCount: null,
    thumbnails: [],
    layers: 10,
    bbox: [90, 90, 0.3, 110, 110, 3],
  },
  {
    file: 'orcaslicer.gcode',
    slicer: 'OrcaSlicer',
    version: '2.1.1',
    estimatedSeconds: 21 * 60 + 30,
    filamentMm: 2345.67,
    filamentG: 7.01,
    layerHeight: 0.2,
    nozzleDiameter: 0.4,
    printerModel: 'Voron 2.4 350',
    material: 'PETG',
    layerCount: 25,
    thumbnails: ['48x48 png'],
    layers: 25,
    bbox: [165, 165, 0.2, 185, 185, 5],
  },
  {
    file: 'bambustudio.gcode',
    slicer: 'BambuStudio',
    version: '01.09.01.67',
    estimatedSeconds: 24 * 60 + 40,
    filamentMm: 1587.34,
    filamentG: 4.73,
    layerHeight: 0.2,
    nozzleDiameter: 0.4,
    printerModel: 'Bambu Lab X1 Carbon',
    material: 'PLA',
    layerCount: 20,
    thumbnails: ['64x64 png'],
    layers: 20,
    bbox: [118, 118, 0.2, 138, 138, 4],
  },
  {
    file: 'cura.gcode',
    slicer: 'Cura',
    version: '5.6.0',
    estimatedSeconds: 1234,
    filamentMm: 1234.56,
    filamentG: null,
    layerHeight: 0.2,
    nozzleDiameter: null,
    printerModel: 'Creality Ender-3 V2',
    material: null,
    layerCount: 15,
    thumbnails: ['32x32 png'],
    // The two purge lines along the left edge are extruding moves too.
    layers: 15,
    bbox: [10.1, 20, 0.2, 110, 200, 3],
  },
  {
    file: 'simplify3d.gcode',
    slicer: 'Simplify3D',
    version: '4.1.2',
    estimatedSeconds: 18 * 60,
    filamentMm: 1456.7,
    filamentG: 4.38,
    layerHeight: 0.2,
    nozzleDiameter: 0.4,
    printerModel: null,
    material: 'PLA',
    layerCount: null,
    thumbnails: [],
    layers: 18,
    bbox: [115, 95, 0.2, 135, 115, 3.6],
  },
  {
    file: 'ideamaker.gcode',
    slicer: 'ideaMaker',
    version: '4.4.1.6416',
    // ideaMaker states no weight and no layer height (a real 4.2 file, ../shared/fixtures, shows it): both unknown.
    estimatedSeconds: 1654,
    filamentMm: 1820.6,
    filamentG: null,
    layerHeight: null,
    nozzleDiameter: 0.4,
    printerModel: null,
    material: 'PLA',
    layerCount: null,
    thumbnails: [],
    layers: 16,
    bbox: [142, 142, 0.3, 162, 162, 3.3],
  },
  {
    file: 'kisslicer.gcode',
    slicer: 'KISSlicer',
    version: '1.6.3 Release Linux64',
    estimatedSeconds: 871.2,
    filamentMm: 1456.37,
    filamentG: null,
    layerHeight: 0.15,
    nozzleDiameter: null,
    printerModel: 'Prusa i3 MK2S',
    material: 'PLA Natural',
    layerCount: null,
    thumbnails: [],
    layers: 14,
    bbox: [90, 90, 0.3, 110, 110, 2.25],
  },
  {
    file: 'kirimoto.gcode',
    slicer: 'Kiri:Moto',
    version: '4.1.5',
    estimatedSeconds: 1288,
    filamentMm: 1523.87,
    filamentG: null,
    layerHeight: 0.25,
    nozzleDiameter: null,
    printerModel: null,
    material: null,
    layerCount: 12,
    thumbnails: ['40x30 png'],
    layers: 12,
    bbox: [-10, -10, 0.3, 10, 10, 3.05],
  },
];

describe('slicer metadata', () => {
  it.each(CASES)('reads what $slicer states in $file', async (c) => {
    const m = await readGcodeMetadata(fixture(c.file));
    expect(m.slicer).toEqual({ name: c.slicer, version: c.version });
    expect(m.estimatedSeconds).toBe(c.estimatedSeconds);
    expect(m.filamentMm === null ? null : Math.round(m.filamentMm * 100) / 100).toBe(c.filamentMm);
    expect(m.filamentG === null ? null : Math.round(m.filamentG * 100) / 100).toBe(c.filamentG);
    expect(m.layerHeight).toBe(c.layerHeight);
    expect(m.nozzleDiameter).toBe(c.nozzleDiameter);
    expect(m.printerModel).toBe(c.printerModel);
    expect(m.material).toBe(c.material);
    expect(m.layerCount).toBe(c.layerCount);
    expect(m.thumbnails.map((t) => `${t.width}x${t.height} ${t.format}`)).toEqual(c.thumbnails);
    expect(m.warnings).toEqual([]);
  });

  it.each(CASES)('counts the layers and the extruded box of $file', async (c) => {
    const a = await analyzeGcodeFile(fixture(c.file));
    expect(a.layers).toBe(c.layers);
    const b = a.bbox!;
    const got = [b.min.x, b.min.y, b.min.z, b.max.x, b.max.y, b.max.z].map((v) => Math.round(v * 1000) / 1000);
    expect(got).toEqual(c.bbox);
    expect(a.warnings).toEqual([]);
  });

  it('finds the end-of-file summary of every slicer that writes one', async () => {
    for (const c of CASES) {
      const m = await readGcodeMetadata(fixture(c.file));
      expect(m.footerFound, c.file).toBe(c.slicer === 'ideaMaker' ? null : true);
    }
  });
});

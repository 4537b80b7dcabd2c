import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors';
import { analyzeGcodeFile, readGcodeMetadata } from '../../../electron/core/gcode/index';
import { readThreeMfMetadata } from '../../../electron/core/gcode/three-mf';
import { buildZip, sampleThreeMf, sliceInfoXml } from '../../support/zip-writer';
import { fixture, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const PLATE = readFileSync(fixture('bambustudio.gcode'), 'utf8');

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('Bambu .gcode.3mf metadata', () => {
  it('reads time, weight, filament, nozzle, printer, slicer and previews from slice_info and project settings', async () => {
    const path = tmp.write('cube.gcode.3mf', sampleThreeMf({ plates: { 1: PLATE } }));
    const m = await readGcodeMetadata(path);
    expect(m).toMatchObject({
      slicer: { name: 'BambuStudio', version: '01.09.01.67' },
      estimatedSeconds: 1480,
      filamentG: 4.73,
      filamentMm: 1590,
      material: 'PLA',
      nozzleDiameter: 0.4,
      printerModel: 'Bambu Lab P1S',
      layerHeight: 0.2,
      // Not in slice_info: from the plate G-code's header.
      layerCount: 20,
      container: { kind: 'gcode.3mf', plates: [{ index: 1, gcodeEntry: 'Metadata/plate_1.gcode', printerModelId: 'C12' }] },
    });
    expect(m.thumbnails.slice(0, 2).map((t) => [t.width, t.height, t.format])).toEqual([
      [512, 512, 'png'],
      [128, 128, 'png'],
    ]);
    expect(m.warnings).toEqual([]);
  });

  it('prefers slice_info figures over the G-code header and falls back to the header when slice_info is missing', async () => {
    const info = sliceInfoXml([{ index: 1, prediction: 3600, weight: 12.5, nozzle: '0.6', filaments: [{ type: 'PETG', m: 4, g: 12.5 }] }]);
    const withInfo = await readGcodeMetadata(tmp.write('a.gcode.3mf', sampleThreeMf({ plates: { 1: PLATE }, sliceInfo: info, projectSettings: null })));
    expect(withInfo).toMatchObject({ estimatedSeconds: 3600, filamentG: 12.5, filamentMm: 4000, material: 'PETG', nozzleDiameter: 0.6 });
    const bare = await readGcodeMetadata(tmp.write('b.gcode.3mf', sampleThreeMf({ plates: { 1: PLATE }, sliceInfo: null, projectSettings: null })));
    // The fixture header: "total estimated time: 24m 40s", 1587.34 mm, 4.73 g, 20 layers.
    expect(bare).toMatchObject({ estimatedSeconds: 1480, filamentMm: 1587.34, filamentG: 4.73, layerCount: 20, slicer: { name: 'BambuStudio' } });
  });

  it('describes the first sliced plate of a multi-plate file and says so', async () => {
    const info = sliceInfoXml([
      { index: 2, prediction: 100, weight: 1, filaments: [{ type: 'PLA', m: 0.3, g: 1 }] },
      { index: 5, prediction: 900, weight: 9, filaments: [{ type: 'ABS', m: 3, g: 9 }] },
    ]);
    const m = await readGcodeMetadata(tmp.write('multi.gcode.3mf', sampleThreeMf({ plates: { 5: PLATE, 2: PLATE }, sliceInfo: info })));
    expect(m.container?.plates.map((p) => p.index)).toEqual([2, 5]);
    expect(m).toMatchObject({ estimatedSeconds: 100, filamentG: 1, material: 'PLA' });
    expect(m.warnings[0]).toMatch(/2 sliced plates .*prints plate 2/);
  });

  it('reports the slicer warnings Bambu Studio stored for the plate', async () => {
    const info = sliceInfoXml([{ index: 1, prediction: 10, weight: 1, filaments: [], warning: 'Filament &amp; nozzle mismatch' }]);
    const m = await readGcodeMetadata(tmp.write('warn.gcode.3mf', sampleThreeMf({ plates: { 1: PLATE }, sliceInfo: info })));
    expect(m.warnings).toContain('The slicer warned: Filament & nozzle mismatch');
  });

  it('names OrcaSlicer from the model when the plate G-code does not name its slicer', async () => {
    const gcode = PLATE.replace(/^; BambuStudio .*$/m, '; some other header');
    const m = await readGcodeMetadata(tmp.write('orca.gcode.3mf', sampleThreeMf({ plates: { 1: gcode }, application: 'OrcaSlicer-2.1.1' })));
    expect(m.slicer).toEqual({ name: 'OrcaSlicer', version: '2.1.1' });
  });

  it('analyses the plate G-code inside the zip in full: layers, lines, extents and our estimate', async () => {
    const path = tmp.write('full.gcode.3mf', sampleThreeMf({ plates: { 1: PLATE } }));
    const a = await analyzeGcodeFile(path);
    const plain = await analyzeGcodeFile(fixture('bambustudio.gcode'));
    expect(a.lines).toBe(plain.lines);
    expect(a.layers).toBe(plain.layers);
    expect(a.bbox).toEqual(plain.bbox);
    expect(a.metadata).toMatchObject({ sizeBytes: readFileSync(path).length, estimatedSeconds: 1480, footerFound: true, container: { kind: 'gcode.3mf' } });
    expect(a.warnings).toEqual([]);
  });
});

describe('Bambu .gcode.3mf refusals', () => {
  it('refuses a 3MF project that was never sliced, saying how to export a sliced plate', async () => {
    const zip = buildZip([
      { name: '3D/3dmodel.model', data: '<model/>' },
      { name: 'Metadata/plate_1.png', data: 'png' },
    ]);
    const err = await failure(readGcodeMetadata(tmp.write('raw.3mf', zip)));
    expect(err.message).toMatch(/without sliced G-code/);
    expect(err.message).toMatch(/Export plate sliced file/);
  });

  it('refuses a ZIP that is not a 3MF at all', async () => {
    const err = await failure(readGcodeMetadata(tmp.write('photos.gcode.3mf', buildZip([{ name: 'a.txt', data: 'hi' }]))));
    expect(err.message).toMatch(/ZIP archive but not a 3MF print file/);
  });

  it('refuses a damaged or truncated archive as unreadable', async () => {
    const whole = sampleThreeMf({ plates: { 1: PLATE } });
    expect((await failure(readGcodeMetadata(tmp.write('cut.gcode.3mf', whole.subarray(0, whole.length - 100))))).message).toMatch(/not a readable ZIP archive/);
    expect((await failure(readGcodeMetadata(tmp.write('junk.gcode.3mf', Buffer.from('PK\x03\x04rest'))))).message).toMatch(/not a readable ZIP archive/);
  });

  it('refuses an encrypted plate', async () => {
    const zip = sampleThreeMf({ plates: {}, extra: [{ name: 'Metadata/plate_1.gcode', data: PLATE, encrypted: true }] });
    expect((await failure(readGcodeMetadata(tmp.write('locked.gcode.3mf', zip)))).message).toMatch(/plate_1\.gcode is encrypted/);
  });

  it('refuses a settings entry that would inflate past its limit, before inflating it', async () => {
    const bomb = Buffer.alloc(20 * 1024 * 1024, 0x20);
    const zip = sampleThreeMf({ plates: { 1: PLATE }, extra: [{ name: 'Metadata/project_settings.config', data: bomb }] });
    expect(zip.length).toBeLessThan(100 * 1024);
    expect((await failure(readGcodeMetadata(tmp.write('bomb.gcode.3mf', zip)))).message).toMatch(/project_settings\.config inflates to 20\.0 MB, over the 16\.0 MB/);
  });

  it('refuses an entry that inflates to more than its directory states (a lying zip bomb)', async () => {
    const bomb = Buffer.alloc(8 * 1024 * 1024, 0x20);
    const zip = sampleThreeMf({ plates: { 1: PLATE }, extra: [{ name: 'Metadata/slice_info.config', data: bomb, declaredSize: 1000 }] });
    expect((await failure(readGcodeMetadata(tmp.write('liar.gcode.3mf', zip)))).message).toMatch(
      /not a readable ZIP archive \(Metadata\/slice_info\.config inside it cannot be inflated/,
    );
  });

  it('refuses a plate G-code larger than the analysis limit', async () => {
    const path = tmp.write('big.gcode.3mf', sampleThreeMf({ plates: { 1: PLATE } }));
    expect((await failure(analyzeGcodeFile(path, { maxBytes: 1000 }))).message).toMatch(/over the/);
  });

  it('names the file it was given in its errors', async () => {
    const path = tmp.write('x.part', buildZip([{ name: 'a.txt', data: 'hi' }]));
    expect((await failure(readThreeMfMetadata(path, 'This file'))).message).toMatch(/^This file is a ZIP archive/);
  });
});

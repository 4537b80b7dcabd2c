import { closeSync, openSync, readFileSync, ftruncateSync, writeSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readGcodeMetadata } from '../../../electron/core/gcode/index';
import { fixture, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('metadata only', () => {
  it('reads the slicer summary at the end of a 4 GB file without reading the middle', async () => {
    // A sparse file: real G-code at both ends, 4 GB of zeros in between. Reading the middle would take long and
    // would trip the damaged-file checks; reading head and tail only sees clean G-code.
    const text = readFileSync(fixture('prusaslicer.gcode'), 'utf8');
    const cut = text.indexOf(';LAYER_CHANGE', text.length / 2);
    const head = Buffer.from(text.slice(0, cut));
    const tail = Buffer.from(text.slice(cut));
    const size = 4 * 1024 ** 3;
    const path = tmp.path('huge.gcode');
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, head, 0, head.length, 0);
      ftruncateSync(fd, size);
      writeSync(fd, tail, 0, tail.length, size - tail.length);
    } finally {
      closeSync(fd);
    }
    const m = await readGcodeMetadata(path);
    expect(m.sizeBytes).toBe(size);
    expect(m.slicer?.name).toBe('PrusaSlicer');
    expect(m.estimatedSeconds).toBe(754);
    expect(m.filamentMm).toBe(1234.56);
    expect(m.printerModel).toBe('MK4');
    expect(m.thumbnails).toHaveLength(3);
    expect(m.footerFound).toBe(true);
    expect(m.warnings).toEqual([]);
  });

  it('reads small files whole, without finding their thumbnails twice', async () => {
    const m = await readGcodeMetadata(fixture('bambustudio.gcode'));
    expect(m.thumbnails).toHaveLength(1);
  });
});

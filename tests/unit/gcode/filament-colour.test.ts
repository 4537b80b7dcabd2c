import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGcodeMetadata } from '../../../electron/core/gcode/index';
import { firstColour } from '../../../electron/core/gcode/comment-index';
import { REAL_GCODE_DIR, realGcodeFiles } from '../../support/real-gcode';

/**
 * The filament colour each real file states (read by hand from its `; filament_colour =` / `; extruder_colour =`
 * lines): the first extruder's filament colour, else its extruder colour, else none.
 */
const COLOURS: Record<string, { colour: string | null; material: string | null }> = {
  'prusaslicer-2.2.0_marlin.gcode': { colour: '#29B2B2', material: 'PLA' },
  'prusaslicer-2.5.0_mmu.gcode': { colour: '#FF8000', material: 'PLA' },
  'prusaslicer-2.6.0_xl5.ascii.gcode': { colour: '#FF8000', material: 'PLA, ABS' },
  'superslicer_arcwelder.gcode': { colour: '#A768DF', material: 'ABS' },
  'orcaslicer-2.3.0-beta2.gcode': { colour: '#FFFFFF', material: null },
  'bambustudio-01.10.02.76.gcode': { colour: '#00AE42', material: null },
  'prusaslicer-2.6.0_mini.ascii.gcode': { colour: '#FF8000', material: 'PETG' },
  'cura-master_marlin_2ext.gcode': { colour: null, material: null },
};

const present = realGcodeFiles('the filament colour tests are').length > 0;

describe.skipIf(!present)('filament colour from real slicer files', () => {
  it.each(Object.entries(COLOURS))('%s states its colour and material', async (file, want) => {
    const m = await readGcodeMetadata(join(REAL_GCODE_DIR, file));
    expect(m.colour).toBe(want.colour);
    if (want.material !== null) expect(m.material).toBe(want.material);
  });
});

it('takes the first extruder of a list, upper-cased, and ignores an unset or malformed value', () => {
  expect(firstColour('#ff8000;#DB5182')).toBe('#FF8000');
  expect(firstColour('"#00ae42"')).toBe('#00AE42');
  expect(firstColour('""')).toBeNull();
  expect(firstColour('red')).toBeNull();
  expect(firstColour(undefined)).toBeNull();
});

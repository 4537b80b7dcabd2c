import { describe, expect, it } from 'vitest';
import { LayerCounter } from '../../../electron/core/gcode/layer-markers';

describe('following the layer through G-code as it streams', () => {
  it('counts the layer-change comments of each slicer family', () => {
    for (const marker of [';LAYER_CHANGE', ';LAYER:3', '; CHANGE_LAYER', '; BEGIN_LAYER_OBJECT z=0.2', ';; --- layer 0 (0.2) ---', '; layer 1, Z = 0.3']) {
      const c = new LayerCounter();
      expect(c.see('G1 X1 Y1'), marker).toBe(0);
      expect(c.see(marker), marker).toBe(1);
      expect(c.see('G1 X2 E1'), marker).toBe(1);
      expect(c.see(marker), marker).toBe(2);
    }
  });

  it('counts a file with two marker kinds once per layer, as the analyzer does (the larger count)', () => {
    const c = new LayerCounter();
    const layers = [1, 2, 3].map(() => c.see(c.see(';LAYER_CHANGE') ? '; CHANGE_LAYER' : ''));
    expect(layers).toEqual([1, 2, 3]);
  });

  it('ignores plain-English comments that only look like a marker', () => {
    const c = new LayerCounter();
    expect(c.see('; layer height is 0.2')).toBe(0);
    expect(c.see('G1 X1 ; LAYER_CHANGE is not at the comment start')).toBe(0);
  });
});

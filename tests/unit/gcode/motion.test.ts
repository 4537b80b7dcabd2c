import { describe, expect, it } from 'vitest';
import { scan } from './helpers';

const box = (s: ReturnType<typeof scan>) => {
  const b = s.bbox!;
  return [b.min.x, b.min.y, b.min.z, b.max.x, b.max.y, b.max.z].map((v) => Math.round(v * 1000) / 1000 + 0);
};

describe('motion scanner', () => {
  it('boxes extruding moves only, not travel', () => {
    const s = scan(['G90', 'M83', 'G1 X0 Y0 Z0.2 F6000', 'G1 X10 Y0 E1', 'G1 X10 Y5 E0.5', 'G0 X200 Y200', 'G1 Z10'].join('\n'));
    expect(box(s)).toEqual([0, 0, 0.2, 10, 5, 0.2]);
  });

  it('follows relative positioning (G91) and absolute extrusion (M82)', () => {
    const s = scan(['G90', 'M82', 'G92 E0', 'G1 X5 Y5 Z0.3', 'G91', 'G1 X10 E1', 'G1 Y10 E1', 'G90', 'G1 X0 Y0'].join('\n'));
    // G91 makes E relative too, so both moves extrude 1 mm.
    expect(box(s)).toEqual([5, 5, 0.3, 15, 15, 0.3]);
    expect(s.extrudedMm).toBeCloseTo(2, 9);
  });

  it('treats a falling absolute E as a retraction and G92 E0 as a reset', () => {
    const s = scan(['M82', 'G1 X0 Y0 Z0.2', 'G1 X10 E5', 'G1 E4', 'G1 X20 Y0', 'G1 E5', 'G92 E0', 'G1 X30 E2'].join('\n'));
    expect(box(s)).toEqual([0, 0, 0.2, 30, 0, 0.2]);
    expect(s.extrudedMm).toBeCloseTo(7, 9);
  });

  it('reads inches after G20', () => {
    const s = scan(['G20', 'M83', 'G1 X1 Y1 Z0.01 E0.01'].join('\n'));
    expect(box(s)).toEqual([0, 0, 0, 25.4, 25.4, 0.254]);
  });

  it('includes the bulge of an arc beyond its end points', () => {
    // A counter-clockwise half circle from (10,0) to (-10,0) around the origin passes through (0,10).
    const s = scan(['M83', 'G1 X10 Y0 Z0.2', 'G3 X-10 Y0 I-10 J0 E1'].join('\n'));
    expect(box(s)).toEqual([-10, 0, 0.2, 10, 10, 0.2]);
    const cw = scan(['M83', 'G1 X10 Y0 Z0.2', 'G2 X-10 Y0 I-10 J0 E1'].join('\n'));
    expect(box(cw)).toEqual([-10, -10, 0.2, 10, 0, 0.2]);
    const radius = scan(['M83', 'G1 X10 Y0 Z0.2', 'G3 X-10 Y0 R10 E1'].join('\n'));
    expect(box(radius)).toEqual([-10, 0, 0.2, 10, 10, 0.2]);
  });

  it('counts layers from slicer markers, else from new extrusion heights', () => {
    const marked = scan([';LAYER_CHANGE', 'G1 Z0.2', 'G1 X1 E1', ';LAYER_CHANGE', 'G1 Z0.4', 'G1 X2 E1'].join('\n'));
    expect(marked.layers).toBe(2);
    const bare = scan(['M83', 'G1 Z0.2', 'G1 X1 E1', 'G1 Z1.2', 'G1 X5', 'G1 Z0.4', 'G1 X2 E1', 'G1 X3 E1', 'G1 Z0.6', 'G1 X2 E1'].join('\n'));
    expect(bare.layers).toBe(3);
  });

  it('does not count Bambu\'s "layer num" comment as a Simplify3D layer', () => {
    const s = scan(['; CHANGE_LAYER', '; layer num/total_layer_count: 1/2', '; CHANGE_LAYER', '; layer num/total_layer_count: 2/2'].join('\n'));
    expect(s.layers).toBe(2);
  });

  it('counts lines, including a last line without a newline', () => {
    expect(scan('G28\nG1 X1\n').lines).toBe(2);
    expect(scan('G28\nG1 X1').lines).toBe(2);
    expect(scan('G28\r\nG1 X1\r\n').lines).toBe(2);
    expect(scan('').lines).toBe(0);
  });

  it('ignores checksums, line numbers, comments after commands and Klipper macros', () => {
    const s = scan(['N1 G90*34', 'N2 M83*12', 'G1 X5 Y5 Z0.2 ; go', 'G1 X6 E1 ; print', 'EXCLUDE_OBJECT_START NAME=a', 'G1 X7 E1*99'].join('\n'));
    expect(box(s)).toEqual([5, 5, 0.2, 7, 5, 0.2]);
  });

  it('adds dwell time and counts heater waits without timing them', () => {
    const s = scan(['M109 S215', 'M190 S60', 'G4 P1500', 'G4 S2', 'M104 S0'].join('\n'));
    expect(s.dwellSeconds).toBeCloseTo(3.5, 9);
    expect(s.heaterWaits).toBe(2);
  });

  it('times a 100 mm move at F6000 as about one second plus acceleration', () => {
    const s = scan(['G1 X0 Y0 F6000', 'G1 X100'].join('\n'));
    // 100 mm/s with 1500 mm/s²: 1/15 s to reach speed, 1/15 s to stop, 93.3 mm cruising.
    expect(s.motionSeconds).toBeCloseTo(0.9333 + 2 / 15, 3);
  });

  it('uses the acceleration the file sets with M204 and caps speed at M203', () => {
    const fast = scan(['M204 S10000', 'G1 X0 F6000', 'G1 X100'].join('\n'));
    expect(fast.motionSeconds).toBeCloseTo(1 + 100 / 10000, 3);
    const capped = scan(['M203 X50', 'G1 X0 F6000', 'G1 X100'].join('\n'));
    expect(capped.motionSeconds).toBeGreaterThan(2);
  });

  it('keeps speed through a straight line split in many segments', () => {
    const lines = ['G1 X0 Y0 F6000'];
    for (let i = 1; i <= 100; i++) lines.push(`G1 X${i}`);
    expect(scan(lines.join('\n')).motionSeconds).toBeCloseTo(0.9333 + 2 / 15, 3);
  });

  it('slows down at a sharp corner', () => {
    const straight = scan(['G1 X0 Y0 F6000', 'G1 X50', 'G1 X100'].join('\n')).motionSeconds;
    const corner = scan(['G1 X0 Y0 F6000', 'G1 X50', 'G1 X50 Y50'].join('\n')).motionSeconds;
    // Two 50 mm moves that each stop at the 90° corner, against one 100 mm move.
    expect(straight).toBeCloseTo(0.9333 + 2 / 15, 3);
    // Each: 3.3 mm to reach 100 mm/s, 3.3 mm to stop, 43.3 mm cruising = 0.567 s.
    expect(corner).toBeCloseTo(2 * 0.5667, 1);
    expect(corner).toBeGreaterThan(straight + 0.05);
  });

  it('finds the offset of NUL bytes', () => {
    expect(scan('G28\nG1 X1\n\0\0\0').nulOffset).toBe(10);
    expect(scan('G28\n').nulOffset).toBeNull();
  });
});

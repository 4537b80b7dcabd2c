import { describe, expect, it } from 'vitest';
import { trapezoidSeconds } from '../../../electron/core/gcode/index';
import { TimeEstimator } from '../../../electron/core/gcode/time-estimator';

describe('time estimator', () => {
  it('cruises when the move is long enough', () => {
    expect(trapezoidSeconds(100, 100, 1500, 0, 0)).toBeCloseTo(1.0667, 4);
  });

  it('never reaches cruise speed on a short move (triangle profile)', () => {
    // 1 mm at 1500 mm/s²: peak sqrt(1500) mm/s, time 2*sqrt(1/1500).
    expect(trapezoidSeconds(1, 100, 1500, 0, 0)).toBeCloseTo(2 * Math.sqrt(1 / 1500), 6);
  });

  it('takes distance over speed when entering and leaving at full speed', () => {
    expect(trapezoidSeconds(10, 50, 1500, 50, 50)).toBeCloseTo(0.2, 9);
  });

  it('treats retractions as moves of the extruder that start and stop at rest', () => {
    const t = new TimeEstimator();
    t.add(0, 0, 0, -0.8, 35, 1500);
    t.flush();
    expect(t.seconds).toBeCloseTo(trapezoidSeconds(0.8, 35, 1500, 0, 0), 9);
  });
});

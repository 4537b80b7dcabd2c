import { expect, it } from 'vitest';
import { timeRange } from '../../../renderer/src/components/TemperatureChart';

it('shows at least the last minute, ending at the newest sample, so the time ticks never all read the same second', () => {
  const now = 1_800_000_000;
  // No samples yet: the minute before now (uPlot's own range would start at the epoch).
  expect(timeRange(null, null, now)).toEqual([now - 60, now]);
  // One sample: the minute before it.
  expect(timeRange(now - 5, now - 5, now)).toEqual([now - 65, now - 5]);
  // Ten minutes of samples: all of them.
  expect(timeRange(now - 600, now, now)).toEqual([now - 600, now]);
});

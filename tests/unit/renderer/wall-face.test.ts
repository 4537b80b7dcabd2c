import { expect, it } from 'vitest';
import type { PrinterView } from '../../../electron/core/contract';
import { wallFaceOf } from '../../../renderer/src/screens/wall/wall-face';

function printer(actual: number, fraction: number, remainingSeconds: number | null): PrinterView {
  return {
    id: 'p1',
    name: 'MK4 #1',
    status: {
      state: { kind: 'printing', job: { fileName: 'gear.gcode', fraction, linesSent: 0, linesTotal: null, startedAt: 0, remainingSeconds, layer: { current: 20, total: 50 } } },
      temperatures: { hotend: { actual, target: 215 }, bed: { actual: 59.96, target: 60 } },
      position: null,
      firmware: null,
    },
  } as unknown as PrinterView;
}

it("a wall tile's face is the same for reports a person across the room could not tell apart", () => {
  // Two reports a second apart: the hotend wobbles by tenths, progress moves within the same percent.
  expect(wallFaceOf(printer(214.8, 0.4012, 3599))).toEqual(wallFaceOf(printer(215.1, 0.4049, 3571)));
  expect(wallFaceOf(printer(215.1, 0.4049, 3571))).toEqual({
    name: 'MK4 #1',
    fileName: 'gear.gcode',
    percent: 40,
    layer: 'Layer 20 / 50',
    minutesLeft: 60,
    hotend: '215 / 215 °C',
    bed: '60 / 60 °C',
  });
});

it('changes when the percent, the minute left or a whole degree changes', () => {
  const base = wallFaceOf(printer(215, 0.4, 3600));
  expect(wallFaceOf(printer(215, 0.41, 3600))).not.toEqual(base);
  expect(wallFaceOf(printer(215, 0.4, 3540))).not.toEqual(base);
  expect(wallFaceOf(printer(216, 0.4, 3600))).not.toEqual(base);
});

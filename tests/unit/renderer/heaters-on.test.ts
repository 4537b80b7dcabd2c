import { describe, expect, it } from 'vitest';
import type { PrinterView } from '../../../electron/core/contract';
import type { PrinterState } from '../../../electron/core/printers/model';
import { heatersOnWithoutPrint } from '../../../renderer/src/components/heaters-on';

const CAPS = { setTemperature: true, home: true, jog: true, extrude: true, fan: true, motorsOff: true, console: true, emergencyStop: true, print: true, light: false };
const job = { fileName: 'part.gcode', fraction: 0.5, linesSent: 0, linesTotal: null, startedAt: 0, remainingSeconds: null };

function printer(state: PrinterState, hotendTarget: number, bedTarget: number): PrinterView {
  return {
    id: 'p',
    name: 'P',
    kind: 'marlin',
    embedded: false,
    capabilities: CAPS,
    notice: null,
    status: { state, temperatures: { hotend: { actual: 199.6, target: hotendTarget }, bed: { actual: 58, target: bedTarget } }, position: null, firmware: null },
  };
}

describe('a printer with heaters on and nothing printing', () => {
  it('is pointed out with each heater that is on', () => {
    expect(heatersOnWithoutPrint(printer({ kind: 'idle' }, 200, 60))).toBe('Heaters on, nothing printing: hotend 199.6 / 200 °C, bed 58.0 / 60 °C');
    expect(heatersOnWithoutPrint(printer({ kind: 'error', message: 'x' }, 0, 60))).toBe('Heaters on, nothing printing: bed 58.0 / 60 °C');
  });

  it('is not pointed out while it prints, when its heaters are off (still warm), or when it is not connected', () => {
    expect(heatersOnWithoutPrint(printer({ kind: 'printing', job }, 200, 60))).toBeNull();
    expect(heatersOnWithoutPrint(printer({ kind: 'paused', job }, 200, 60))).toBeNull();
    expect(heatersOnWithoutPrint(printer({ kind: 'idle' }, 0, 0))).toBeNull();
    expect(heatersOnWithoutPrint(printer({ kind: 'offline', reason: null }, 200, 60))).toBeNull();
  });
});

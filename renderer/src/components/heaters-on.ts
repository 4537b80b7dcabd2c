import type { PrinterView } from '../../../electron/core/contract';
import { formatHeater } from './format';

/**
 * A printer with a heater switched on and nothing printing: preheated by hand, or left hot by a print that
 * died elsewhere (firmware keeps heating until told otherwise). Returns what to say, or null.
 */
export function heatersOnWithoutPrint(printer: PrinterView): string | null {
  const { state, temperatures } = printer.status;
  if (state.kind === 'offline' || state.kind === 'connecting' || state.kind === 'printing' || state.kind === 'paused') return null;
  const on = [
    temperatures.hotend && temperatures.hotend.target > 0 ? `hotend ${formatHeater(temperatures.hotend)}` : null,
    temperatures.bed && temperatures.bed.target > 0 ? `bed ${formatHeater(temperatures.bed)}` : null,
  ].filter((s): s is string => s !== null);
  return on.length ? `Heaters on, nothing printing: ${on.join(', ')}` : null;
}

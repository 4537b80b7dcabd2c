import { NO_PRINTER_CAPABILITIES } from '../../contract/printer-model';
import type { PrinterCapabilities } from '../model';

export type Capability = keyof PrinterCapabilities;

/**
 * A driver's capabilities, naming only what its protocol really offers; everything unnamed is off, so a
 * new capability starts hidden on every network printer until its protocol is taught it.
 */
export function capabilities(...can: Capability[]): Readonly<PrinterCapabilities> {
  const caps = { ...NO_PRINTER_CAPABILITIES };
  for (const c of can) caps[c] = true;
  return Object.freeze(caps);
}

/** Manual controls a printer performs from G-code: heaters, homing, moves, extrusion, fan, motors off. */
export const GCODE_CONTROLS: readonly Capability[] = ['setTemperature', 'home', 'jog', 'extrude', 'fan', 'motorsOff'];

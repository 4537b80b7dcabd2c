import type { SpoolView } from './materials-types';
import type { ReportedTray } from './printer-model';
import { colourDistance, COLOUR_TOLERANCE, sameMaterial } from './material-compare';

/**
 * Why what a tray reports is not the spool confirmed in it (its material or colour), or null when it agrees. Pure:
 * the inventory uses it to stop trusting the tray, the printer page to say why.
 */
export function trayDisagrees(tray: ReportedTray, spool: Pick<SpoolView, 'material' | 'colourHex'>): string | null {
  if (tray.material === null) return 'The printer reports this tray empty.';
  if (!sameMaterial(tray.material, spool.material)) return `The printer reports ${tray.material} in this tray, not ${spool.material}.`;
  if (tray.colorHex && /^#[0-9A-F]{6}$/i.test(tray.colorHex) && colourDistance(tray.colorHex.toUpperCase(), spool.colourHex) > COLOUR_TOLERANCE) {
    return `The printer reports another colour in this tray (${tray.colorHex.toUpperCase()}, the spool is ${spool.colourHex}).`;
  }
  return null;
}

/**
 * Which printers can print which file format: the dispatcher decides with it and the queue dialog explains
 * with it. No imports but types: the renderer uses this file too.
 */
import type { PrintFileFormat } from './jobs-types';
import type { PrinterKind } from './printer-model';

/** The library names every .gcode.3mf and .bgcode so (and never plain G-code), so the name alone tells the format. */
export function fileFormatOf(fileName: string): PrintFileFormat {
  if (/\.3mf$/i.test(fileName)) return 'gcode.3mf';
  return /\.bgcode$/i.test(fileName) ? 'bgcode' : 'gcode';
}

/**
 * Whether a printer of this kind can print a file of this format.
 * A .gcode.3mf is a ZIP: its G-code sits inside and only Bambu firmware unpacks it (the Bambu driver uploads the
 * whole archive and starts its plate with `project_file`). Sent to Marlin, OctoPrint, Moonraker or PrusaLink it
 * would be streamed or stored as if it were G-code text, so those printers never get one. Plain G-code goes to
 * every kind, Bambu included: its driver uploads it and starts it with `gcode_file`, as it always has.
 * A .bgcode (Prusa binary G-code) goes to PrusaLink as it is (Prusa firmware reads it), and to Marlin USB,
 * OctoPrint, Moonraker and the virtual printer as the G-code text it decodes to; never to a Bambu printer: it
 * was sliced for a Prusa printer, and Bambu firmware runs only G-code sliced for it.
 * An unknown kind (a caller that does not say) only takes plain G-code, the one format every printer reads.
 */
export function printerTakesFormat(kind: PrinterKind | undefined, format: PrintFileFormat): boolean {
  if (format === 'gcode') return true;
  if (format === 'gcode.3mf') return kind === 'bambu';
  return kind !== undefined && kind !== 'bambu';
}

/** Why a printer of this kind cannot take the file, in the user's words; null when it can. */
export function formatRefusal(kind: PrinterKind | undefined, format: PrintFileFormat, printerName: string): string | null {
  if (printerTakesFormat(kind, format)) return null;
  if (format === 'bgcode') {
    return `${printerName} cannot print a .bgcode: it is Prusa binary G-code, sliced for a Prusa printer, and a Bambu Lab printer runs only G-code sliced for it. Queue it for a Prusa, USB, OctoPrint or Klipper printer, or slice the model for this printer in Bambu Studio or OrcaSlicer.`;
  }
  return `${printerName} cannot print a .gcode.3mf: its G-code is packed in a Bambu project file that only Bambu Lab printers unpack. Queue it for a Bambu printer, or export plain G-code from the slicer for this one.`;
}

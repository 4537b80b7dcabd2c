/**
 * Bambu Studio: a HEADER_BLOCK at the top ("; BambuStudio 01.07.06.92", "; model printing time: 8m 57s; total
 * estimated time: 15m 42s", "; total layer number: 92", newer versions add "; total filament length [mm] : …" and
 * "; total filament weight [g] : …"), then the configuration block, and "; EXECUTABLE_BLOCK_END" at the very end.
 */
import { firstColour, leadingNumber, numberList, plainText, sumOrNull, textValue } from '../comment-index';
import { parseDuration } from '../durations';
import type { SlicerStatement } from '../types';
import type { SlicerReader } from './reader';

export const bambuStudio: SlicerReader = {
  identify(head) {
    const m = /^;\s*BambuStudio\s+(\S+)/m.exec(head);
    return m ? { name: 'BambuStudio', version: m[1] ?? null } : null;
  },

  read({ index }): SlicerStatement {
    // "model printing time: 8m 57s; total estimated time: 15m 42s" lands in the index under its first key.
    const timeLine = index.get('model printing time') ?? '';
    const total = /total estimated time:\s*(.+)$/.exec(timeLine)?.[1];
    const estimated = parseDuration(total) ?? parseDuration(index.get('estimated printing time (normal mode)')) ?? parseDuration(timeLine.split(';')[0]);
    return {
      estimatedSeconds: estimated,
      filamentMm: leadingNumber(index.get('total filament length [mm]')) ?? sumOrNull(numberList(index.get('filament used [mm]'))),
      filamentG: leadingNumber(index.get('total filament weight [g]')) ?? leadingNumber(index.get('total filament used [g]')),
      layerHeight: leadingNumber(index.get('layer_height')),
      nozzleDiameter: leadingNumber(index.get('nozzle_diameter')),
      printerModel: plainText(index.get('printer_model')) ?? plainText(index.get('printer_settings_id')),
      material: textValue(index.get('filament_type')),
      // A filament's own colour is what is loaded; the extruder colour is PrusaSlicer's display colour for a tool.
      colour: firstColour(index.get('filament_colour')) ?? firstColour(index.get('extruder_colour')),
      layerCount: leadingNumber(index.get('total layer number')),
    };
  },

  footerFound({ tail }) {
    return /^; EXECUTABLE_BLOCK_END/m.test(tail);
  },
};

/**
 * KISSlicer: "; KISSlicer - FREE" and "; version 1.6.3 …" at the top with its settings as "; key = value", and at
 * the end "; Estimated Build Time:   7.01 minutes" (2.x: "; Calculated-during-export Build Time: … minutes") with
 * per-extruder lengths ("; Ext #1 = 1234.5 mm").
 */
import { leadingNumber, plainText, sumOrNull } from '../comment-index';
import type { SlicerStatement } from '../types';
import type { SlicerReader } from './reader';

export const kisslicer: SlicerReader = {
  identify(head) {
    if (!/^;\s*KISSlicer/m.test(head)) return null;
    return { name: 'KISSlicer', version: /^;\s*version\s+(.+?)\s*$/m.exec(head)?.[1] ?? null };
  },

  read({ index }): SlicerStatement {
    const minutes = leadingNumber(index.get('calculated-during-export build time')) ?? leadingNumber(index.get('estimated build time'));
    const ext: number[] = [];
    for (const l of index.lines) {
      const m = /^Ext #?\d+\s*=\s*([\d.]+)\s*mm/.exec(l);
      if (m) ext.push(Number(m[1]));
    }
    return {
      // Minutes with two decimals: keep the tenth of a second they state (1.83 min is 109.8 s).
      estimatedSeconds: minutes === null ? null : Math.round(minutes * 600) / 10,
      filamentMm: sumOrNull(ext),
      filamentG: null,
      layerHeight: leadingNumber(index.get('layer_thickness_mm')) ?? leadingNumber(index.get('max_layer_thickness_mm')),
      nozzleDiameter: leadingNumber(index.get('nozzle_dia_1')) ?? leadingNumber(index.get('nozzle_dia')),
      printerModel: plainText(index.get('printer_name')),
      material: plainText(index.get('material_name')),
      colour: null,
      layerCount: null,
    };
  },

  footerFound({ tail }) {
    return /Build Time:/.test(tail);
  },
};

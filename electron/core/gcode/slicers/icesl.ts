/**
 * IceSL: a "; <IceSL Dec 20 2021 17:10:40>" line (its build date, its only version), then every setting as
 * "; key : <tab>value": "; z_layer_height_mm : 0.3", "; nozzle_diameter_mm_0 : 0.4", "; printer : prusai3",
 * "; filament_type_0 : PLA". It states no time or filament totals in the files we have seen.
 */
import { leadingNumber, plainText } from '../comment-index';
import type { SlicerStatement } from '../types';
import type { SlicerReader } from './reader';

export const iceSL: SlicerReader = {
  identify(head) {
    const m = /^;\s*<IceSL\s*([^>]*)>/m.exec(head);
    return m ? { name: 'IceSL', version: m[1]?.trim() || null } : null;
  },

  read({ index }): SlicerStatement {
    return {
      estimatedSeconds: null,
      filamentMm: null,
      filamentG: null,
      layerHeight: leadingNumber(index.get('z_layer_height_mm')),
      nozzleDiameter: leadingNumber(index.get('nozzle_diameter_mm_0')),
      printerModel: plainText(index.get('printer')),
      material: plainText(index.get('filament_type_0')) ?? plainText(index.get('filament_name_0')),
      colour: null,
      layerCount: null,
    };
  },

  footerFound() {
    // Everything IceSL states is in its header.
    return null;
  },
};

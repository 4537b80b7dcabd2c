/**
 * Cura: a header of ";KEY:value" lines (";FLAVOR:Marlin", ";TIME:6632", ";Filament used: 1.2m", ";Layer height: 0.2",
 * ";TARGET_MACHINE.NAME:…", ";Generated with Cura_SteamEngine 5.5.0"), ";LAYER_COUNT:" before the first layer,
 * ";End of Gcode" and ";SETTING_3" lines at the end. Griffin-flavour files (Ultimaker) use ";PRINT.TIME:" and
 * ";EXTRUDER_TRAIN.0.NOZZLE.DIAMETER:" between START_OF_HEADER and END_OF_HEADER.
 */
import { leadingNumber, numberList, plainText, sumOrNull, textValue } from '../comment-index';
import type { SlicerStatement } from '../types';
import type { SlicerReader } from './reader';

/** Cura keeps changed settings as escaped JSON split over ";SETTING_3 " lines; join them to search them. */
function settingsText(tail: string): string {
  const parts: string[] = [];
  const re = /^;SETTING_3 (.*?)\r?$/gm;
  for (let m = re.exec(tail); m; m = re.exec(tail)) parts.push(m[1]!);
  return parts.join('');
}

export const cura: SlicerReader = {
  identify(head) {
    const m = /;Generated with Cura_SteamEngine\s+(\S+)/.exec(head);
    if (m) return { name: 'Cura', version: m[1] ?? null };
    if (/^;GENERATOR\.NAME:\s*Cura_SteamEngine/m.test(head)) {
      return { name: 'Cura', version: /^;GENERATOR\.VERSION:\s*(\S+)/m.exec(head)?.[1] ?? null };
    }
    return null;
  },

  read({ index, tail }): SlicerStatement {
    // ";Filament used: 1.2m, 0.4m" is in metres; a few forks write "mm".
    const used = index.get('filament used');
    let filamentMm: number | null = null;
    if (used !== undefined) {
      const values = numberList(used);
      filamentMm = sumOrNull(/\dmm\b/.test(used) ? values : values.map((v) => v * 1000));
    }
    const settings = settingsText(tail);
    const fromSettings = (key: string) => leadingNumber(new RegExp(`${key} = ([\\d.]+)`).exec(settings)?.[1]);
    return {
      estimatedSeconds: leadingNumber(index.get('time')) ?? leadingNumber(index.get('print.time')),
      filamentMm,
      filamentG: sumOrNull(numberList(index.get('filament weight'))),
      layerHeight: leadingNumber(index.get('layer height')) ?? fromSettings('layer_height'),
      nozzleDiameter: leadingNumber(index.get('extruder_train.0.nozzle.diameter')) ?? leadingNumber(index.get('nozzle diameter')) ?? fromSettings('machine_nozzle_size'),
      printerModel: plainText(index.get('target_machine.name')),
      material: textValue(index.get('filament type')),
      colour: null,
      layerCount: leadingNumber(index.get('layer_count')),
    };
  },

  footerFound({ tail }) {
    return /^;End of Gcode/m.test(tail) || /^;SETTING_3 /m.test(tail);
  },
};

/**
 * ideaMaker: ";Sliced by ideaMaker 4.2.1.4380, 2021-03-18", ";Dimension: W D H NOZZLE", ";Filament Type #1: PLA",
 * ";Filament Diameter #1: 1.75", ";Filament Density #1: 1.24", ";Print Time: 5678" (seconds), ";Material#1 Used:
 * 1234.5" (mm), and ";LAYER:n" / ";HEIGHT:h" before each layer.
 */
import { leadingNumber, numberList, plainText, sumOrNull } from '../comment-index';
import type { SlicerStatement } from '../types';
import type { SlicerReader } from './reader';

function perExtruder(lines: readonly string[], re: RegExp): number[] {
  const out: number[] = [];
  for (const l of lines) {
    const m = re.exec(l);
    if (m) out.push(Number(m[1]));
  }
  return out.filter(Number.isFinite);
}

export const ideaMaker: SlicerReader = {
  identify(head) {
    const m = /;Sliced by ideaMaker\s+([^,\s]+)/.exec(head);
    return m ? { name: 'ideaMaker', version: m[1] ?? null } : null;
  },

  read({ index }): SlicerStatement {
    const used = perExtruder(index.lines, /^Material#\d+ Used:\s*([\d.]+)/);
    const dimension = numberList(index.get('dimension'));
    const type = index.lineStartingWith('Filament Type #')?.replace(/^Filament Type #\d+:\s*/, '');
    // ideaMaker states no weight (only length, diameter and density) and no layer height (each layer's
    // ";HEIGHT:" is that layer's, rafts included): both stay unknown rather than guessed.
    return {
      estimatedSeconds: leadingNumber(index.get('print time')),
      filamentMm: sumOrNull(used),
      filamentG: null,
      layerHeight: null,
      nozzleDiameter: dimension.length >= 4 ? dimension[3]! : null,
      printerModel: plainText(index.get('machine name')),
      material: plainText(type),
      colour: null,
      layerCount: leadingNumber(index.get('layer count')),
    };
  },

  footerFound() {
    return null;
  },
};

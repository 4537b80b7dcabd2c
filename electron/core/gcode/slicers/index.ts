import type { SlicerInfo } from '../types';
import { bambuStudio } from './bambu';
import { cura } from './cura';
import { iceSL } from './icesl';
import { ideaMaker } from './ideamaker';
import { kiriMoto } from './kirimoto';
import { kisslicer } from './kisslicer';
import type { SlicerReader } from './reader';
import { simplify3d } from './simplify3d';
import { slic3rFamily } from './slic3r-family';

export type { MetadataText, SlicerReader } from './reader';
export { EMPTY_STATEMENT } from './reader';

/** Bambu first: some of its files also carry Slic3r-style lines. */
const READERS: readonly SlicerReader[] = [bambuStudio, slic3rFamily, cura, simplify3d, ideaMaker, kisslicer, kiriMoto, iceSL];

export function detectSlicer(head: string): { slicer: SlicerInfo; reader: SlicerReader } | null {
  for (const reader of READERS) {
    const slicer = reader.identify(head);
    if (slicer) return { slicer, reader };
  }
  return null;
}

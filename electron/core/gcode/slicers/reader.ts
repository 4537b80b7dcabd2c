import type { CommentIndex } from '../comment-index';
import type { SlicerInfo, SlicerStatement } from '../types';

/** The text a slicer reader works on: the file's head and tail, and their comment lines indexed. */
export interface MetadataText {
  head: string;
  tail: string;
  index: CommentIndex;
}

export interface SlicerReader {
  /** Recognises the slicer from the head of the file. */
  identify(head: string): SlicerInfo | null;
  read(text: MetadataText, slicer: SlicerInfo): SlicerStatement;
  /** Whether the slicer's end-of-file summary is present; null when this slicer writes none we can rely on. */
  footerFound(text: MetadataText, slicer: SlicerInfo): boolean | null;
}

export const EMPTY_STATEMENT: SlicerStatement = {
  estimatedSeconds: null,
  filamentMm: null,
  filamentG: null,
  layerHeight: null,
  nozzleDiameter: null,
  printerModel: null,
  material: null,
  colour: null,
  layerCount: null,
};

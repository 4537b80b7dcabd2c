import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** One slicer's file as `stated.json` records it (read by hand from the file). */
export interface StatedFile {
  file: string;
  /** For a .bgcode: the text G-code the slicer wrote for the same print. */
  ascii_twin?: string;
  blocks?: string;
  estimated_seconds: number | null;
  filament_mm: number | null;
  filament_g: number | null;
  layer_height: number | null;
  nozzle: number | null;
  layers: number | null;
  thumbnails: { w: number; h: number }[];
}

/**
 * Real slicer files are read in place from ../shared (relative to the project root), never copied into the
 * project; APF_REAL_GCODE_DIR points elsewhere (CI sets it for a clone made outside /work).
 */
export const REAL_GCODE_DIR = process.env.APF_REAL_GCODE_DIR ?? resolve(__dirname, '../../../shared/fixtures/gcode');

/** The stated files, or [] after saying which tests skip, where the folder is absent. */
export function realGcodeFiles(skippedTests: string): StatedFile[] {
  const statedPath = join(REAL_GCODE_DIR, 'stated.json');
  if (!existsSync(statedPath)) {
    console.warn(`Real slicer files not found at ${REAL_GCODE_DIR}: ${skippedTests} skipped.`);
    return [];
  }
  return JSON.parse(readFileSync(statedPath, 'utf8')) as StatedFile[];
}

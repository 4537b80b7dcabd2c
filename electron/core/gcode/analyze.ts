/**
 * The full analysis of any file the library takes: plain text (text-analysis.ts), a Bambu .gcode.3mf or a binary
 * .bgcode, each scanned as the G-code text it holds. The container readers use text-analysis.ts directly, so the
 * modules form no cycle.
 */
import { analyzeBgcodeFile, isBgcodeFile } from './bgcode/reader';
import { fileSize } from './file-access';
import { DEFAULT_MAX_BYTES } from './limits';
import { analyzeTextFile, checkSize } from './text-analysis';
import { analyzeThreeMfFile, isZipFile } from './three-mf';
import type { AnalyzeOptions, GcodeAnalysis } from './types';

export { analyzeGcodeStream } from './text-analysis';

/** Reads every byte once, in large asynchronous chunks, so the event loop gets a turn between chunks. */
export async function analyzeGcodeFile(path: string, opts: AnalyzeOptions = {}): Promise<GcodeAnalysis> {
  const size = await fileSize(path);
  checkSize(size, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  // A Bambu .gcode.3mf: its plate G-code is inflated from the zip and scanned the same way.
  if (await isZipFile(path)) return analyzeThreeMfFile(path, opts);
  // Binary G-code (.bgcode): decoded block by block and scanned as the text it stands for.
  if (await isBgcodeFile(path)) return analyzeBgcodeFile(path, opts);
  return analyzeTextFile(path, size, opts);
}

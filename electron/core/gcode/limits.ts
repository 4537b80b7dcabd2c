/** Sizes the analyzer works with. Metadata lives in the first and last few hundred KB of every slicer's output. */
export const HEAD_BYTES = 256 * 1024;
export const TAIL_BYTES = 256 * 1024;
/** A thumbnail block that starts in the head may run past it; we follow it this far and no further. */
export const HEAD_EXTENSION_LIMIT = 16 * 1024 * 1024;
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024;
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
export const DEFAULT_ACCELERATION = 1500;
/** Marlin's default junction deviation; decides how fast the head may take a corner. */
export const JUNCTION_DEVIATION_MM = 0.013;

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

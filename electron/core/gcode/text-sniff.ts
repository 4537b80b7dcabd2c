/** Tells G-code text from files that only carry a .gcode name: binary G-code, archives, images, empty files. */
import { AppError } from '../errors';

const SAMPLE = 64 * 1024;
const BINARY_NUL_WITHIN = 1024;

/** Throws a user-facing invalid_input error when `head` (the first bytes of the file) is not text. */
export function assertTextFile(head: Uint8Array, sizeBytes: number): void {
  if (sizeBytes === 0 || head.length === 0) {
    throw new AppError('invalid_input', 'The file is empty (0 bytes). Export the G-code from your slicer again.');
  }
  if (startsWith(head, 'GCDE')) {
    throw new AppError(
      'invalid_input',
      'This is a binary G-code file (.bgcode): it is read from its blocks, not as text. Open it as a file (apf analyze, or add it to the library).',
    );
  }
  if (startsWith(head, 'PK\x03\x04')) {
    throw new AppError(
      'invalid_input',
      'This file is a ZIP archive (for example a .3mf or .gcode.3mf project), not plain G-code. Export plain G-code from the slicer, or pick the .gcode file inside the archive.',
    );
  }
  const n = Math.min(head.length, SAMPLE);
  // NUL bytes right at the start mean a binary file; NUL bytes after a stretch of text mean damaged G-code
  // (an interrupted copy leaves zeros behind), which the caller reports as a warning instead.
  const nul = head.subarray(0, n).indexOf(0);
  if (nul !== -1 && nul < BINARY_NUL_WITHIN) {
    throw new AppError('invalid_input', `This file is binary, not G-code text (it has NUL bytes at byte ${nul}). Pick the .gcode file your slicer exported.`);
  }
  const end = nul === -1 ? n : nul;
  let control = 0;
  for (let i = 0; i < end; i++) {
    const c = head[i]!;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  if (control > end * 0.01) {
    throw new AppError('invalid_input', 'This file is mostly not text, so it is not G-code. Pick the .gcode file your slicer exported.');
  }
}

function startsWith(b: Uint8Array, ascii: string): boolean {
  if (b.length < ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (b[i] !== ascii.charCodeAt(i)) return false;
  return true;
}

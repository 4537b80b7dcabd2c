/** A .bgcode file on disk as the G-code text a USB printer is sent (`apf print part.bgcode`). */
import { basename } from 'node:path';
import type { PrintSource } from '../../printers/driver';
import { bgcodeText } from './reader';

/**
 * Decodes the file once to learn the text's size (progress is counted in bytes of what is sent), holding one
 * block at a time; the print then decodes it again as it streams.
 */
export async function bgcodeSource(path: string): Promise<PrintSource> {
  const label = basename(path);
  let size = 0;
  for await (const piece of bgcodeText(path, label)) size += piece.length;
  return { name: label.replace(/\.bgcode$/i, '.gcode'), size, open: () => bgcodeText(path, label) };
}

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PrintSource } from '../driver';

/** A G-code file on disk as a PrintSource. */
export async function fileSource(path: string): Promise<PrintSource> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file.`);
  return {
    name: basename(path),
    size: info.size,
    open: () => createReadStream(path, { highWaterMark: 64 * 1024 }),
  };
}

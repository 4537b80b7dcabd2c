/**
 * Slicer metadata of any file the library takes: plain G-code text (text-metadata.ts), a Bambu .gcode.3mf or a
 * binary .bgcode (their readers turn them into the text's terms). The containers use the text readers, never
 * this dispatcher, so the modules form no cycle.
 */
import { isBgcodeHead } from './bgcode/format';
import { readBgcodeMetadata } from './bgcode/reader';
import { readHeadTail } from './file-access';
import { metadataFromHeadTail } from './text-metadata';
import { readThreeMfMetadata } from './three-mf';
import type { GcodeMetadata } from './types';
import { isZipHead } from './zip-archive';

export { metadataFromHeadTail } from './text-metadata';

/** Reads only the first and last few hundred KB, so it takes the same time for a 1 MB or a 1 GB file. */
export async function readGcodeMetadata(path: string): Promise<GcodeMetadata> {
  const ht = await readHeadTail(path);
  // A Bambu .gcode.3mf (a zip): read from its slice info, previews and plate G-code header instead.
  if (isZipHead(ht.head)) return readThreeMfMetadata(path);
  // Binary G-code (.bgcode): read from its metadata and thumbnail blocks.
  if (isBgcodeHead(ht.head)) return readBgcodeMetadata(path);
  return metadataFromHeadTail(ht);
}

/**
 * What the app needs from a Bambu `.gcode.3mf` (a zip): which sliced plates it holds. The zip's central
 * directory sits at its end, so the upload stream keeps only its last bytes and the list is read from them
 * after the upload, without a second pass over the file.
 */
const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
/** The end record plus a central directory of a few hundred entries fits easily. */
const TAIL_BYTES = 256 * 1024;

export class TailKeeper {
  private chunks: Buffer[] = [];
  private size = 0;

  push(chunk: Uint8Array): void {
    const buf = Buffer.from(chunk);
    this.chunks.push(buf);
    this.size += buf.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= TAIL_BYTES) this.size -= this.chunks.shift()!.length;
  }

  tail(): Buffer {
    const all = Buffer.concat(this.chunks);
    return all.length > TAIL_BYTES ? all.subarray(all.length - TAIL_BYTES) : all;
  }
}

/** The names in a zip's central directory, or null when the bytes do not end a zip. */
export function zipEntryNames(tail: Buffer): string[] | null {
  let eocd = -1;
  for (let i = tail.length - 22; i >= Math.max(0, tail.length - 22 - 65_535); i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  let p = eocd - cdSize;
  if (p < 0) return null;
  const names: string[] = [];
  for (let n = 0; n < count && p + 46 <= eocd; n++) {
    if (tail.readUInt32LE(p) !== CENTRAL_SIGNATURE) return null;
    const nameLen = tail.readUInt16LE(p + 28);
    const extraLen = tail.readUInt16LE(p + 30);
    const commentLen = tail.readUInt16LE(p + 32);
    names.push(tail.subarray(p + 46, p + 46 + nameLen).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The sliced plates in a `.gcode.3mf`, lowest plate first (`Metadata/plate_1.gcode`, …). */
export function slicedPlates(names: readonly string[]): string[] {
  return names
    .map((n) => ({ n, m: /^Metadata\/plate_(\d+)\.gcode$/.exec(n) }))
    .filter((x) => x.m)
    .sort((a, b) => Number(a.m![1]) - Number(b.m![1]))
    .map((x) => x.n);
}

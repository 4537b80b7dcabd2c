/**
 * Decodes a QOI image ("Quite OK Image", qoiformat.org) to raw pixels. PrusaSlicer stores some .bgcode
 * thumbnails as QOI, which no browser shows, so the library turns them into PNG (png.ts).
 */

export interface Pixels {
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA) bytes per pixel, rows top to bottom. */
  channels: 3 | 4;
  data: Buffer;
}

const HEADER_BYTES = 14;
const END_MARKER_BYTES = 8;
const OP_RGB = 0xfe;
const OP_RGBA = 0xff;
/** Thumbnails are small; this bounds the memory a damaged header could ask for. */
const MAX_PIXELS = 16 * 1024 * 1024;

/** The pixels, or null when the bytes are not a whole, valid QOI image. */
export function decodeQoi(bytes: Uint8Array): Pixels | null {
  if (bytes.length < HEADER_BYTES + END_MARKER_BYTES) return null;
  if (bytes[0] !== 0x71 || bytes[1] !== 0x6f || bytes[2] !== 0x69 || bytes[3] !== 0x66) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(4);
  const height = view.getUint32(8);
  const channels = bytes[12];
  if ((channels !== 3 && channels !== 4) || width === 0 || height === 0 || width * height > MAX_PIXELS) return null;
  const data = Buffer.allocUnsafe(width * height * channels);
  // The running index of recently seen colours, as r, g, b, a per slot.
  const index = new Uint8Array(64 * 4);
  let r = 0;
  let g = 0;
  let b = 0;
  let a = 255;
  let run = 0;
  let p = HEADER_BYTES;
  const chunksEnd = bytes.length - END_MARKER_BYTES;
  for (let o = 0; o < data.length; o += channels) {
    if (run > 0) {
      run--;
    } else {
      if (p >= chunksEnd) return null;
      const b1 = bytes[p++]!;
      if (b1 === OP_RGB) {
        if (p + 3 > chunksEnd) return null;
        r = bytes[p++]!;
        g = bytes[p++]!;
        b = bytes[p++]!;
      } else if (b1 === OP_RGBA) {
        if (p + 4 > chunksEnd) return null;
        r = bytes[p++]!;
        g = bytes[p++]!;
        b = bytes[p++]!;
        a = bytes[p++]!;
      } else {
        switch (b1 >> 6) {
          case 0: {
            // OP_INDEX
            const s = (b1 & 0x3f) * 4;
            r = index[s]!;
            g = index[s + 1]!;
            b = index[s + 2]!;
            a = index[s + 3]!;
            break;
          }
          case 1:
            // OP_DIFF: three 2-bit differences, biased by 2.
            r = (r + ((b1 >> 4) & 3) - 2) & 0xff;
            g = (g + ((b1 >> 2) & 3) - 2) & 0xff;
            b = (b + (b1 & 3) - 2) & 0xff;
            break;
          case 2: {
            // OP_LUMA: green's difference (bias 32), then red's and blue's relative to it (bias 8).
            if (p >= chunksEnd) return null;
            const b2 = bytes[p++]!;
            const dg = (b1 & 0x3f) - 32;
            r = (r + dg - 8 + ((b2 >> 4) & 0x0f)) & 0xff;
            g = (g + dg) & 0xff;
            b = (b + dg - 8 + (b2 & 0x0f)) & 0xff;
            break;
          }
          default:
            // OP_RUN: the previous pixel 1..62 times (this one included).
            run = b1 & 0x3f;
        }
      }
      const s = ((r * 3 + g * 5 + b * 7 + a * 11) % 64) * 4;
      index[s] = r;
      index[s + 1] = g;
      index[s + 2] = b;
      index[s + 3] = a;
    }
    data[o] = r;
    data[o + 1] = g;
    data[o + 2] = b;
    if (channels === 4) data[o + 3] = a;
  }
  return { width, height, channels, data };
}

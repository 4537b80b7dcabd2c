/** Reads the format and pixel size from the first bytes of a PNG, JPEG or QOI image, without decoding pixels. */
import type { ThumbnailFormat } from './types';

export interface ImageHeader {
  format: ThumbnailFormat;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  return readPng(bytes) ?? readJpeg(bytes) ?? readQoi(bytes);
}

function readPng(b: Uint8Array): ImageHeader | null {
  if (b.length < 24 || PNG_SIGNATURE.some((v, i) => b[i] !== v)) return null;
  // The first chunk must be IHDR: length(4) "IHDR"(4) width(4) height(4).
  if (b[12] !== 0x49 || b[13] !== 0x48 || b[14] !== 0x44 || b[15] !== 0x52) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

function readJpeg(b: Uint8Array): ImageHeader | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue; // fill byte
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue; // markers without a length
    }
    const length = (b[i + 2]! << 8) | b[i + 3]!;
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return null;
      const height = (b[i + 5]! << 8) | b[i + 6]!;
      const width = (b[i + 7]! << 8) | b[i + 8]!;
      return { format: 'jpg', width, height };
    }
    if (marker === 0xda) return null; // scan data before any frame header
    i += 2 + length;
  }
  return null;
}

function readQoi(b: Uint8Array): ImageHeader | null {
  // "qoif", width u32 BE, height u32 BE, channels (3|4), colorspace (0|1).
  if (b.length < 14 || b[0] !== 0x71 || b[1] !== 0x6f || b[2] !== 0x69 || b[3] !== 0x66) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const channels = b[12];
  if (channels !== 3 && channels !== 4) return null;
  return { format: 'qoi', width: view.getUint32(4), height: view.getUint32(8) };
}

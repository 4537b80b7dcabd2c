/** Encodes raw pixels as a PNG (8-bit RGB or RGBA, no filtering, zlib deflate from node:zlib). */
import { crc32, deflateSync } from 'node:zlib';
import { decodeQoi, type Pixels } from './qoi';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  // The CRC covers the chunk type and its data.
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function encodePng({ width, height, channels, data }: Pixels): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = channels === 4 ? 6 : 2; // colour type: RGBA or RGB
  // compression 0, filter method 0, no interlace: already zero.
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) data.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride); // filter byte 0 per row
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A QOI image as PNG bytes (what a browser can show), or null when it cannot be decoded. */
export function qoiToPng(qoi: Uint8Array): Buffer | null {
  const pixels = decodeQoi(qoi);
  return pixels && encodePng(pixels);
}

import { MAX_FRAME_BYTES } from './camera-source';

/** The user name every Bambu printer in LAN mode takes; the access code is the password. */
export const BAMBU_USER = 'bblp';
/** P1 and A1 printers serve their camera as length-prefixed JPEGs on this TLS port. */
export const BAMBU_CAMERA_PORT = 6000;
const HEADER_BYTES = 16;

/**
 * The 80-byte hello a P1/A1 camera expects after the TLS handshake: four little-endian u32 (0x40, 0x3000, 0, 0),
 * then the user name and the access code, each NUL-padded to 32 bytes.
 */
export function bambuAuthPacket(accessCode: string, user = BAMBU_USER): Buffer {
  const packet = Buffer.alloc(80);
  packet.writeUInt32LE(0x40, 0);
  packet.writeUInt32LE(0x3000, 4);
  const name = Buffer.from(user, 'utf8');
  const code = Buffer.from(accessCode, 'utf8');
  if (name.length > 32 || code.length > 32) throw new RangeError('A Bambu user name or access code is at most 32 bytes.');
  name.copy(packet, 16);
  code.copy(packet, 48);
  return packet;
}

export class BambuFrameError extends Error {
  constructor(
    readonly reason: 'too_large' | 'empty',
    readonly size: number,
  ) {
    super(`bambu frame ${reason}`);
  }
}

/**
 * Reads the camera's stream: each JPEG comes after a 16-byte header whose first little-endian u32 is its length
 * (the other twelve bytes are not needed to cut frames). Chunks may split a header or a frame anywhere.
 */
export class BambuFrameReader {
  private buf: Buffer = Buffer.alloc(0);

  constructor(
    private readonly onFrame: (jpeg: Buffer) => void,
    private readonly maxFrameBytes = MAX_FRAME_BYTES,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= HEADER_BYTES) {
      const size = this.buf.readUInt32LE(0);
      if (size === 0) throw new BambuFrameError('empty', 0);
      if (size > this.maxFrameBytes) throw new BambuFrameError('too_large', size);
      if (this.buf.length < HEADER_BYTES + size) return;
      this.onFrame(Buffer.from(this.buf.subarray(HEADER_BYTES, HEADER_BYTES + size)));
      this.buf = this.buf.subarray(HEADER_BYTES + size);
    }
  }
}

/** The header the printer puts before a frame (the peer writes it; the reader reads only the length). */
export function bambuFrameHeader(size: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(size, 0);
  return header;
}

/**
 * Bambu serial numbers start with a model code. X1 printers (X1C `00M`, X1E `03W`) stream their camera over
 * RTSPS instead of port 6000; P1 (`01S`, `01P`) and A1 (`030`, `039`) use port 6000.
 */
export function bambuCameraModel(serial: string): 'x1' | 'p1-a1' {
  return /^(00M|03W)/i.test(serial) ? 'x1' : 'p1-a1';
}

import { describe, expect, it } from 'vitest';
import { bambuAuthPacket, bambuCameraModel, BambuFrameError, bambuFrameHeader, BambuFrameReader } from '../../../electron/core/cameras/bambu-framing';

describe('Bambu camera framing', () => {
  it('builds the 80-byte hello: four LE u32 then bblp and the access code NUL-padded to 32 bytes', () => {
    const p = bambuAuthPacket('12345678');
    expect(p).toHaveLength(80);
    expect([p.readUInt32LE(0), p.readUInt32LE(4), p.readUInt32LE(8), p.readUInt32LE(12)]).toEqual([0x40, 0x3000, 0, 0]);
    expect(p.subarray(16, 48).toString('latin1')).toBe('bblp'.padEnd(32, '\0'));
    expect(p.subarray(48, 80).toString('latin1')).toBe('12345678'.padEnd(32, '\0'));
  });

  it('cuts length-prefixed frames split anywhere across chunks', () => {
    const a = Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3]);
    const b = Buffer.from([0xff, 0xd8, 0xff, 9]);
    const stream = Buffer.concat([bambuFrameHeader(a.length), a, bambuFrameHeader(b.length), b]);
    for (const size of [1, 5, 16, 17, stream.length]) {
      const got: Buffer[] = [];
      const reader = new BambuFrameReader((f) => got.push(f));
      for (let i = 0; i < stream.length; i += size) reader.push(stream.subarray(i, i + size));
      expect(got).toEqual([a, b]);
    }
  });

  it('refuses a frame length over the cap instead of waiting for it', () => {
    const reader = new BambuFrameReader(() => undefined, 1024);
    expect(() => reader.push(bambuFrameHeader(1025))).toThrow(BambuFrameError);
  });

  it('tells X1 printers (RTSPS camera) from P1 and A1 printers by their serial', () => {
    expect(bambuCameraModel('00M09A350100123')).toBe('x1');
    expect(bambuCameraModel('01P00A000000001')).toBe('p1-a1');
    expect(bambuCameraModel('03919A3A2400123')).toBe('p1-a1');
  });
});

import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { heatshrinkDecode, HeatshrinkError } from '../../../../electron/core/gcode/bgcode/heatshrink';
import { MeatPackDecoder, MeatPackError } from '../../../../electron/core/gcode/bgcode/meatpack';
import { encodePng, qoiToPng } from '../../../../electron/core/gcode/bgcode/png';
import { decodeQoi } from '../../../../electron/core/gcode/bgcode/qoi';
import { readImageHeader } from '../../../../electron/core/gcode/image-header';
import { tinyQoi } from './builder';

/** Heatshrink's bit stream written by hand: 1 + byte for a literal, 0 + (distance-1) + (count-1) for a reference. */
class HeatshrinkBits {
  private bits: number[] = [];
  constructor(
    private readonly windowBits: number,
    private readonly lookaheadBits = 4,
  ) {}
  private put(value: number, width: number): this {
    for (let i = width - 1; i >= 0; i--) this.bits.push((value >> i) & 1);
    return this;
  }
  literal(text: string): this {
    for (const ch of Buffer.from(text, 'latin1')) this.put(1, 1).put(ch, 8);
    return this;
  }
  ref(distance: number, count: number): this {
    return this.put(0, 1)
      .put(distance - 1, this.windowBits)
      .put(count - 1, this.lookaheadBits);
  }
  bytes(): Buffer {
    const out = Buffer.alloc(Math.ceil(this.bits.length / 8));
    this.bits.forEach((bit, i) => (out[i >> 3]! |= bit << (7 - (i & 7))));
    return out;
  }
}

describe('heatshrink', () => {
  it.each([11, 12])('decodes literals and an overlapping back-reference with a window of %i bits', (w) => {
    const stream = new HeatshrinkBits(w).literal('abc').ref(3, 6).literal('!').bytes();
    expect(heatshrinkDecode(stream, w, 4, 10).toString('latin1')).toBe('abcabcabc!');
  });

  it('reads a back-reference before the first byte as the zero-filled initial window', () => {
    const stream = new HeatshrinkBits(12).ref(40, 3).literal('G1').ref(3, 2).bytes();
    expect([...heatshrinkDecode(stream, 12, 4, 7)]).toEqual([0, 0, 0, 0x47, 0x31, 0, 0x47]);
  });

  it('refuses a stream that ends before the stated size', () => {
    const stream = new HeatshrinkBits(11).literal('abc').bytes();
    expect(() => heatshrinkDecode(stream, 11, 4, 10)).toThrow(HeatshrinkError);
    expect(() => heatshrinkDecode(stream, 11, 4, 10)).toThrow(/ends .*after 3 of 10 bytes/);
  });

  it('refuses a back-reference that runs past the stated size', () => {
    const stream = new HeatshrinkBits(11).literal('ab').ref(2, 16).bytes();
    expect(() => heatshrinkDecode(stream, 11, 4, 6)).toThrow(/runs past the 6 bytes/);
  });
});

/** MeatPack written by hand: the table's characters two to a byte (low nibble first), others as 0xF + a whole byte. */
function pack(text: string, noSpaces = false): Buffer {
  const table = noSpaces ? '0123456789.E\nGX' : '0123456789. \nGX';
  const out: number[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i += 2) {
    const pair = [chars[i]!, chars[i + 1] ?? '\n'];
    const codes = pair.map((c) => table.indexOf(c)).map((c) => (c === -1 ? 0xf : c));
    out.push(codes[0]! | (codes[1]! << 4));
    pair.forEach((c, k) => codes[k] === 0xf && out.push(c.charCodeAt(0)));
  }
  return Buffer.from(out);
}

const ENABLE = [0xff, 0xff, 0xfb];
const NO_SPACES = [0xff, 0xff, 0xf7];
const DISABLE = [0xff, 0xff, 0xfa];

describe('MeatPack', () => {
  it('unpacks two characters a byte and passes unpacked characters through in order', () => {
    const d = new MeatPackDecoder();
    const text = d.push(Buffer.concat([Buffer.from(ENABLE), pack('M104 S215\nG1 X10.5 Y3\n')]));
    d.finish();
    expect(text.toString()).toBe('M104 S215\nG1 X10.5 Y3\n');
  });

  it('puts spaces back on G lines in no-spaces mode, and leaves other lines as sent', () => {
    const d = new MeatPackDecoder();
    const packed = Buffer.concat([Buffer.from([...ENABLE, ...NO_SPACES]), pack('G1X10.5Y3E.25F1200\n', true), pack('M862.3 P "MINI"\n', true)]);
    expect(d.push(packed).toString()).toBe('G1 X10.5 Y3 E.25 F1200\nM862.3 P "MINI"\n');
  });

  it('keeps comments sent with packing off as they are', () => {
    const d = new MeatPackDecoder();
    const packed = Buffer.concat([
      Buffer.from([...ENABLE, ...NO_SPACES]),
      pack('G1X1\n', true),
      Buffer.from(DISABLE),
      Buffer.from(';TYPE:Perimeter X2\n'),
      Buffer.from(ENABLE),
      pack('G1X2\n', true),
    ]);
    expect(d.push(packed).toString()).toBe('G1 X1\n;TYPE:Perimeter X2\nG1 X2\n');
  });

  it("drops the packer's padding newline (0xCC) instead of writing an empty line", () => {
    const d = new MeatPackDecoder();
    expect(d.push(Buffer.from([...ENABLE, ...pack('G28\n'), 0xcc, ...pack('G29\n')])).toString()).toBe('G28\nG29\n');
  });

  it('decodes a command and a packed pair split across two blocks', () => {
    const d = new MeatPackDecoder();
    const all = Buffer.concat([Buffer.from(ENABLE), pack('M73 P5\n')]);
    const out = Buffer.concat([d.push(all.subarray(0, 2)), d.push(all.subarray(2, 5)), d.push(all.subarray(5))]);
    d.finish();
    expect(out.toString()).toBe('M73 P5\n');
  });

  it('refuses an unknown command and a stream that stops inside a character', () => {
    expect(() => new MeatPackDecoder().push(Buffer.from([0xff, 0xff, 0x12]))).toThrow(MeatPackError);
    const d = new MeatPackDecoder();
    d.push(Buffer.from([...ENABLE, 0x4f])); // 'M' unpacked: its whole byte never comes
    expect(() => d.finish()).toThrow(/middle of a character/);
  });
});

describe('QOI thumbnails', () => {
  it('decodes QOI pixels (RGB, run) and re-encodes them as a PNG a browser reads', () => {
    const pixels = decodeQoi(tinyQoi())!;
    expect(pixels).toMatchObject({ width: 2, height: 2, channels: 4 });
    expect([...pixels.data]).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255]);
    const png = qoiToPng(tinyQoi())!;
    expect(readImageHeader(png)).toEqual({ format: 'png', width: 2, height: 2 });
    // The IDAT holds one filter byte (0) per row, then the row's pixels.
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('latin1')).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect([...raw]).toEqual([0, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 0, 255, 255, 0, 0, 255, 255]);
  });

  it('decodes DIFF, LUMA and INDEX chunks', () => {
    const head = Buffer.alloc(14);
    head.write('qoif', 0, 'latin1');
    head.writeUInt32BE(4, 4);
    head.writeUInt32BE(1, 8);
    head[12] = 3;
    // (10,20,30); DIFF +1,-1,0 → (11,19,30); LUMA dg=+5, dr-dg=-2, db-dg=+3 → (14,24,38); INDEX of the first colour.
    const firstHash = (10 * 3 + 20 * 5 + 30 * 7 + 255 * 11) % 64;
    const ops = Buffer.from([0xfe, 10, 20, 30, 0x40 | (3 << 4) | (1 << 2) | 2, 0x80 | (5 + 32), ((-2 + 8) << 4) | (3 + 8), firstHash]);
    const pixels = decodeQoi(Buffer.concat([head, ops, Buffer.from([0, 0, 0, 0, 0, 0, 0, 1])]))!;
    expect([...pixels.data]).toEqual([10, 20, 30, 11, 19, 30, 14, 24, 38, 10, 20, 30]);
    expect(readImageHeader(encodePng(pixels))).toEqual({ format: 'png', width: 4, height: 1 });
  });

  it('gives no image for truncated QOI data', () => {
    expect(decodeQoi(tinyQoi().subarray(0, 20))).toBeNull();
  });
});

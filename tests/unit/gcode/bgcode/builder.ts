/**
 * Writes small .bgcode files for tests, from the format's documentation (our own writer, so the reader is
 * checked against an independent encoder of the header, block layout and CRC32).
 */
import { crc32, deflateSync } from 'node:zlib';

export const TYPE = { file: 0, gcode: 1, slicer: 2, printer: 3, print: 4, thumbnail: 5 } as const;
export const COMPRESSION = { none: 0, deflate: 1, heatshrink11: 2, heatshrink12: 3 } as const;

export interface BlockSpec {
  type: number;
  /** The block's parameters (2 bytes, 6 for a thumbnail); defaults to encoding 0. */
  params?: Buffer;
  /** The block's original bytes; stored deflated when compression is deflate. */
  data: Buffer;
  compression?: number;
  /** Stored bytes as they are, for heatshrink or a deliberately broken stream (then `data` is the declared size only). */
  stored?: Buffer;
}

export function u16(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeUInt16LE(v, i * 2));
  return b;
}

export function ini(pairs: Record<string, string>): Buffer {
  return Buffer.from(
    Object.entries(pairs)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
    'utf8',
  );
}

export function block(spec: BlockSpec, checksum: boolean): Buffer {
  const compression = spec.compression ?? COMPRESSION.none;
  const stored = spec.stored ?? (compression === COMPRESSION.deflate ? deflateSync(spec.data) : spec.data);
  const header = Buffer.alloc(compression === COMPRESSION.none ? 8 : 12);
  header.writeUInt16LE(spec.type, 0);
  header.writeUInt16LE(compression, 2);
  header.writeUInt32LE(spec.data.length, 4);
  if (compression !== COMPRESSION.none) header.writeUInt32LE(stored.length, 8);
  const body = Buffer.concat([header, spec.params ?? u16(0), stored]);
  if (!checksum) return body;
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

export function bgcode(blocks: BlockSpec[], opts: { checksum?: boolean; version?: number } = {}): Buffer {
  const checksum = opts.checksum ?? true;
  const head = Buffer.alloc(10);
  head.write('GCDE', 0, 'latin1');
  head.writeUInt32LE(opts.version ?? 1, 4);
  head.writeUInt16LE(checksum ? 1 : 0, 8);
  return Buffer.concat([head, ...blocks.map((b) => block(b, checksum))]);
}

/** A 2x2 QOI image: red, green / blue, blue (OP_RGB, OP_RGB, OP_RGB then OP_RUN). */
export function tinyQoi(): Buffer {
  const head = Buffer.alloc(14);
  head.write('qoif', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(2, 8);
  head[12] = 4;
  head[13] = 0;
  const ops = Buffer.from([0xfe, 255, 0, 0, 0xfe, 0, 255, 0, 0xfe, 0, 0, 255, 0xc0 /* run of 1 */]);
  return Buffer.concat([head, ops, Buffer.from([0, 0, 0, 0, 0, 0, 0, 1])]);
}

/** The blocks of a small PrusaSlicer-like print: metadata, a QOI and a PNG thumbnail, deflated config, G-code. */
export function samplePrint(gcode: string, extra: { png?: Buffer } = {}): BlockSpec[] {
  const blocks: BlockSpec[] = [
    { type: TYPE.file, data: ini({ Producer: 'PrusaSlicer 2.8.1' }) },
    {
      type: TYPE.printer,
      data: ini({
        printer_model: 'MK4S',
        filament_type: 'PETG',
        nozzle_diameter: '0.4',
        layer_height: '0.2',
        'filament used [mm]': '123.45',
        'filament used [g]': '0.37',
        'estimated printing time (normal mode)': '1m 5s',
      }),
    },
    { type: TYPE.thumbnail, params: u16(2, 2, 2), data: tinyQoi() },
  ];
  if (extra.png) blocks.push({ type: TYPE.thumbnail, params: u16(0, 1, 1), data: extra.png });
  blocks.push(
    { type: TYPE.print, data: ini({ 'filament used [mm]': '123.45', 'total filament used [g]': '0.37', 'estimated printing time (normal mode)': '1m 5s' }) },
    { type: TYPE.slicer, compression: COMPRESSION.deflate, data: ini({ layer_height: '0.2', nozzle_diameter: '0.4', filament_density: '1.27' }) },
    { type: TYPE.gcode, compression: COMPRESSION.deflate, data: Buffer.from(gcode) },
  );
  return blocks;
}

export const SAMPLE_GCODE = [
  'M83',
  'M104 S215',
  'M109 S215',
  'G28',
  'G1 Z0.2 F720',
  ';LAYER_CHANGE',
  ';Z:0.2',
  'G1 X10 Y10 E1.5 F1200',
  'G1 X20 Y10 E0.5',
  'G1 X20 Y20 E0.5',
  '',
].join('\n');

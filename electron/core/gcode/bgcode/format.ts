/**
 * The numbers of Prusa's binary G-code format (.bgcode, version 1), as doc/specifications.md of prusa3d/libbgcode
 * defines them, and the names we use for them in messages. All integers in the file are little-endian.
 */

export const MAGIC = 'GCDE';
export const FILE_HEADER_BYTES = 10;
export const SUPPORTED_VERSION = 1;

export const CHECKSUM_NONE = 0;
export const CHECKSUM_CRC32 = 1;

export const BLOCK_FILE_METADATA = 0;
export const BLOCK_GCODE = 1;
export const BLOCK_SLICER_METADATA = 2;
export const BLOCK_PRINTER_METADATA = 3;
export const BLOCK_PRINT_METADATA = 4;
export const BLOCK_THUMBNAIL = 5;

const BLOCK_NAMES = ['file metadata', 'G-code', 'slicer metadata', 'printer metadata', 'print metadata', 'thumbnail'] as const;

export const COMPRESSION_NONE = 0;
export const COMPRESSION_DEFLATE = 1;
export const COMPRESSION_HEATSHRINK_11_4 = 2;
export const COMPRESSION_HEATSHRINK_12_4 = 3;

const COMPRESSION_NAMES = ['none', 'deflate', 'heatshrink 11/4', 'heatshrink 12/4'] as const;

/** G-code block encodings. */
export const ENCODING_NONE = 0;
export const ENCODING_MEATPACK = 1;
export const ENCODING_MEATPACK_COMMENTS = 2;

/** Metadata blocks have one encoding: INI-like `key=value` lines. */
export const METADATA_ENCODING_INI = 0;

export const THUMBNAIL_PNG = 0;
export const THUMBNAIL_JPG = 1;
export const THUMBNAIL_QOI = 2;

export function blockTypeName(type: number): string {
  return BLOCK_NAMES[type] ?? `unknown type ${type}`;
}

export function compressionName(compression: number): string {
  return COMPRESSION_NAMES[compression] ?? `unknown compression ${compression}`;
}

/** Bytes of a block's parameters: every block has a 2-byte encoding, a thumbnail also its format, width and height. */
export function paramsBytes(type: number): number {
  return type === BLOCK_THUMBNAIL ? 6 : 2;
}

/** Whether the first bytes of a file are the binary G-code magic number. */
export function isBgcodeHead(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x47 && head[1] === 0x43 && head[2] === 0x44 && head[3] === 0x45;
}

/** A block's stored data back to its original bytes: as stored, zlib deflate, or heatshrink 11/4 or 12/4. */
import { inflateSync } from 'node:zlib';
import { bgcodeError, describeBlock, type Block } from './blocks';
import { COMPRESSION_DEFLATE, COMPRESSION_HEATSHRINK_11_4, COMPRESSION_HEATSHRINK_12_4, COMPRESSION_NONE, compressionName } from './format';
import { heatshrinkDecode } from './heatshrink';

export function decompressBlock(block: Block, label: string): Buffer {
  const size = block.uncompressedSize;
  let out: Buffer;
  try {
    switch (block.compression) {
      case COMPRESSION_NONE:
        return block.data;
      case COMPRESSION_DEFLATE:
        // The stated size bounds the output, so a damaged stream cannot inflate without limit.
        out = inflateSync(block.data, { maxOutputLength: Math.max(size, 1) });
        break;
      case COMPRESSION_HEATSHRINK_11_4:
        out = heatshrinkDecode(block.data, 11, 4, size);
        break;
      case COMPRESSION_HEATSHRINK_12_4:
        out = heatshrinkDecode(block.data, 12, 4, size);
        break;
      default:
        throw new Error(`unknown compression ${block.compression}`);
    }
  } catch (err) {
    const why = err instanceof RangeError ? `it inflates to more than the ${size} bytes it states` : (err as Error).message;
    throw bgcodeError(label, `${describeBlock(block)} cannot be decompressed (${compressionName(block.compression)}): ${why}`);
  }
  if (out.length !== size) {
    throw bgcodeError(label, `${describeBlock(block)} decompresses (${compressionName(block.compression)}) to ${out.length} bytes, not the ${size} it states`);
  }
  return out;
}

/**
 * Reads a .bgcode file block by block from disk: the file header, then each block's header, parameters, stored
 * data and CRC32. Only one block is in memory at a time (PrusaSlicer writes G-code blocks of 64 KB), so a file of
 * any size is read in constant memory. Every check names the block, its type and its offset, so a damaged file
 * is refused with where and why.
 */
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { AppError } from '../../errors';
import { openForReading } from '../file-access';
import {
  BLOCK_THUMBNAIL,
  blockTypeName,
  CHECKSUM_CRC32,
  CHECKSUM_NONE,
  COMPRESSION_HEATSHRINK_12_4,
  COMPRESSION_NONE,
  FILE_HEADER_BYTES,
  isBgcodeHead,
  paramsBytes,
  SUPPORTED_VERSION,
} from './format';

/** Far above PrusaSlicer's 64 KB G-code blocks and its largest thumbnails; a size beyond it is a damaged header. */
export const MAX_BLOCK_BYTES = 64 * 1024 * 1024;

export interface Block {
  /** 0 for the first block after the file header. */
  index: number;
  /** Byte offset of the block header in the file. */
  offset: number;
  /** Byte offset just after the block (its checksum included). */
  end: number;
  type: number;
  compression: number;
  uncompressedSize: number;
  /** The stored data as it is in the file (compressed when `compression` is not 0). */
  data: Buffer;
  /** The block's parameters: its encoding, and for a thumbnail also format, width and height. */
  params: Buffer;
}

/** "block 7 (G-code, at byte 123456)": how every message names a block. */
export function describeBlock(b: Pick<Block, 'index' | 'type' | 'offset'>): string {
  return `block ${b.index} (${blockTypeName(b.type)}, at byte ${b.offset})`;
}

export function bgcodeError(label: string, what: string): AppError {
  return new AppError('invalid_input', `${label} is a damaged binary G-code file (.bgcode): ${what}. Export it from the slicer again.`);
}

export class BgcodeFile {
  private constructor(
    private readonly fh: FileHandle,
    readonly label: string,
    readonly sizeBytes: number,
    readonly checksumType: number,
  ) {}

  /** Opens the file and checks its header; `label` names it in messages. */
  static async open(path: string, label: string): Promise<BgcodeFile> {
    const fh = await openForReading(path);
    try {
      const size = (await fh.stat()).size;
      const head = Buffer.alloc(FILE_HEADER_BYTES);
      const { bytesRead } = await fh.read(head, 0, FILE_HEADER_BYTES, 0);
      if (!isBgcodeHead(head.subarray(0, bytesRead))) {
        throw new AppError('invalid_input', `${label} is not binary G-code: it does not start with GCDE.`);
      }
      if (bytesRead < FILE_HEADER_BYTES) throw bgcodeError(label, `the file header is cut short (${bytesRead} of ${FILE_HEADER_BYTES} bytes)`);
      const version = head.readUInt32LE(4);
      if (version !== SUPPORTED_VERSION) {
        throw new AppError(
          'invalid_input',
          `${label} is binary G-code version ${version}; this app reads version ${SUPPORTED_VERSION}, the one PrusaSlicer writes. Update AutoPrintFarm, or export text G-code from the slicer.`,
        );
      }
      const checksumType = head.readUInt16LE(8);
      if (checksumType !== CHECKSUM_NONE && checksumType !== CHECKSUM_CRC32) throw bgcodeError(label, `the file header names an unknown checksum type ${checksumType}`);
      return new BgcodeFile(fh, label, size, checksumType);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /**
   * Every block in file order, checked: known type and compression, inside the file, checksum right. Stops
   * after the block for which `stop` says true (a metadata read stops at the first G-code block).
   */
  async *blocks(stop?: (b: Block) => boolean): AsyncGenerator<Block> {
    const checksumBytes = this.checksumType === CHECKSUM_CRC32 ? 4 : 0;
    const head = Buffer.alloc(12);
    let offset = FILE_HEADER_BYTES;
    for (let index = 0; offset < this.sizeBytes; index++) {
      const at = { index, offset, type: -1 };
      const got = await this.readAt(head, 0, Math.min(12, this.sizeBytes - offset), offset);
      if (got < 8) throw bgcodeError(this.label, `the file ends inside the header of block ${index} (at byte ${offset})`);
      const type = head.readUInt16LE(0);
      at.type = type;
      if (type > BLOCK_THUMBNAIL) throw bgcodeError(this.label, `${describeBlock(at)} has an unknown block type`);
      const compression = head.readUInt16LE(2);
      if (compression > COMPRESSION_HEATSHRINK_12_4) throw bgcodeError(this.label, `${describeBlock(at)} names an unknown compression ${compression}`);
      const uncompressedSize = head.readUInt32LE(4);
      const headerBytes = compression === COMPRESSION_NONE ? 8 : 12;
      if (got < headerBytes) throw bgcodeError(this.label, `the file ends inside the header of ${describeBlock(at)}`);
      const storedSize = compression === COMPRESSION_NONE ? uncompressedSize : head.readUInt32LE(8);
      if (uncompressedSize > MAX_BLOCK_BYTES || storedSize > MAX_BLOCK_BYTES) {
        throw bgcodeError(this.label, `${describeBlock(at)} states a size of ${Math.max(uncompressedSize, storedSize)} bytes, far beyond any real block`);
      }
      const total = headerBytes + paramsBytes(type) + storedSize + checksumBytes;
      if (offset + total > this.sizeBytes) {
        throw bgcodeError(this.label, `the file ends inside ${describeBlock(at)} (it needs ${total} bytes, ${this.sizeBytes - offset} are left): the file is cut short`);
      }
      const whole = Buffer.allocUnsafe(total);
      await this.readAt(whole, 0, total, offset);
      const bodyEnd = total - checksumBytes;
      if (checksumBytes) {
        const stored = whole.readUInt32LE(bodyEnd);
        const computed = crc32(whole.subarray(0, bodyEnd));
        if (stored !== computed) {
          throw bgcodeError(
            this.label,
            `${describeBlock(at)} fails its CRC32 check (stored ${hex(stored)}, computed ${hex(computed)}): its bytes were changed after the slicer wrote them`,
          );
        }
      }
      const block: Block = {
        index,
        offset,
        end: offset + total,
        type,
        compression,
        uncompressedSize,
        params: whole.subarray(headerBytes, headerBytes + paramsBytes(type)),
        data: whole.subarray(headerBytes + paramsBytes(type), bodyEnd),
      };
      yield block;
      if (stop?.(block)) return;
      offset += total;
    }
  }

  close(): Promise<void> {
    return this.fh.close();
  }

  private async readAt(buf: Buffer, start: number, length: number, position: number): Promise<number> {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(buf, start + done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

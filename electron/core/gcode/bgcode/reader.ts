/**
 * Binary G-code (.bgcode) as the rest of the app sees it: the G-code text it stands for, streamed block by block
 * (never the whole file in memory), its metadata read from the blocks before the G-code, and the full analysis
 * run over the decoded text by the same scanner as any text file.
 */
import { basename } from 'node:path';
import { AppError } from '../../errors';
import { analyzeGcodeStream } from '../text-analysis';
import { readFileHead } from '../file-access';
import { metadataFromHeadTail } from '../text-metadata';
import type { AnalyzeOptions, BgcodeInfo, GcodeAnalysis, GcodeMetadata } from '../types';
import { configComments, generatedByLine, metadataComments, parseMetadata, thumbnailComments } from './ascii';
import { BgcodeFile, bgcodeError, describeBlock, type Block } from './blocks';
import { decompressBlock } from './decompress';
import {
  BLOCK_FILE_METADATA,
  BLOCK_GCODE,
  BLOCK_PRINT_METADATA,
  BLOCK_PRINTER_METADATA,
  BLOCK_SLICER_METADATA,
  BLOCK_THUMBNAIL,
  compressionName,
  ENCODING_MEATPACK,
  ENCODING_MEATPACK_COMMENTS,
  ENCODING_NONE,
  isBgcodeHead,
} from './format';
import { MeatPackDecoder } from './meatpack';

/** Whether the file at `path` starts with the binary G-code magic number. */
export async function isBgcodeFile(path: string): Promise<boolean> {
  return isBgcodeHead(await readFileHead(path, 4));
}

const ENCODING_NAMES = ['no encoding', 'MeatPack', 'MeatPack with comments'];

/** How a G-code block is stored: "heatshrink 12/4, MeatPack with comments". */
export function describeStorage(block: Block): string {
  const encoding = block.params.readUInt16LE(0);
  return `${compressionName(block.compression)}, ${ENCODING_NAMES[encoding] ?? `encoding ${encoding}`}`;
}

/** Turns G-code blocks into text, one decoder for the whole file (MeatPack state runs across blocks). */
class GcodeBlockDecoder {
  private readonly meatpack = new MeatPackDecoder();
  private packed = false;
  blocks = 0;
  storage = '';

  constructor(private readonly label: string) {}

  decode(block: Block): Buffer {
    const encoding = block.params.readUInt16LE(0);
    if (this.blocks++ === 0) this.storage = describeStorage(block);
    const bytes = decompressBlock(block, this.label);
    if (encoding === ENCODING_NONE) return bytes;
    if (encoding !== ENCODING_MEATPACK && encoding !== ENCODING_MEATPACK_COMMENTS) {
      throw bgcodeError(this.label, `${describeBlock(block)} names an unknown G-code encoding ${encoding}`);
    }
    this.packed = true;
    try {
      return this.meatpack.push(bytes);
    } catch (err) {
      throw bgcodeError(this.label, `${describeBlock(block)} cannot be unpacked (MeatPack): ${(err as Error).message}`);
    }
  }

  finish(): void {
    if (this.blocks === 0)
      throw new AppError('invalid_input', `${this.label} is binary G-code without any G-code block: there is nothing to print. Export it from the slicer again.`);
    if (!this.packed) return;
    try {
      this.meatpack.finish();
    } catch (err) {
      throw bgcodeError(this.label, `the last G-code block is cut short: ${(err as Error).message}`);
    }
  }
}

export interface BgcodeTextOptions {
  /** Called after each block is decoded, with the file's size (the block's `end` is the bytes read so far). */
  onBlock?: (block: Block, fileBytes: number) => void;
}

/**
 * The G-code text a .bgcode stands for, in pieces: PrusaSlicer's text layout (header comments, thumbnails,
 * G-code, print metadata, configuration), decoded one block at a time. A damaged block stops the stream with an
 * error naming it, before any of its bytes are passed on.
 */
export async function* bgcodeText(path: string, label = basename(path), opts: BgcodeTextOptions = {}): AsyncGenerator<Buffer> {
  const file = await BgcodeFile.open(path, label);
  try {
    const gcode = new GcodeBlockDecoder(label);
    // The print metadata and configuration come before the G-code in the file and after it in text G-code.
    let trailer = '';
    for await (const block of file.blocks()) {
      const text = blockText(block, gcode, label);
      if (block.type === BLOCK_PRINT_METADATA || block.type === BLOCK_SLICER_METADATA) trailer += typeof text === 'string' ? text : text.toString('utf8');
      else if (text.length) yield typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      opts.onBlock?.(block, file.sizeBytes);
    }
    gcode.finish();
    yield Buffer.from(`\n${trailer}`, 'utf8');
  } finally {
    await file.close();
  }
}

function blockText(block: Block, gcode: GcodeBlockDecoder, label: string): string | Buffer {
  switch (block.type) {
    case BLOCK_GCODE:
      return gcode.decode(block);
    case BLOCK_FILE_METADATA:
      return generatedByLine(parseMetadata(block, decompressBlock(block, label), label));
    case BLOCK_PRINTER_METADATA:
      return `${metadataComments(parseMetadata(block, decompressBlock(block, label), label))}\n`;
    case BLOCK_THUMBNAIL:
      return thumbnailComments(block, decompressBlock(block, label), label);
    case BLOCK_PRINT_METADATA:
      return `${metadataComments(parseMetadata(block, decompressBlock(block, label), label))}\n`;
    case BLOCK_SLICER_METADATA:
      return configComments(parseMetadata(block, decompressBlock(block, label), label));
    default:
      return '';
  }
}

/**
 * The metadata of a .bgcode from the blocks before its G-code (and the first G-code block, which is decoded to
 * check it), so it costs the same for any file size.
 */
export async function readBgcodeMetadata(path: string, label = basename(path)): Promise<GcodeMetadata> {
  const file = await BgcodeFile.open(path, label);
  const gcode = new GcodeBlockDecoder(label);
  const head: (string | Buffer)[] = [];
  let trailer = '';
  try {
    for await (const block of file.blocks((b) => b.type === BLOCK_GCODE)) {
      const text = blockText(block, gcode, label);
      if (block.type === BLOCK_PRINT_METADATA || block.type === BLOCK_SLICER_METADATA) trailer += typeof text === 'string' ? text : text.toString('utf8');
      else head.push(text);
    }
  } finally {
    await file.close();
  }
  gcode.finish();
  const text = Buffer.concat([...head.map((t) => (typeof t === 'string' ? Buffer.from(t, 'utf8') : t)), Buffer.from(`\n${trailer}`, 'utf8')]);
  const metadata = metadataFromHeadTail({ head: text, tail: null, sizeBytes: file.sizeBytes });
  const info: BgcodeInfo = { gcodeStorage: gcode.storage, textBytes: null };
  return { ...metadata, sizeBytes: file.sizeBytes, bgcode: info };
}

/** The full analysis: the decoded text streamed through the same analysis as a text file. */
export async function analyzeBgcodeFile(path: string, opts: AnalyzeOptions = {}, label = basename(path)): Promise<GcodeAnalysis> {
  let fileBytes = 0;
  let textBytes = 0;
  let gcodeStorage = '';
  const text = bgcodeText(path, label, {
    onBlock: (block, size) => {
      fileBytes = size;
      if (block.type === BLOCK_GCODE && !gcodeStorage) gcodeStorage = describeStorage(block);
      // Progress by file bytes: the decoded text's length is not known until the end.
      opts.onProgress?.(block.end, size);
    },
  });
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const piece of text) {
      textBytes += piece.length;
      yield piece;
    }
  }
  const { onProgress: _byFileBytes, ...rest } = opts;
  const analysis = await analyzeGcodeStream(counted(), rest);
  const bgcode: BgcodeInfo = { gcodeStorage, textBytes };
  return { ...analysis, metadata: { ...analysis.metadata, sizeBytes: fileBytes, bgcode } };
}

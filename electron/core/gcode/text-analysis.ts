/** The full pass over plain G-code text: streams it through the motion scanner and joins the result with the metadata. */
import { AppError } from '../errors';
import { fileError, openForReading, type HeadTail } from './file-access';
import { DEFAULT_ACCELERATION, DEFAULT_CHUNK_BYTES, DEFAULT_MAX_BYTES, formatBytes, HEAD_BYTES, HEAD_EXTENSION_LIMIT, TAIL_BYTES } from './limits';
import { MotionScanner, type MotionSummary } from './motion-scanner';
import { metadataFromHeadTail, readTextMetadata } from './text-metadata';
import { endsInsideThumbnail } from './thumbnails';
import type { AnalyzeOptions, GcodeAnalysis, GcodeMetadata } from './types';

export function checkSize(size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new AppError(
      'invalid_input',
      `The file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for analysis. G-code this large is almost always the wrong file or a runaway slicer setting; check it, or raise the limit if it is really meant to be this big.`,
      { sizeBytes: size, maxBytes },
    );
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The analysis was cancelled.', 'AbortError');
}

/** Reads every byte once, in large asynchronous chunks, so the event loop gets a turn between chunks. */
export async function analyzeTextFile(path: string, size: number, opts: AnalyzeOptions = {}): Promise<GcodeAnalysis> {
  const metadata = await readTextMetadata(path);
  if (opts.signal?.aborted) throw abortReason(opts.signal);
  const scanner = new MotionScanner(opts.accelerationMmS2 ?? DEFAULT_ACCELERATION);
  const fh = await openForReading(path);
  // Two buffers, refilled in turn: the next read is in flight while the scanner works on the current chunk,
  // and no chunk is allocated afresh. Chunked and asynchronous, so the event loop gets a turn between chunks.
  const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)] as const;
  const readInto = async (buf: Buffer, position: number): Promise<number> => {
    try {
      return (await fh.read(buf, 0, buf.length, position)).bytesRead;
    } catch (err) {
      throw fileError(path, err);
    }
  };
  let read = 0;
  let turn = 0;
  let pending = readInto(buffers[0], 0);
  try {
    for (;;) {
      const bytesRead = await pending;
      if (opts.signal?.aborted) throw abortReason(opts.signal);
      if (bytesRead === 0) break;
      const buf = buffers[turn]!;
      turn ^= 1;
      pending = readInto(buffers[turn]!, read + bytesRead);
      scanner.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      read += bytesRead;
      opts.onProgress?.(read, size);
    }
  } finally {
    await pending.catch(() => 0);
    await fh.close();
  }
  return assemble(metadata, scanner.finish(), opts);
}

/**
 * The same analysis for bytes that do not come from a file on disk (an upload, a download in progress). The head
 * and tail are kept as they pass, so the slicer metadata is read exactly as for a file.
 */
export async function analyzeGcodeStream(source: AsyncIterable<Uint8Array>, opts: AnalyzeOptions & { totalBytes?: number } = {}): Promise<GcodeAnalysis> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (opts.totalBytes !== undefined) checkSize(opts.totalBytes, maxBytes);
  const scanner = new MotionScanner(opts.accelerationMmS2 ?? DEFAULT_ACCELERATION);
  const headParts: Buffer[] = [];
  let headLen = 0;
  let headOpen = true;
  let tailParts: Buffer[] = [];
  let tailLen = 0;
  let read = 0;
  for await (const piece of source) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    read += chunk.length;
    checkSize(read, maxBytes);
    if (headOpen) {
      headParts.push(chunk);
      headLen += chunk.length;
      if (headLen >= HEAD_BYTES) {
        headOpen = headLen < HEAD_EXTENSION_LIMIT && endsInsideThumbnail(Buffer.concat(headParts).toString('latin1'));
      }
    }
    tailParts.push(chunk);
    tailLen += chunk.length;
    while (tailParts.length > 1 && tailLen - tailParts[0]!.length >= TAIL_BYTES) tailLen -= tailParts.shift()!.length;
    scanner.push(chunk);
    opts.onProgress?.(read, opts.totalBytes ?? read);
  }
  const head = Buffer.concat(headParts);
  let ht: HeadTail;
  if (read <= head.length + TAIL_BYTES) {
    // Small input: the head and tail windows meet; rebuild the whole from the pieces without double counting.
    const tailStart = read - tailLen;
    const tail = Buffer.concat(tailParts);
    ht = { sizeBytes: read, head: tailStart <= head.length ? Buffer.concat([head, tail.subarray(head.length - tailStart)]) : head, tail: null };
  } else {
    tailParts = [Buffer.concat(tailParts)];
    ht = { sizeBytes: read, head, tail: tailParts[0]!.subarray(-TAIL_BYTES) };
  }
  return assemble(metadataFromHeadTail(ht), scanner.finish(), opts);
}

function assemble(metadata: GcodeMetadata, motion: MotionSummary, opts: AnalyzeOptions): GcodeAnalysis {
  if (motion.commands === 0) {
    throw new AppError('invalid_input', 'This file holds no G-code commands (no G or M lines). Pick the .gcode file your slicer exported.');
  }
  const warnings = [...metadata.warnings];
  if (motion.nulOffset !== null && !warnings.some((w) => w.includes('NUL'))) {
    warnings.push(`The file contains NUL bytes from byte ${motion.nulOffset}: part of it is damaged, probably by an interrupted copy. Copy it again.`);
  }
  if (motion.bbox === null) warnings.push('Nothing in this file extrudes plastic: it moves the print head but prints nothing.');
  const stated = metadata.layerCount;
  if (stated !== null && stated > 2 && motion.layers !== null && motion.layers < Math.floor(stated * 0.9)) {
    warnings.push(`The slicer announced ${stated} layers but the file holds ${motion.layers}; it looks cut short. Export or copy it again.`);
  }
  return {
    metadata,
    lines: motion.lines,
    layers: motion.layers,
    bbox: motion.bbox,
    extrudedMm: motion.extrudedMm,
    moves: motion.moves,
    heats: motion.heaterTargets > 0,
    estimate: {
      totalSeconds: motion.motionSeconds + motion.dwellSeconds,
      motionSeconds: motion.motionSeconds,
      dwellSeconds: motion.dwellSeconds,
      heaterWaits: motion.heaterWaits,
      accelerationMmS2: opts.accelerationMmS2 ?? DEFAULT_ACCELERATION,
    },
    warnings,
  };
}

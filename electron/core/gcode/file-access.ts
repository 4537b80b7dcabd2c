/** Opening files with errors a user can act on, and reading a file's head and tail without the middle. */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { AppError } from '../errors';
import { HEAD_BYTES, HEAD_EXTENSION_LIMIT, TAIL_BYTES } from './limits';
import { endsInsideThumbnail } from './thumbnails';

export interface HeadTail {
  sizeBytes: number;
  head: Buffer;
  /** The last bytes of the file; null when `head` already holds the whole file. */
  tail: Buffer | null;
}

export function fileError(path: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new AppError('not_found', `There is no file at ${path}. Check the path and try again.`);
  if (code === 'EISDIR') return new AppError('invalid_input', `${path} is a folder, not a G-code file.`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('invalid_input', `${path} cannot be read (permission denied). Check the file's permissions.`);
  }
  return new AppError('invalid_input', `${path} cannot be read (${code ?? 'unknown error'}).`);
}

/** Opens a file for reading; a missing, unreadable or folder path is an error the user can act on. */
export async function openForReading(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    throw fileError(path, err);
  }
}

/** The first `bytes` bytes of a file (fewer when it is shorter): enough to tell a format by its magic number. */
export async function readFileHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await openForReading(path);
  try {
    return await readAt(fh, 0, bytes);
  } finally {
    await fh.close();
  }
}

export async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return s.size;
  } catch (err) {
    throw fileError(path, err);
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/**
 * Reads the first HEAD_BYTES and last TAIL_BYTES. The head grows (up to HEAD_EXTENSION_LIMIT) only while it ends
 * inside a thumbnail block, so the cost does not depend on the file's size.
 */
export async function readHeadTail(path: string): Promise<HeadTail> {
  const fh = await openForReading(path);
  try {
    const s = await fh.stat();
    if (s.isDirectory()) throw fileError(path, Object.assign(new Error('directory'), { code: 'EISDIR' }));
    const size = s.size;
    if (size <= HEAD_BYTES + TAIL_BYTES) return { sizeBytes: size, head: await readAt(fh, 0, size), tail: null };
    const parts = [await readAt(fh, 0, HEAD_BYTES)];
    let headLen = parts[0]!.length;
    while (headLen < HEAD_EXTENSION_LIMIT && headLen < size - TAIL_BYTES && endsInsideThumbnail(Buffer.concat(parts).toString('latin1'))) {
      const more = await readAt(fh, headLen, Math.min(HEAD_BYTES, size - TAIL_BYTES - headLen));
      if (more.length === 0) break;
      parts.push(more);
      headLen += more.length;
    }
    const head = Buffer.concat(parts);
    if (headLen >= size - TAIL_BYTES) {
      const rest = await readAt(fh, headLen, size - headLen);
      return { sizeBytes: size, head: Buffer.concat([head, rest]), tail: null };
    }
    return { sizeBytes: size, head, tail: await readAt(fh, size - TAIL_BYTES, TAIL_BYTES) };
  } finally {
    await fh.close();
  }
}

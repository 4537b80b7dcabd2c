import { createHash, randomUUID } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { UPLOAD_CHUNK_BYTES } from '../contract/methods/library';
import { AppError } from '../errors';
import { formatBytes } from '../gcode/limits';
import type { Clock } from '../ports/clock';
import { PRIVATE_FILE_MODE } from '../private-files';

/** The most one upload may carry: far above any real G-code, far below what would fill a disk by accident. */
export const MAX_UPLOAD_BYTES = 1024 ** 3;
// The contract owns the chunk size: its schema bounds the base64 text by it.
export { UPLOAD_CHUNK_BYTES } from '../contract/methods/library';
/** Open uploads one session (a browser tab, the desktop window) may hold, so one client cannot take every slot. */
export const MAX_UPLOADS_PER_SESSION = 4;
/** Open uploads in all: each holds a file descriptor and a temp file. */
export const MAX_OPEN_UPLOADS = 32;
/** An upload that sends nothing for this long is abandoned and its temp file deleted. */
export const UPLOAD_IDLE_MS = 2 * 60_000;
/** The session of callers that have no connection of their own (the desktop window, the CLI, tests). */
export const LOCAL_SESSION = 'local';

export interface FinishedUpload {
  /** The complete temp file; whoever receives it must move or delete it. */
  path: string;
  name: string;
  sha256: string;
  size: number;
}

interface OpenUpload {
  id: string;
  session: string;
  name: string;
  size: number;
  received: number;
  hash: ReturnType<typeof createHash>;
  path: string;
  fh: FileHandle;
  idle: { cancel(): void };
  /** The chunk being written; a client gets one chunk in flight per upload, so this is all the memory it holds. */
  writing: Promise<void> | null;
}

/**
 * Uploads under way: each belongs to the session that began it (another session cannot see, write or end it),
 * holds at most one chunk in memory, and ends in one of three ways that all release its file descriptor and temp
 * file: finished, aborted (by its client, its session ending, going idle, the host stopping), or refused (too
 * large, a write failing).
 */
export class Uploads {
  private readonly open = new Map<string, OpenUpload>();

  constructor(
    private readonly tmpDir: string,
    private readonly clock: Clock,
    private readonly limits: { idleMs: number } = { idleMs: UPLOAD_IDLE_MS },
  ) {}

  async begin(session: string, name: string, sizeBytes: number): Promise<{ uploadId: string; chunkBytes: number }> {
    if (sizeBytes <= 0) throw new AppError('invalid_input', 'The file is empty (0 bytes). Export the G-code from your slicer again.');
    if (sizeBytes > MAX_UPLOAD_BYTES) {
      throw new AppError(
        'invalid_input',
        `The file is ${formatBytes(sizeBytes)}, over the ${formatBytes(MAX_UPLOAD_BYTES)} limit for the library. Check that it is the right file.`,
      );
    }
    if (this.countOf(session) >= MAX_UPLOADS_PER_SESSION) {
      throw new AppError('conflict', `This window already has ${MAX_UPLOADS_PER_SESSION} uploads open. Finish or cancel one and try again.`);
    }
    if (this.open.size >= MAX_OPEN_UPLOADS) throw new AppError('conflict', 'Too many uploads are in progress. Wait for one to finish and try again.');
    const id = randomUUID();
    const path = join(this.tmpDir, `${id}.part`);
    const fh = await open(path, 'wx', PRIVATE_FILE_MODE);
    const upload: OpenUpload = { id, session, name, size: sizeBytes, received: 0, hash: createHash('sha256'), path, fh, idle: { cancel() {} }, writing: null };
    this.open.set(id, upload);
    this.touch(upload);
    return { uploadId: id, chunkBytes: UPLOAD_CHUNK_BYTES };
  }

  async chunk(session: string, uploadId: string, offset: number, base64: string): Promise<{ received: number }> {
    const upload = this.get(session, uploadId);
    if (upload.writing) {
      throw new AppError('conflict', 'The previous chunk of this upload is still being written. Send the next chunk after its reply.');
    }
    if (offset !== upload.received) {
      throw new AppError('invalid_input', `The upload expected the bytes at offset ${upload.received} but got offset ${offset}. Start the upload again.`);
    }
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length > UPLOAD_CHUNK_BYTES) throw new AppError('invalid_input', `A chunk may carry at most ${UPLOAD_CHUNK_BYTES} bytes.`);
    if (upload.received + bytes.length > upload.size) {
      await this.discard(upload);
      throw new AppError('invalid_input', `The upload is larger than the ${upload.size} bytes announced. Start it again.`);
    }
    const writing = this.write(upload, bytes);
    upload.writing = writing;
    try {
      await writing;
    } catch (err) {
      upload.writing = null;
      await this.discard(upload);
      const why = (err as NodeJS.ErrnoException).code === 'ENOSPC' ? 'the disk is full' : 'the disk refused the write';
      throw new AppError('conflict', `The upload could not be saved (${why}). Free some space and start it again.`);
    }
    upload.writing = null;
    this.touch(upload);
    return { received: upload.received };
  }

  /** Closes the upload and hands over its temp file, or refuses one that ended short. */
  async end(session: string, uploadId: string): Promise<FinishedUpload> {
    const upload = this.get(session, uploadId);
    // Out of the table first: a chunk arriving meanwhile is told the upload is no longer open.
    this.open.delete(uploadId);
    upload.idle.cancel();
    await upload.writing?.catch(() => undefined);
    await upload.fh.close().catch(() => undefined);
    if (upload.received !== upload.size) {
      await rm(upload.path, { force: true });
      throw new AppError('invalid_input', `The upload ended after ${upload.received} of ${upload.size} bytes. Try again.`);
    }
    return { path: upload.path, name: upload.name, sha256: upload.hash.digest('hex'), size: upload.size };
  }

  /** A client abandoning its own upload; an id it does not hold is `not_found`, as for every other upload call. */
  async abort(session: string, uploadId: string): Promise<void> {
    await this.discard(this.get(session, uploadId));
  }

  /** A connection closed: its unfinished uploads go with it rather than holding slots until they go idle. */
  async endSession(session: string): Promise<void> {
    await Promise.all([...this.open.values()].filter((u) => u.session === session).map((u) => this.discard(u)));
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((u) => this.discard(u)));
  }

  /** Open uploads, in all or of one session (tests and diagnostics). */
  countOf(session?: string): number {
    if (session === undefined) return this.open.size;
    let n = 0;
    for (const u of this.open.values()) if (u.session === session) n++;
    return n;
  }

  private async write(upload: OpenUpload, bytes: Buffer): Promise<void> {
    await upload.fh.write(bytes, 0, bytes.length, upload.received);
    upload.hash.update(bytes);
    upload.received += bytes.length;
  }

  /** Never waits on the caller's own chunk: it is only called before a write starts or after it settled. */
  private async discard(upload: OpenUpload): Promise<void> {
    if (this.open.get(upload.id) !== upload) return;
    this.open.delete(upload.id);
    upload.idle.cancel();
    await upload.writing?.catch(() => undefined);
    await upload.fh.close().catch(() => undefined);
    await rm(upload.path, { force: true });
  }

  private touch(upload: OpenUpload): void {
    upload.idle.cancel();
    upload.idle = this.clock.setTimeout(() => void this.discard(upload), this.limits.idleMs);
  }

  private get(session: string, id: string): OpenUpload {
    const upload = this.open.get(id);
    // Another session's upload is answered exactly like a missing one: its id tells nobody else anything.
    if (!upload || upload.session !== session) {
      throw new AppError('not_found', 'That upload is no longer open (it finished, was cancelled, or sat idle too long). Start it again.');
    }
    return upload;
  }
}

/**
 * Random-access reading of a ZIP file on disk (yauzl): the central directory is read from the end of the file and
 * only the entries asked for are inflated, so a 500 MB project costs a few reads. Every read is bounded: an entry
 * whose size is over the caller's limit is refused before it is inflated, and yauzl checks that an entry never
 * inflates to more than its directory states, so a zip bomb ends in a clear error instead of filling memory.
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../errors';
import { fileError } from './file-access';
import { formatBytes } from './limits';

/** Far above any slicer project (Bambu writes a few dozen entries per plate), far below a hostile directory. */
export const MAX_ZIP_ENTRIES = 10_000;

const LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];

/** Whether the first bytes of a file are a ZIP signature (a .3mf, a .gcode.3mf, any zip). */
export function isZipHead(head: Uint8Array): boolean {
  return [LOCAL_HEADER, EMPTY_ZIP].some((sig) => head.length >= 4 && sig.every((b, i) => head[i] === b));
}

export class ZipArchive {
  private constructor(
    private readonly zip: ZipFile,
    /** Entries by name; names are exactly as stored ("Metadata/plate_1.gcode"). */
    readonly entries: ReadonlyMap<string, Entry>,
    readonly label: string,
  ) {}

  /** Opens the archive and reads its directory. `label` names the file in errors (the user's file name). */
  static async open(path: string, label: string): Promise<ZipArchive> {
    let zip: ZipFile;
    try {
      // strictFileNames off: slicers on Windows have written backslashes; names are only compared, never used as paths.
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code) throw fileError(path, err);
      throw damaged(label, err);
    }
    const entries = new Map<string, Entry>();
    try {
      if (zip.entryCount > MAX_ZIP_ENTRIES) {
        throw new AppError(
          'invalid_input',
          `${label} lists ${zip.entryCount} files inside, more than the ${MAX_ZIP_ENTRIES} a slicer project can hold. It is not a sliced project; export it again from the slicer.`,
        );
      }
      for await (const entry of zip.eachEntry()) entries.set(entry.fileName.replace(/\\/g, '/'), entry);
    } catch (err) {
      zip.close();
      throw err instanceof AppError ? err : damaged(label, err);
    }
    return new ZipArchive(zip, entries, label);
  }

  close(): void {
    this.zip.close();
  }

  /** The whole entry, refused when it states (or turns out to hold) more than `maxBytes`. */
  async read(name: string, maxBytes: number): Promise<Buffer> {
    const entry = this.require(name);
    if (entry.uncompressedSize > maxBytes) {
      throw new AppError(
        'invalid_input',
        `${this.label}: ${name} inflates to ${formatBytes(entry.uncompressedSize)}, over the ${formatBytes(maxBytes)} such a file can reasonably need. The archive is damaged or was not written by a slicer; export it again.`,
      );
    }
    return this.collect(name, maxBytes);
  }

  /** At most the first `bytes` of an entry, inflating little more than that (a G-code header, a model's metadata). */
  async readHead(name: string, bytes: number): Promise<Buffer> {
    const all = await this.collect(name, bytes);
    return all.length > bytes ? all.subarray(0, bytes) : all;
  }

  /**
   * The entry's inflated bytes, chunk by chunk; yauzl checks the total against the directory as they flow.
   * Stopping early (break, an exception) releases the stream.
   */
  async *chunks(name: string): AsyncGenerator<Buffer> {
    const entry = this.require(name);
    if (entry.isEncrypted()) {
      throw new AppError(
        'invalid_input',
        `${this.label}: ${name} is encrypted, which the app cannot read. Export the plate again from Bambu Studio or OrcaSlicer without a password.`,
      );
    }
    if (!entry.canDecodeFileData()) {
      throw new AppError(
        'invalid_input',
        `${this.label}: ${name} is stored with compression method ${entry.compressionMethod}, which slicers do not use and the app cannot read. Export the file again from the slicer.`,
      );
    }
    let stream: Readable;
    try {
      stream = await this.zip.openReadStreamPromise(entry);
    } catch (err) {
      throw damaged(this.label, err, name);
    }
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
    } catch (err) {
      throw damaged(this.label, err, name);
    } finally {
      stream.destroy();
    }
  }

  private require(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new AppError('invalid_input', `${this.label} has no ${name} inside.`);
    return entry;
  }

  /** Inflates until `limit` bytes have arrived or the entry ends. */
  private async collect(name: string, limit: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.chunks(name)) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
    return Buffer.concat(parts);
  }
}

function damaged(label: string, err: unknown, entry?: string): AppError {
  if (err instanceof AppError) return err;
  const why = err instanceof Error ? err.message : String(err);
  const where = entry ? `${entry} inside it cannot be inflated: ${why}` : why;
  return new AppError(
    'invalid_input',
    `${label} is not a readable ZIP archive (${where}). A .gcode.3mf is a ZIP file; this copy is damaged or cut short. Copy or export it again.`,
  );
}

import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, rmSync } from 'node:fs';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files';
import { open, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { LibraryFileView, PrintFileFormat } from '../contract/jobs-types';
import { AppError } from '../errors';
import { analyzeGcodeFile, analyzeThreeMfFile, readGcodeMetadata, readThreeMfMetadata, type AnalyzeOptions, type GcodeAnalysis, type GcodeMetadata } from '../gcode';
import { analyzeBgcodeFile, bgcodeText, isBgcodeFile, readBgcodeMetadata } from '../gcode/bgcode/reader';
import { qoiToPng } from '../gcode/bgcode/png';
import { formatBytes } from '../gcode/limits';
import { isZipFile } from '../gcode/three-mf';
import type { Clock } from '../ports/clock';
import type { PrintSource } from '../printers/driver';
import type { PrinterKind } from '../printers/model';
import type { Db } from '../store/database';
import { fileFormatOf } from './requirements';
import { LOCAL_SESSION, MAX_UPLOAD_BYTES, UPLOAD_IDLE_MS, Uploads } from './uploads';

export { MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES } from './uploads';

type StoredMeta = Omit<LibraryFileView, 'sha256' | 'name' | 'format' | 'sizeBytes' | 'addedAt' | 'status' | 'progress' | 'thumbnail'> & {
  /** A .bgcode's decoded text size, known after the full analysis: printers that take text are sent this many bytes. */
  bgcodeTextBytes?: number;
};

interface FileRow {
  sha256: string;
  name: string;
  size_bytes: number;
  added_at: number;
  status: 'analyzing' | 'ready';
  meta_json: string | null;
  thumbnail: string | null;
}

export interface LibraryEvents {
  updated(file: LibraryFileView): void;
  removed(sha256: string): void;
  /** A file the full analysis refused; it has been taken out of the library. */
  failed(info: { sha256: string; name: string; message: string }): void;
}

const emptyMeta = (): StoredMeta => ({
  slicer: null,
  estimatedSeconds: null,
  heats: null,
  ourEstimatedSeconds: null,
  filamentMm: null,
  filamentG: null,
  layerHeight: null,
  nozzleDiameter: null,
  printerModel: null,
  material: null,
  colour: null,
  layers: null,
  lines: null,
  plates: null,
  warnings: [],
});

function metaFromMetadata(m: GcodeMetadata): StoredMeta {
  return {
    ...emptyMeta(),
    slicer: m.slicer ? [m.slicer.name, m.slicer.version].filter(Boolean).join(' ') : null,
    estimatedSeconds: m.estimatedSeconds,
    filamentMm: m.filamentMm,
    filamentG: m.filamentG,
    layerHeight: m.layerHeight,
    nozzleDiameter: m.nozzleDiameter,
    printerModel: m.printerModel,
    material: m.material,
    colour: m.colour,
    layers: m.layerCount,
    plates: m.container ? m.container.plates.length : null,
    warnings: m.warnings,
  };
}

function metaFromAnalysis(a: GcodeAnalysis): StoredMeta {
  return {
    ...metaFromMetadata(a.metadata),
    ourEstimatedSeconds: Math.round(a.estimate.totalSeconds),
    heats: a.heats,
    layers: a.metadata.layerCount ?? a.layers,
    lines: a.lines,
    // The slicer's filament figure when it states one, else what we measured.
    filamentMm: a.metadata.filamentMm ?? Math.round(a.extrudedMm * 100) / 100,
    warnings: a.warnings,
    ...(a.metadata.bgcode?.textBytes != null && { bgcodeTextBytes: a.metadata.bgcode.textBytes }),
  };
}

/** The largest thumbnail, as a data: URL a browser shows (QOI, which browsers do not read, is converted to PNG). */
export function thumbnailDataUrl(m: GcodeMetadata): string | null {
  const usable = m.thumbnails.filter((t) => t.decoded !== null);
  usable.sort((a, b) => b.width * b.height - a.width * a.height);
  for (const best of usable) {
    if (best.format !== 'qoi') return `data:image/${best.format === 'png' ? 'png' : 'jpeg'};base64,${best.base64}`;
    const png = qoiToPng(Buffer.from(best.base64, 'base64'));
    if (png) return `data:image/png;base64,${png.toString('base64')}`;
  }
  return null;
}

/** A file name safe to show and keep: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = basename(name.replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  // `.` and `..` name folders, never a file.
  return (base && base !== '.' && base !== '..' ? base : 'unnamed.gcode').slice(0, 200);
}

/** Label for errors about a file whose name the library prefixes itself. */
const THIS_FILE = 'This file';

/**
 * The name a file is kept under: a sliced 3MF always ends in `.gcode.3mf` and plain G-code never in `.3mf`, because
 * the name is what printers go by (the Bambu driver starts a `.3mf` as a project, anything else as G-code) and
 * what the dispatcher reads the format from.
 */
export function nameForFormat(name: string, format: PrintFileFormat): string {
  if (format === 'gcode.3mf') return /\.gcode\.3mf$/i.test(name) ? name : `${name.replace(/(\.gcode)?(\.3mf)?$/i, '')}.gcode.3mf`;
  if (format === 'bgcode') return /\.bgcode$/i.test(name) ? name : `${name.replace(/\.(gcode|gco|g)$/i, '')}.bgcode`;
  return /\.3mf$/i.test(name) ? `${name.replace(/(\.gcode)?\.3mf$/i, '')}.gcode` : name.replace(/\.bgcode$/i, '.gcode');
}

/** The name a decoded .bgcode goes to a printer under: text G-code is `.gcode` to every server. */
export function textNameOf(name: string): string {
  return name.replace(/\.bgcode$/i, '.gcode');
}

/**
 * The print library: G-code files in `<data>/files/<sha256>.gcode` (Bambu projects in `<sha256>.gcode.3mf`, binary G-code in `<sha256>.bgcode`), deduplicated by content, with their
 * analysis in SQLite. Uploads arrive in chunks (the same path for the desktop and a browser), are hashed
 * while written, checked at once with the fast metadata read, then analysed in full in the background.
 */
export class Library {
  private readonly dir: string;
  private readonly tmpDir: string;
  private readonly uploads: Uploads;
  private readonly progress = new Map<string, number>();
  private analysisChain: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();

  constructor(
    private readonly db: Db,
    dataDir: string,
    private readonly clock: Clock,
    private readonly events: LibraryEvents,
    uploadLimits: { idleMs: number } = { idleMs: UPLOAD_IDLE_MS },
  ) {
    this.dir = join(dataDir, 'files');
    this.tmpDir = join(this.dir, 'incoming');
    this.uploads = new Uploads(this.tmpDir, clock, uploadLimits);
    // The library is the user's alone: 0700 folders, 0600 files (uploads and copies are created so, then renamed).
    ensurePrivateDir(this.dir);
    ensurePrivateDir(this.tmpDir);
    // Uploads cut short by a crash or a quit: nothing refers to them.
    for (const f of readdirSync(this.tmpDir)) rmSync(join(this.tmpDir, f), { force: true });
  }

  /** Restarts analyses that a quit or crash interrupted. */
  resumePending(): void {
    for (const row of this.db.prepare(`SELECT * FROM files WHERE status = 'analyzing'`).all() as FileRow[]) this.scheduleAnalysis(row.sha256, row.name);
  }

  list(): LibraryFileView[] {
    return (this.db.prepare('SELECT * FROM files ORDER BY added_at DESC, name').all() as FileRow[]).map((r) => this.toView(r));
  }

  get(sha256: string): LibraryFileView {
    const row = this.row(sha256);
    if (!row) throw new AppError('not_found', 'That file is no longer in the library. It may have been removed in another window.');
    return this.toView(row);
  }

  /** The newest analysed file of that name, or null (printers report prints started by hand by file name only). */
  findReadyByName(name: string): LibraryFileView | null {
    const row = this.db.prepare(`SELECT * FROM files WHERE name = ? AND status = 'ready' ORDER BY added_at DESC LIMIT 1`).get(name) as FileRow | undefined;
    return row ? this.toView(row) : null;
  }

  /** Where the file is kept: its real extension follows its format (files from before 3MF support are all .gcode). */
  pathOf(sha256: string): string {
    const row = this.row(sha256);
    return this.pathFor(sha256, row ? fileFormatOf(row.name) : 'gcode');
  }

  private pathFor(sha256: string, format: PrintFileFormat): string {
    const path = join(this.dir, `${sha256}.${format}`);
    if (format !== 'gcode' || existsSync(path)) return path;
    // A plain G-code file kept under the other extension is never written, but a stray one is still found.
    const other = join(this.dir, `${sha256}.gcode.3mf`);
    return existsSync(other) ? other : path;
  }

  /**
   * The file as a printer of this kind reads it. A .bgcode goes to PrusaLink as it is (Prusa firmware reads it);
   * every other printer gets the G-code text it decodes to, named .gcode, decoded block by block as it is sent
   * (never the whole file in memory), with the exact size the full analysis measured.
   */
  source(sha256: string, name: string, printerKind?: PrinterKind): PrintSource {
    const file = this.get(sha256);
    const path = this.pathOf(sha256);
    if (file.format !== 'bgcode' || printerKind === 'prusalink') {
      return { name, size: file.sizeBytes, layers: file.layers, open: () => createReadStream(path, { highWaterMark: 64 * 1024 }) };
    }
    const textBytes = this.storedMeta(this.row(sha256)!).bgcodeTextBytes;
    if (textBytes === undefined) {
      throw new AppError('conflict', `${name} is still being analysed; it can be sent to this printer once it is ready.`);
    }
    return { name: textNameOf(name), size: textBytes, layers: file.layers, open: () => bgcodeText(path, name) };
  }

  /** Upload calls name the session (one connection, or the desktop window) the upload belongs to. */
  beginUpload(name: string, sizeBytes: number, session = LOCAL_SESSION): Promise<{ uploadId: string; chunkBytes: number }> {
    return this.uploads.begin(session, cleanFileName(name), sizeBytes);
  }

  uploadChunk(uploadId: string, offset: number, base64: string, session = LOCAL_SESSION): Promise<{ received: number }> {
    return this.uploads.chunk(session, uploadId, offset, base64);
  }

  abortUpload(uploadId: string, session = LOCAL_SESSION): Promise<void> {
    return this.uploads.abort(session, uploadId);
  }

  /** Checks the file and adds it; the full analysis continues in the background. Bad files are refused here. */
  async endUpload(uploadId: string, session = LOCAL_SESSION): Promise<{ file: LibraryFileView; duplicate: boolean }> {
    const done = await this.uploads.end(session, uploadId);
    return this.adopt(done.path, done.name, done.sha256, done.size);
  }

  /** A session (a connection) ended: its unfinished uploads are dropped. */
  endSession(session: string): Promise<void> {
    return this.uploads.endSession(session);
  }

  /** Open uploads, in all or of one session. */
  openUploads(session?: string): number {
    return this.uploads.countOf(session);
  }

  /** Adds a file already on this computer (the desktop's file dialog, the CLI, tests). */
  async addFromPath(sourcePath: string, name?: string): Promise<{ file: LibraryFileView; duplicate: boolean }> {
    const id = randomUUID();
    const tmp = join(this.tmpDir, `${id}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const out = await open(tmp, 'wx', PRIVATE_FILE_MODE);
    try {
      for await (const chunk of createReadStream(sourcePath) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        await out.write(chunk, 0, chunk.length, size);
        size += chunk.length;
        if (size > MAX_UPLOAD_BYTES) throw new AppError('invalid_input', `The file is over the ${formatBytes(MAX_UPLOAD_BYTES)} limit for the library.`);
      }
    } catch (err) {
      await out.close().catch(() => undefined);
      await rm(tmp, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('not_found', `There is no file at ${sourcePath}.`);
      throw err;
    }
    await out.close();
    return this.adopt(tmp, cleanFileName(name ?? sourcePath), hash.digest('hex'), size);
  }

  /** Removes a file no queued or running job needs. */
  async remove(sha256: string, inUse: number): Promise<void> {
    this.get(sha256);
    if (inUse > 0) throw new AppError('conflict', `${inUse} queued or running job(s) use this file. Cancel them first.`);
    const path = this.pathOf(sha256);
    this.db.prepare('DELETE FROM files WHERE sha256 = ?').run(sha256);
    await rm(path, { force: true });
    this.events.removed(sha256);
  }

  /** Resolves when every analysis scheduled so far has finished (tests, and the CLI before it exits). */
  analysesSettled(): Promise<void> {
    return this.analysisChain;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.uploads.close();
    await this.analysisChain;
  }

  private async adopt(tmp: string, name: string, sha256: string, size: number): Promise<{ file: LibraryFileView; duplicate: boolean }> {
    const existing = this.row(sha256);
    if (existing) {
      await rm(tmp, { force: true });
      return { file: this.toView(existing), duplicate: true };
    }
    let metadata: GcodeMetadata;
    let format: PrintFileFormat;
    try {
      // Fast (head and tail only; for a .gcode.3mf its small files and the plate header): binary, empty,
      // non-G-code files and unsliced projects are refused before they are added.
      format = (await isZipFile(tmp)) ? 'gcode.3mf' : (await isBgcodeFile(tmp)) ? 'bgcode' : 'gcode';
      metadata = format === 'gcode.3mf' ? await readThreeMfMetadata(tmp, THIS_FILE) : format === 'bgcode' ? await readBgcodeMetadata(tmp, THIS_FILE) : await readGcodeMetadata(tmp);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err instanceof AppError ? new AppError(err.code, `${name}: ${err.message}`, err.details) : err;
    }
    const again = this.row(sha256);
    if (again) {
      await rm(tmp, { force: true });
      return { file: this.toView(again), duplicate: true };
    }
    // Two identical uploads ending together both get here: the same bytes replace the same file, and the
    // insert below (no await before it) decides which one added it.
    await rename(tmp, this.pathFor(sha256, format));
    const row: FileRow = {
      sha256,
      name: nameForFormat(name, format),
      size_bytes: size,
      added_at: this.clock.now(),
      status: 'analyzing',
      meta_json: JSON.stringify(metaFromMetadata(metadata)),
      thumbnail: thumbnailDataUrl(metadata),
    };
    const inserted = this.db
      .prepare(
        'INSERT INTO files (sha256, name, size_bytes, added_at, status, meta_json, thumbnail) VALUES (@sha256, @name, @size_bytes, @added_at, @status, @meta_json, @thumbnail) ON CONFLICT (sha256) DO NOTHING',
      )
      .run(row);
    const winner = inserted.changes === 0 ? this.row(sha256) : undefined;
    if (winner) return { file: this.toView(winner), duplicate: true };
    const view = this.toView(row);
    this.events.updated(view);
    this.scheduleAnalysis(sha256, row.name);
    return { file: view, duplicate: false };
  }

  /** One analysis at a time: a farm adding fifty files should not read fifty files at once. */
  private scheduleAnalysis(sha256: string, name: string): void {
    this.progress.set(sha256, 0);
    this.analysisChain = this.analysisChain.then(() => this.analyze(sha256, name));
  }

  private async analyze(sha256: string, name: string): Promise<void> {
    if (this.abort.signal.aborted || !this.row(sha256)) return;
    let lastStep = 0;
    try {
      const path = this.pathOf(sha256);
      const format = fileFormatOf(name);
      const analyze =
        format === 'gcode.3mf'
          ? (p: string, o: AnalyzeOptions) => analyzeThreeMfFile(p, o, THIS_FILE)
          : format === 'bgcode'
            ? (p: string, o: AnalyzeOptions) => analyzeBgcodeFile(p, o, THIS_FILE)
            : analyzeGcodeFile;
      const analysis = await analyze(path, {
        signal: this.abort.signal,
        onProgress: (read, total) => {
          const fraction = total ? read / total : 1;
          if (fraction - lastStep < 0.1) return;
          lastStep = fraction;
          this.progress.set(sha256, fraction);
          const row = this.row(sha256);
          if (row) this.events.updated(this.toView(row));
        },
      });
      this.progress.delete(sha256);
      if (!this.row(sha256)) return;
      this.db.prepare(`UPDATE files SET status = 'ready', meta_json = ? WHERE sha256 = ?`).run(JSON.stringify(metaFromAnalysis(analysis)), sha256);
      this.events.updated(this.get(sha256));
    } catch (err) {
      this.progress.delete(sha256);
      // Quitting mid-analysis: the row stays 'analyzing' and the next start resumes it.
      if (this.abort.signal.aborted) return;
      const message = err instanceof AppError ? err.message : 'The file could not be analysed.';
      const path = this.pathOf(sha256);
      this.db.prepare('DELETE FROM files WHERE sha256 = ?').run(sha256);
      await rm(path, { force: true });
      this.events.removed(sha256);
      this.events.failed({ sha256, name, message: `${name}: ${message}` });
    }
  }

  private row(sha256: string): FileRow | undefined {
    return this.db.prepare('SELECT * FROM files WHERE sha256 = ?').get(sha256) as FileRow | undefined;
  }

  private storedMeta(r: FileRow): StoredMeta {
    let meta = emptyMeta();
    if (r.meta_json) {
      try {
        meta = { ...meta, ...(JSON.parse(r.meta_json) as Partial<StoredMeta>) };
      } catch {
        // An unreadable cache entry is only missing metadata; the file itself is fine.
      }
    }
    return meta;
  }

  private toView(r: FileRow): LibraryFileView {
    // The decoded size is the library's own business (printer sources), not the view's.
    const { bgcodeTextBytes: _ownUse, ...meta } = this.storedMeta(r);
    return {
      sha256: r.sha256,
      name: r.name,
      format: fileFormatOf(r.name),
      sizeBytes: r.size_bytes,
      addedAt: r.added_at,
      status: r.status,
      progress: r.status === 'ready' ? 1 : (this.progress.get(r.sha256) ?? 0),
      thumbnail: r.thumbnail,
      ...meta,
    };
  }
}

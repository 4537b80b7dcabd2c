import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_TIMELAPSE_CAP_MB, type SnapshotKind, type SnapshotView } from '../contract/snapshot-types';
import { AppError } from '../errors';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../private-files';
import type { Db } from '../store/database';

interface SnapshotRow {
  id: number;
  printer_id: string;
  history_id: number | null;
  kind: SnapshotKind;
  taken_at: number;
  layer: number | null;
  file: string;
  bytes: number;
}

export interface NewSnapshot {
  printerId: string;
  historyId: number | null;
  kind: SnapshotKind;
  takenAt: number;
  layer: number | null;
  bytes: Buffer;
}

const TIMELAPSE_KINDS = `('timelapse-frame', 'timelapse-video')`;
const MIB = 1024 * 1024;

export function snapshotPath(id: number): string {
  return `/snapshot/${id}`;
}

function toView(r: SnapshotRow): SnapshotView {
  return {
    id: r.id,
    historyId: r.history_id,
    printerId: r.printer_id,
    kind: r.kind,
    takenAt: r.taken_at,
    layer: r.layer,
    path: snapshotPath(r.id),
    contentType: r.kind === 'timelapse-video' ? 'video/webm' : 'image/jpeg',
    bytes: r.bytes,
  };
}

/** A printer id as a folder name: ids are ours, but a folder name must never climb out of the snapshots folder. */
const folderOf = (printerId: string) => printerId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || '_';

/**
 * Where a print's pictures live: each one a file under `<data>/snapshots/<printer>/`, written in full (to a
 * temporary name, then renamed) before its row is committed, so a row never points at half a picture. A crash
 * between the two leaves a file without a row, which costs disk and nothing else.
 */
export class SnapshotStore {
  readonly root: string;

  constructor(
    private readonly db: Db,
    dataDir: string,
  ) {
    this.root = join(dataDir, 'snapshots');
  }

  async add(s: NewSnapshot): Promise<SnapshotView> {
    const ext = s.kind === 'timelapse-video' ? 'webm' : 'jpg';
    const rel = join(folderOf(s.printerId), `${s.takenAt}-${s.kind}-${randomBytes(4).toString('hex')}.${ext}`);
    const abs = join(this.root, rel);
    await mkdir(join(this.root, folderOf(s.printerId)), { recursive: true, mode: PRIVATE_DIR_MODE });
    const partial = `${abs}.partial`;
    try {
      await writeFile(partial, s.bytes, { mode: PRIVATE_FILE_MODE });
      await rename(partial, abs);
    } catch (err) {
      await rm(partial, { force: true });
      throw new AppError('internal', `The picture of the print could not be saved in ${this.root}: ${diskReason(err)}`);
    }
    const info = this.db
      .prepare(`INSERT INTO print_snapshots (printer_id, history_id, kind, taken_at, layer, file, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(s.printerId, s.historyId, s.kind, s.takenAt, s.layer, rel, s.bytes.length);
    return this.view(Number(info.lastInsertRowid))!;
  }

  view(id: number): SnapshotView | null {
    const row = this.db.prepare('SELECT * FROM print_snapshots WHERE id = ?').get(id) as SnapshotRow | undefined;
    return row ? toView(row) : null;
  }

  /**
   * Ties the pictures a printer took during [from, to] and not yet tied to a print to this history entry; the
   * print's own pictures are the only loose ones in that window, since each earlier print tied its own at its end.
   */
  tie(historyId: number, printerId: string, from: number, to: number): SnapshotView[] {
    const rows = this.db
      .prepare(`UPDATE print_snapshots SET history_id = ? WHERE printer_id = ? AND history_id IS NULL AND taken_at BETWEEN ? AND ? RETURNING *`)
      .all(historyId, printerId, from, to) as SnapshotRow[];
    return rows.map(toView);
  }

  forHistory(historyIds: readonly number[]): SnapshotView[] {
    if (historyIds.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM print_snapshots WHERE history_id IN (SELECT value FROM json_each(?)) ORDER BY taken_at, id`)
      .all(JSON.stringify(historyIds)) as SnapshotRow[];
    return rows.map(toView);
  }

  /** The time-lapse frames of one print, in order (those to assemble into its video). */
  timelapseFrames(historyId: number): { view: SnapshotView; file: string }[] {
    const rows = this.db.prepare(`SELECT * FROM print_snapshots WHERE history_id = ? AND kind = 'timelapse-frame' ORDER BY taken_at, id`).all(historyId) as SnapshotRow[];
    return rows.map((r) => ({ view: toView(r), file: join(this.root, r.file) }));
  }

  async read(id: number): Promise<{ bytes: Buffer; contentType: SnapshotView['contentType'] }> {
    const row = this.db.prepare('SELECT * FROM print_snapshots WHERE id = ?').get(id) as SnapshotRow | undefined;
    if (!row) throw new AppError('not_found', 'That picture no longer exists (its time-lapse may have made room for newer ones).');
    try {
      return { bytes: await readFile(join(this.root, row.file)), contentType: toView(row).contentType };
    } catch {
      throw new AppError('not_found', `The picture's file is missing from ${this.root}; it may have been deleted by hand.`);
    }
  }

  /** Deletes these pictures, rows first: a file left by a crash in between is only disk, never a broken row. */
  async remove(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = this.db.prepare(`DELETE FROM print_snapshots WHERE id IN (SELECT value FROM json_each(?)) RETURNING file`).all(JSON.stringify(ids)) as { file: string }[];
    await Promise.all(rows.map((r) => rm(join(this.root, r.file), { force: true })));
  }

  timelapseBytes(printerId: string): number {
    const row = this.db.prepare(`SELECT COALESCE(SUM(bytes), 0) AS n FROM print_snapshots WHERE printer_id = ? AND kind IN ${TIMELAPSE_KINDS}`).get(printerId) as { n: number };
    return row.n;
  }

  /**
   * Deletes the printer's oldest time-lapses, a whole print's at a time, until they fit under the cap; the print
   * just finished (`keep`) is never deleted by its own arrival, so one very long print still keeps its time-lapse.
   */
  async enforceCap(printerId: string, capMb: number, keep: number | null): Promise<number> {
    let over = this.timelapseBytes(printerId) - capMb * MIB;
    let removed = 0;
    while (over > 0) {
      const oldest = this.db
        .prepare(
          `SELECT history_id AS h, SUM(bytes) AS n FROM print_snapshots
           WHERE printer_id = ? AND kind IN ${TIMELAPSE_KINDS} AND history_id IS NOT NULL AND history_id IS NOT ?
           GROUP BY history_id ORDER BY MIN(taken_at) LIMIT 1`,
        )
        .get(printerId, keep) as { h: number; n: number } | undefined;
      if (!oldest) break;
      const ids = (this.db.prepare(`SELECT id FROM print_snapshots WHERE history_id = ? AND kind IN ${TIMELAPSE_KINDS}`).all(oldest.h) as { id: number }[]).map((r) => r.id);
      await this.remove(ids);
      over -= oldest.n;
      removed += ids.length;
    }
    return removed;
  }

  timelapseOption(printerId: string): { enabled: boolean; capMb: number } {
    const row = this.db.prepare('SELECT enabled, cap_mb FROM timelapse_options WHERE printer_id = ?').get(printerId) as { enabled: number; cap_mb: number } | undefined;
    return row ? { enabled: row.enabled === 1, capMb: row.cap_mb } : { enabled: false, capMb: DEFAULT_TIMELAPSE_CAP_MB };
  }

  setTimelapseOption(printerId: string, enabled: boolean, capMb: number): void {
    this.db
      .prepare(
        `INSERT INTO timelapse_options (printer_id, enabled, cap_mb) VALUES (?, ?, ?) ON CONFLICT(printer_id) DO UPDATE SET enabled = excluded.enabled, cap_mb = excluded.cap_mb`,
      )
      .run(printerId, enabled ? 1 : 0, capMb);
  }

  /** Bytes on disk for a row's file (tests; the row's own `bytes` is what the cap counts). */
  async fileSize(id: number): Promise<number | null> {
    const row = this.db.prepare('SELECT file FROM print_snapshots WHERE id = ?').get(id) as { file: string } | undefined;
    if (!row) return null;
    return (await stat(join(this.root, row.file)).catch(() => null))?.size ?? null;
  }
}

function diskReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC') return 'the disk is full. Free some space; the print itself goes on.';
  if (code === 'EACCES' || code === 'EPERM') return "the app may not write there. Check the folder's permissions.";
  if (code === 'EROFS') return 'the disk is read-only.';
  return err instanceof Error ? err.message : String(err);
}

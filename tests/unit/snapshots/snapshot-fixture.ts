import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEntry } from '../../../electron/core/contract/jobs-types';
import type { PrinterStatus } from '../../../electron/core/contract/printer-model';
import type { SnapshotView } from '../../../electron/core/contract/snapshot-types';
import type { Viewer, Watch } from '../../../electron/core/cameras/relay';
import { AppError } from '../../../electron/core/errors';
import { PrintSnapshots } from '../../../electron/core/snapshots/print-snapshots';
import { SnapshotStore } from '../../../electron/core/snapshots/snapshot-store';
import { openDatabase } from '../../../electron/core/store/database';
import { testFrames } from '../../peers/test-frames';
import { ManualClock } from '../../support/manual-clock';

export const T0 = 1_700_000_000_000;

export function printing(opts: { startedAt?: number; fraction?: number; layer?: number | null; paused?: boolean } = {}): PrinterStatus {
  const job = {
    fileName: 'benchy.gcode',
    fraction: opts.fraction ?? 0.1,
    linesSent: 10,
    linesTotal: 100,
    startedAt: opts.startedAt ?? T0,
    remainingSeconds: 600,
    ...(opts.layer === null ? {} : { layer: { current: opts.layer ?? 1, total: 50 } }),
  };
  return { state: opts.paused ? { kind: 'paused', job } : { kind: 'printing', job }, temperatures: {} as PrinterStatus['temperatures'], position: null, firmware: null };
}

export const idle: PrinterStatus = { state: { kind: 'idle' }, temperatures: {} as PrinterStatus['temperatures'], position: null, firmware: null };

export function entry(id: number, over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id,
    jobId: `job-${id}`,
    source: 'queue',
    printerId: 'p1',
    printerName: 'Printer 1',
    fileName: 'benchy.gcode',
    fileSha256: null,
    outcome: 'completed',
    reason: null,
    startedAt: T0,
    endedAt: T0 + 3_600_000,
    durationSeconds: 3600,
    filamentMm: null,
    filamentG: null,
    material: null,
    cost: null,
    ...over,
  };
}

/**
 * A camera the test controls: `mode` 'ok' answers each viewer with the next test frame (a real JPEG), 'fail'
 * fails it, 'silent' never answers. Counts how many times it was watched.
 */
export async function snapshotFixture(opts: { ffmpegPath?: string; camera?: string | null } = {}) {
  const frames = await testFrames();
  const db = openDatabase('', { file: ':memory:' });
  // History rows the snapshots point at (the foreign key) are real rows.
  const dataDir = mkdtempSync(join(tmpdir(), 'apf-snapshots-'));
  const store = new SnapshotStore(db, dataDir);
  const clock = new ManualClock(T0);
  const announced: SnapshotView[] = [];
  const logs: string[] = [];
  const cam = { mode: 'ok' as 'ok' | 'fail' | 'silent', watched: 0, open: 0, next: 0 };
  const watch = async (cameraId: string, viewer: Viewer): Promise<Watch> => {
    if (cameraId !== 'cam-1') throw new AppError('not_found', 'No such camera.');
    cam.watched++;
    cam.open++;
    if (cam.mode === 'ok') {
      const jpeg = frames[cam.next++ % frames.length]!;
      setImmediate(() => viewer.send(jpeg, () => undefined));
    } else if (cam.mode === 'fail') setImmediate(() => viewer.failed(new AppError('printer_error', 'The camera refused the connection.')));
    return { close: () => void cam.open-- };
  };
  const cameraId = opts.camera === undefined ? 'cam-1' : opts.camera;
  const snapshots = new PrintSnapshots({
    store,
    clock,
    cameraOf: async () => cameraId,
    watch,
    announce: (list) => announced.push(...list),
    log: (m) => logs.push(m),
    ...(opts.ffmpegPath ? { ffmpegPath: opts.ffmpegPath } : {}),
  });
  const history = (id: number, over: Partial<HistoryEntry> = {}) => {
    const e = entry(id, over);
    db.prepare(
      `INSERT INTO history (id, job_id, source, printer_id, printer_name, file_name, file_sha256, outcome, reason, started_at, ended_at, filament_mm, filament_g, material)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, NULL, NULL, NULL)`,
    ).run(e.id, e.jobId, e.source, e.printerId, e.printerName, e.fileName, e.outcome, e.reason, e.startedAt, e.endedAt);
    return e;
  };
  return { db, store, clock, snapshots, announced, logs, cam, dataDir, frames, history };
}

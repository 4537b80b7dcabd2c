import type { HistoryEntry } from '../contract/jobs-types';
import type { PrinterStatus } from '../contract/printer-model';
import type { SnapshotKind, SnapshotView, TimelapseView } from '../contract/snapshot-types';
import { AppError } from '../errors';
import type { Clock } from '../ports/clock';
import { grabFrame, type WatchCamera } from './frame-grab';
import { momentsOf, type PrintRun } from './snapshot-moments';
import type { SnapshotStore } from './snapshot-store';
import { encodeTimelapse, encoderProblem } from './timelapse-encoder';

export interface PrintSnapshotsDeps {
  store: SnapshotStore;
  clock: Clock;
  /** The camera a printer's pictures are taken from (its first that can stream), or null when it has none. */
  cameraOf: (printerId: string) => Promise<string | null>;
  watch: WatchCamera;
  /** Pictures kept or tied to a print (the `snapshots.added` event). */
  announce: (snapshots: SnapshotView[]) => void;
  log: (message: string, err?: unknown) => void;
  /** Tests point this at a missing binary to get the frame strip. */
  ffmpegPath?: string;
  grabTimeoutMs?: number;
}

/**
 * Takes a print's pictures: when its first layer is down, at its end (or failure), and a time-lapse frame at
 * each layer change where the printer's time-lapse is on; at the end the frames become a WebM if ffmpeg is here.
 * Nothing here may disturb a print: a camera that is missing, slow or broken costs the picture and a log line.
 * Each printer's pictures are taken one after another (a chain), so its end picture and time-lapse assembly
 * come after every frame of the print, and a time-lapse frame still waiting when the next is due is skipped.
 */
export class PrintSnapshots {
  private readonly runs = new Map<string, PrintRun>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly pendingFrames = new Set<string>();
  private readonly timelapseOn = new Map<string, boolean>();
  private encoderCheck: Promise<string | null> | null = null;
  private closed = false;

  constructor(private readonly d: PrintSnapshotsDeps) {}

  /** Every printer status (fleet.onPrinterStatus). */
  status(printerId: string, status: PrinterStatus): void {
    if (this.closed) return;
    const { run, moments } = momentsOf(this.runs.get(printerId) ?? null, status, this.timelapseEnabled(printerId));
    if (!run) {
      this.runs.delete(printerId);
      return;
    }
    this.runs.set(printerId, run);
    // Its history entry is written: what the printer still reports of it (the tail of a print) is not pictured.
    if (run.historyId !== null) return;
    for (const m of moments) {
      if (m.kind === 'timelapse-frame') {
        if (this.pendingFrames.has(printerId)) continue;
        this.pendingFrames.add(printerId);
      }
      const takenAt = this.d.clock.now();
      this.enqueue(printerId, async () => {
        if (m.kind === 'timelapse-frame') this.pendingFrames.delete(printerId);
        await this.take(printerId, m.kind, m.layer, takenAt, null);
      });
    }
  }

  /** A print ended and its history entry is written (the `history.added` event). */
  ended(entry: HistoryEntry): void {
    if (this.closed) return;
    const run = this.runs.get(entry.printerId);
    // The run the printer reports now is this print unless it started after this one ended (a late report).
    if (run && run.startedAt <= entry.endedAt) run.historyId = entry.id;
    const tied = this.d.store.tie(entry.id, entry.printerId, entry.startedAt, entry.endedAt);
    if (tied.length) this.d.announce(tied);
    const kind: SnapshotKind = entry.outcome === 'failed' || entry.outcome === 'interrupted' ? 'failure' : 'end';
    const takenAt = this.d.clock.now();
    this.enqueue(entry.printerId, async () => {
      // Frames still on their way when the print ended are filed now that the entry exists.
      const late = this.d.store.tie(entry.id, entry.printerId, entry.startedAt, takenAt);
      if (late.length) this.d.announce(late);
      await this.take(entry.printerId, kind, null, takenAt, entry.id);
      await this.assemble(entry.printerId, entry.id);
    });
  }

  async timelapse(printerId: string): Promise<TimelapseView> {
    const option = this.d.store.timelapseOption(printerId);
    const problem = await this.encoderProblem();
    return { printerId, ...option, usedBytes: this.d.store.timelapseBytes(printerId), assembly: problem ? 'frames' : 'video', assemblyProblem: problem };
  }

  async setTimelapse(printerId: string, enabled: boolean, capMb: number): Promise<TimelapseView> {
    this.d.store.setTimelapseOption(printerId, enabled, capMb);
    this.timelapseOn.set(printerId, enabled);
    await this.d.store.enforceCap(printerId, capMb, null);
    return this.timelapse(printerId);
  }

  /** Waits for every picture and assembly under way (tests, and the host closing). */
  async settled(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.settled();
  }

  private timelapseEnabled(printerId: string): boolean {
    let on = this.timelapseOn.get(printerId);
    if (on === undefined) {
      on = this.d.store.timelapseOption(printerId).enabled;
      this.timelapseOn.set(printerId, on);
    }
    return on;
  }

  private enqueue(printerId: string, step: () => Promise<void>): void {
    const before = this.chains.get(printerId) ?? Promise.resolve();
    const next = before.then(step).catch((err: unknown) => this.d.log(`A picture of a print on printer ${printerId} was not kept.`, err));
    this.chains.set(printerId, next);
    void next.then(() => {
      if (this.chains.get(printerId) === next) this.chains.delete(printerId);
    });
  }

  /** `historyId` null: a picture of a print still running, tied to its entry when the print ends. */
  private async take(printerId: string, kind: SnapshotKind, layer: number | null, takenAt: number, historyId: number | null): Promise<void> {
    const cameraId = await this.d.cameraOf(printerId);
    if (!cameraId) return;
    let jpeg: Buffer;
    try {
      jpeg = await grabFrame(this.d.watch, cameraId, this.d.clock, this.d.grabTimeoutMs);
    } catch (err) {
      this.d.log(`No ${kind} picture of the print on printer ${printerId}: ${err instanceof AppError ? err.message : 'the camera failed'}`);
      return;
    }
    const view = await this.d.store.add({ printerId, historyId, kind, takenAt, layer, bytes: jpeg });
    this.d.announce([view]);
  }

  private async assemble(printerId: string, historyId: number): Promise<void> {
    const frames = this.d.store.timelapseFrames(historyId);
    if (frames.length === 0) return;
    const option = this.d.store.timelapseOption(printerId);
    if (frames.length >= 2 && !(await this.encoderProblem())) {
      try {
        const video = await encodeTimelapse(
          frames.map((f) => f.file),
          this.d.ffmpegPath ? { ffmpegPath: this.d.ffmpegPath } : {},
        );
        const last = frames[frames.length - 1]!.view;
        const view = await this.d.store.add({ printerId, historyId, kind: 'timelapse-video', takenAt: last.takenAt, layer: last.layer, bytes: video });
        await this.d.store.remove(frames.map((f) => f.view.id));
        this.d.announce([view]);
      } catch (err) {
        this.d.log(`The time-lapse of history entry ${historyId} stays a strip of frames.`, err);
      }
    }
    await this.d.store.enforceCap(printerId, option.capMb, historyId);
  }

  private encoderProblem(): Promise<string | null> {
    this.encoderCheck ??= encoderProblem(this.d.ffmpegPath);
    return this.encoderCheck;
  }
}

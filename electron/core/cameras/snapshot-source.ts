import { AppError } from '../errors';
import type { Clock } from '../ports/clock';
import { frameTooLargeMessage, isJpeg, MAX_FRAME_BYTES, type CameraSource, type FrameSink } from './camera-source';
import { cameraGet, statusError, type HttpCameraTarget } from './http-camera';

/** Snapshot cameras are polled at most this fast: each picture is a full request to a small computer. */
export const SNAPSHOT_MAX_FPS = 5;
/** This many failed polls in a row end the source (one lost request on Wi-Fi is not a dead camera). */
const FAILURES_ALLOWED = 3;
const REQUEST_IDLE_MS = 10_000;

/**
 * A snapshot URL (`?action=snapshot`, `/snapshot`, an IP camera's still image) polled at the rate the fastest
 * viewer wants, one request at a time: a slow camera lowers the rate rather than piling requests up.
 */
export class SnapshotSource implements CameraSource {
  private fps = 1;
  private running = false;
  private failures = 0;
  private timer: { cancel(): void } | null = null;
  private abort: (() => void) | null = null;

  constructor(
    private readonly target: HttpCameraTarget,
    private readonly clock: Clock,
  ) {}

  setRate(fps: number): void {
    this.fps = Math.max(0.1, Math.min(SNAPSHOT_MAX_FPS, fps));
  }

  start(sink: FrameSink): void {
    this.running = true;
    this.failures = 0;
    const poll = async () => {
      if (!this.running) return;
      const began = this.clock.now();
      try {
        sink.frame(await this.fetchOne());
        this.failures = 0;
      } catch (err) {
        if (!this.running) return;
        const appErr = err instanceof AppError ? err : new AppError('printer_offline', `The ${this.target.label} could not be read.`);
        if (++this.failures >= FAILURES_ALLOWED || appErr.code !== 'printer_offline') {
          this.stop();
          return sink.failed(appErr);
        }
      }
      if (!this.running) return;
      const wait = Math.max(0, 1000 / this.fps - (this.clock.now() - began));
      this.timer = this.clock.setTimeout(() => void poll(), wait);
    };
    void poll();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
    this.abort?.();
  }

  private async fetchOne(): Promise<Buffer> {
    const { req, res } = await cameraGet(this.target, REQUEST_IDLE_MS);
    this.abort = () => req.destroy();
    try {
      if (res.statusCode !== 200) {
        res.resume();
        throw statusError(this.target, res.statusCode ?? 0);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_FRAME_BYTES) {
          req.destroy();
          throw new AppError('printer_error', frameTooLargeMessage(this.target.label, null));
        }
        chunks.push(chunk);
      }
      const jpeg = Buffer.concat(chunks);
      if (!isJpeg(jpeg)) {
        const type = String(res.headers['content-type'] ?? 'none');
        throw new AppError('printer_error', `The ${this.target.label} answered with something that is not a JPEG picture (Content-Type ${type}). Check the snapshot address.`);
      }
      return jpeg;
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('printer_offline', `The connection to the ${this.target.label} was cut off.`);
    } finally {
      this.abort = null;
    }
  }
}

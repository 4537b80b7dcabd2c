import { AppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Viewer, Watch } from '../cameras/relay';

export type WatchCamera = (cameraId: string, viewer: Viewer) => Promise<Watch>;

/** How long a snapshot waits for a camera's picture: a snapshot URL polled at 1 fps answers well within it. */
export const GRAB_TIMEOUT_MS = 15_000;

/**
 * One picture from a camera, through the relay like any viewer (so a camera someone is watching is not opened
 * twice, and one nobody watches is opened just for this and closed after its linger).
 */
export function grabFrame(watch: WatchCamera, cameraId: string, clock: Clock, timeoutMs = GRAB_TIMEOUT_MS): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    let settled = false;
    let opened: Watch | null = null;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      // The relay may hand the frame over inside `watch` itself: leave after it has returned the handle.
      queueMicrotask(() => opened?.close());
      fn();
    };
    const timer = clock.setTimeout(() => finish(() => reject(new AppError('timeout', `The camera sent no picture within ${Math.round(timeoutMs / 1000)} s.`))), timeoutMs);
    watch(cameraId, {
      maxFps: 1,
      send: (jpeg, done) => {
        done();
        finish(() => resolve(jpeg));
      },
      failed: (err) => finish(() => reject(err)),
    }).then(
      (w) => {
        opened = w;
        if (settled) w.close();
      },
      (err: unknown) => finish(() => reject(err instanceof AppError ? err : new AppError('printer_error', 'The camera could not be opened.'))),
    );
  });
}

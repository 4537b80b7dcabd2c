import type { CameraSource } from '../../../electron/core/cameras/camera-source';
import type { AppError } from '../../../electron/core/errors';

/** Starts a camera source and resolves with its first `n` frames, or with the failure that ended it first. */
export function collectFrames(source: CameraSource, n: number): Promise<{ frames: Buffer[]; error: AppError | null }> {
  return new Promise((resolve) => {
    const frames: Buffer[] = [];
    source.start({
      frame: (f) => {
        frames.push(f);
        if (frames.length === n) {
          source.stop();
          resolve({ frames, error: null });
        }
      },
      failed: (error) => resolve({ frames, error }),
    });
  });
}

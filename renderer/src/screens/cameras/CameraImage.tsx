import { useEffect, useState } from 'react';
import type { CameraView } from '../../../../electron/core/contract';

/**
 * A camera's live picture from the host's relay (same origin, the session cookie goes with it; no address or
 * credential of the camera is in the page). With `fps`, the picture is fetched that often one frame at a time
 * (`/frame`): a page of many cameras must not hold a connection per camera, since a browser keeps at most 6 per
 * host. Without it, the full-rate multipart stream. `onFailed` lets the parent read why from `cameras.list`.
 */
export function CameraImage({ camera, fps, className, onFailed }: { camera: CameraView; fps?: number; className?: string; onFailed?: () => void }) {
  const [attempt, setAttempt] = useState(0);
  const [tick, setTick] = useState(0);
  const [loaded, setLoaded] = useState(0);
  const [failed, setFailed] = useState(false);
  // Polling: the next picture is asked for once this one is drawn, one interval later (a slow link slows it).
  useEffect(() => {
    if (!fps || !loaded) return;
    const timer = window.setTimeout(() => setTick((n) => n + 1), 1000 / fps);
    return () => window.clearTimeout(timer);
  }, [fps, loaded]);
  if (!camera.streamPath) return null;
  const src = fps ? `${camera.streamPath.replace(/\/stream$/, '/frame')}?fps=${fps}&n=${attempt}-${tick}` : `${camera.streamPath}${attempt ? `?try=${attempt}` : ''}`;
  if (failed) {
    return (
      <div className={`camera-failed ${className ?? ''}`} data-testid="camera-failed">
        <span>The camera stopped.</span>
        <button
          type="button"
          className="btn btn-small"
          onClick={(e) => {
            e.stopPropagation();
            setFailed(false);
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      </div>
    );
  }
  return (
    <img
      key={fps ? 'poll' : attempt}
      className={`camera-img ${className ?? ''}`}
      src={src}
      alt={`Live picture of ${camera.name}`}
      data-testid="camera-img"
      data-camera-id={camera.id}
      onLoad={fps ? () => setLoaded((n) => n + 1) : undefined}
      onError={() => {
        setFailed(true);
        onFailed?.();
      }}
    />
  );
}

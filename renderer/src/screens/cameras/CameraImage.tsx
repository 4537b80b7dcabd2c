import { useEffect, useRef, useState } from 'react';
import type { CameraView } from '../../../../electron/core/contract';

/**
 * A camera's live picture from the host's relay (same origin, the session cookie goes with it; no address or
 * credential of the camera is in the page). With `fps`, the picture is fetched that often one frame at a time
 * (`/frame`): a page of many cameras must not hold a connection per camera, since a browser keeps at most 6 per
 * host. Without it, the full-rate multipart stream. `onFailed` lets the parent read why from `cameras.list`.
 *
 * Polling changes the <img>'s `src` directly, not through React state: a wall of 48 cameras would otherwise
 * re-render 48 components a second for nothing but a new URL. Pictures are decoded off the main thread.
 */
export function CameraImage({ camera, fps, className, onFailed }: { camera: CameraView; fps?: number; className?: string; onFailed?: () => void }) {
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);
  const img = useRef<HTMLImageElement>(null);
  const framePath = camera.streamPath?.replace(/\/stream$/, '/frame') ?? null;

  // Polling: the next picture is asked for once this one is drawn, one interval later (a slow link slows it).
  useEffect(() => {
    const el = img.current;
    if (!fps || !el || !framePath || failed) return;
    let tick = 0;
    let timer: number | undefined;
    const next = () => {
      timer = window.setTimeout(() => {
        el.src = `${framePath}?fps=${fps}&n=${attempt}-${++tick}`;
      }, 1000 / fps);
    };
    el.addEventListener('load', next);
    return () => {
      el.removeEventListener('load', next);
      window.clearTimeout(timer);
    };
  }, [fps, framePath, attempt, failed]);

  if (!camera.streamPath) return null;
  const src = fps ? `${framePath}?fps=${fps}&n=${attempt}-0` : `${camera.streamPath}${attempt ? `?try=${attempt}` : ''}`;
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
      ref={img}
      key={attempt}
      className={`camera-img ${className ?? ''}`}
      src={src}
      decoding="async"
      alt={`Live picture of ${camera.name}`}
      data-testid="camera-img"
      data-camera-id={camera.id}
      onError={() => {
        setFailed(true);
        onFailed?.();
      }}
    />
  );
}

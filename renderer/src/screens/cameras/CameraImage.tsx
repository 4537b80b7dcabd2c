import { useEffect, useRef, useState } from 'react';
import type { CameraView } from '../../../../electron/core/contract';
import { canDrawOffThread, drawCameraOffThread } from './camera-canvas';

/**
 * A camera's live picture from the host's relay (same origin, the session cookie goes with it; no address or
 * credential of the camera is in the page). With `fps`, the picture is fetched that often one frame at a time
 * (`/frame`): a page of many cameras must not hold a connection per camera, since a browser keeps at most 6 per
 * host. Without it, the full-rate multipart stream. `onFailed` lets the parent read why from `cameras.list`.
 *
 * Polled pictures are fetched, decoded and drawn by a worker into a canvas (`camera-canvas.ts`), so a wall of 48
 * cameras costs the page's main thread nothing per picture; where a browser cannot, the <img>'s `src` is changed
 * directly, not through React state (48 re-renders a second for nothing but a new URL).
 */
export function CameraImage({ camera, fps, className, onFailed }: { camera: CameraView; fps?: number; className?: string; onFailed?: () => void }) {
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);
  const img = useRef<HTMLImageElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const framePath = camera.streamPath?.replace(/\/stream$/, '/frame') ?? null;
  const offThread = Boolean(fps) && canDrawOffThread;

  useEffect(() => {
    const el = box.current;
    if (!offThread || !el || !framePath || failed) return;
    // A canvas hands its drawing to a worker once: each run of this effect makes its own (StrictMode runs it twice).
    const canvas = document.createElement('canvas');
    el.replaceChildren(canvas);
    let frames = 0;
    const stop = drawCameraOffThread(canvas, framePath, fps!, (reply) => {
      if (reply.kind === 'drawn') el.dataset.frames = String(++frames);
      else {
        setFailed(true);
        onFailed?.();
      }
    });
    return () => {
      stop();
      canvas.remove();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- onFailed is a callback, not an input of the drawing
  }, [offThread, framePath, fps, attempt, failed]);

  // Polling: the next picture is asked for once this one is drawn, one interval later (a slow link slows it).
  useEffect(() => {
    const el = img.current;
    if (!fps || offThread || !el || !framePath || failed) return;
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
  }, [fps, offThread, framePath, attempt, failed]);

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
  if (offThread) {
    return (
      <div
        ref={box}
        key={attempt}
        className={`camera-img camera-canvas ${className ?? ''}`}
        role="img"
        aria-label={`Live picture of ${camera.name}`}
        data-testid="camera-img"
        data-camera-id={camera.id}
        data-polled={framePath ?? ''}
      />
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

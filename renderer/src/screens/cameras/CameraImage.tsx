import { useState } from 'react';
import type { CameraView } from '../../../../electron/core/contract';

/**
 * A camera's live picture: an <img> on the host's relayed stream (same origin, the session cookie goes with
 * it; no address or credential of the camera is in the page). `fps` caps the view (the fleet card asks 1).
 * When the stream ends or cannot start, `onFailed` lets the parent read why from `cameras.list`.
 */
export function CameraImage({ camera, fps, className, onFailed }: { camera: CameraView; fps?: number; className?: string; onFailed?: () => void }) {
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);
  if (!camera.streamPath) return null;
  const src = `${camera.streamPath}${fps ? `?fps=${fps}` : ''}${attempt ? `${fps ? '&' : '?'}try=${attempt}` : ''}`;
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
      key={attempt}
      className={`camera-img ${className ?? ''}`}
      src={src}
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

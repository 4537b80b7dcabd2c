import { FULL_RATE_FPS } from './relay';

/** The boundary of the multipart stream both hosts serve a camera as (browsers draw each part in an <img>). */
export const STREAM_BOUNDARY = 'apfcameraframe';
export const STREAM_CONTENT_TYPE = `multipart/x-mixed-replace; boundary=${STREAM_BOUNDARY}`;

export type StreamRequest = { ok: true; cameraId: string; maxFps: number | undefined } | { ok: false; status: 400 | 404; message: string };

/**
 * Reads `/camera/<cameraId>/stream?fps=N` (the path `CameraView.streamPath` gives). `fps` caps this view
 * (the fleet wall asks 1); without it the view gets the camera's full rate.
 */
export function parseStreamRequest(pathname: string, search: URLSearchParams): StreamRequest | null {
  const m = /^\/camera\/([^/]+)\/stream$/.exec(pathname);
  if (!pathname.startsWith('/camera/')) return null;
  if (!m) return { ok: false, status: 404, message: 'No such camera address. A camera streams at /camera/<id>/stream.' };
  let cameraId: string;
  try {
    cameraId = decodeURIComponent(m[1]!);
  } catch {
    return { ok: false, status: 404, message: 'No such camera.' };
  }
  if (!/^[A-Za-z0-9_~-]{1,120}$/.test(cameraId)) return { ok: false, status: 404, message: 'No such camera.' };
  const fpsText = search.get('fps');
  if (fpsText === null) return { ok: true, cameraId, maxFps: undefined };
  const fps = Number(fpsText);
  if (!Number.isFinite(fps) || fps < 0.1 || fps > FULL_RATE_FPS) return { ok: false, status: 400, message: `fps is a number from 0.1 to ${FULL_RATE_FPS}.` };
  return { ok: true, cameraId, maxFps: fps };
}

/** One JPEG as a part of the stream. */
export function framePart(jpeg: Buffer): Buffer[] {
  return [Buffer.from(`--${STREAM_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`), jpeg, Buffer.from('\r\n')];
}

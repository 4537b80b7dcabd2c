import { FULL_RATE_FPS } from './relay';

/** The boundary of the multipart stream both hosts serve a camera as (browsers draw each part in an <img>). */
export const STREAM_BOUNDARY = 'apfcameraframe';
export const STREAM_CONTENT_TYPE = `multipart/x-mixed-replace; boundary=${STREAM_BOUNDARY}`;

export type StreamRequest = { ok: true; mode: 'stream' | 'frame'; cameraId: string; maxFps: number | undefined } | { ok: false; status: 400 | 404; message: string };

/**
 * Reads `/camera/<cameraId>/stream?fps=N` (the path `CameraView.streamPath` gives) and `/camera/<cameraId>/frame`.
 * `fps` caps the view (for `frame`, the rate the page polls at); without it, full rate. `frame` answers the newest picture
 * once: a page showing many cameras polls it, because a browser keeps at most 6 HTTP/1.1 connections per host
 * and each open stream holds one for good (the 7th camera, and every other request, would wait).
 */
export function parseStreamRequest(pathname: string, search: URLSearchParams): StreamRequest | null {
  const m = /^\/camera\/([^/]+)\/(stream|frame)$/.exec(pathname);
  if (!pathname.startsWith('/camera/')) return null;
  if (!m) return { ok: false, status: 404, message: 'No such camera address. A camera streams at /camera/<id>/stream.' };
  const mode = m[2] as 'stream' | 'frame';
  let cameraId: string;
  try {
    cameraId = decodeURIComponent(m[1]!);
  } catch {
    return { ok: false, status: 404, message: 'No such camera.' };
  }
  if (!/^[A-Za-z0-9_~-]{1,120}$/.test(cameraId)) return { ok: false, status: 404, message: 'No such camera.' };
  const fpsText = search.get('fps');
  if (fpsText === null) return { ok: true, mode, cameraId, maxFps: undefined };
  const fps = Number(fpsText);
  if (!Number.isFinite(fps) || fps < 0.1 || fps > FULL_RATE_FPS) return { ok: false, status: 400, message: `fps is a number from 0.1 to ${FULL_RATE_FPS}.` };
  return { ok: true, mode, cameraId, maxFps: fps };
}

/** One JPEG as a part of the stream. */
export function framePart(jpeg: Buffer): Buffer[] {
  return [Buffer.from(`--${STREAM_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`), jpeg, Buffer.from('\r\n')];
}

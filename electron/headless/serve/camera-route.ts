import type { ServerResponse } from 'node:http';
import type { Watch } from '../../core/cameras/relay';
import { framePart, parseStreamRequest, STREAM_CONTENT_TYPE } from '../../core/cameras/stream-route';
import type { Core } from '../../core/core';
import { AppError } from '../../core/errors';
import { send } from './static-files';

const STREAM_HEADERS = {
  'Content-Type': STREAM_CONTENT_TYPE,
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const FRAME_HEADERS = { ...STREAM_HEADERS, 'Content-Type': 'image/jpeg' };

/**
 * GET /camera/<id>/frame: the newest picture once (a page of many cameras polls it).
 * GET /camera/<id>/stream: the camera's pictures from the relay as multipart/x-mixed-replace, for an <img>.
 * The caller (server.ts) has already checked the Host, the session cookie, the Origin and the role. Each frame
 * is written only once the previous one has gone out, so a slow browser gets fewer frames, never a backlog.
 * Returns false when the path is not a camera route.
 */
export function serveCameraStream(core: Core, res: ServerResponse, url: URL, track: (res: ServerResponse) => () => void): boolean {
  const parsed = parseStreamRequest(url.pathname, url.searchParams);
  if (!parsed) return false;
  if (!parsed.ok) {
    send(res, parsed.status, parsed.message);
    return true;
  }
  let watch: Watch | null = null;
  let closed = false;
  const untrack = track(res);
  res.on('close', () => {
    closed = true;
    untrack();
    watch?.close();
  });
  core
    .watchCamera(parsed.cameraId, {
      ...(parsed.maxFps !== undefined ? { maxFps: parsed.maxFps } : {}),
      send: (jpeg, done) => {
        if (closed) return done();
        if (parsed.mode === 'frame') {
          // One picture, then this viewer leaves (the upstream lingers for the next poll).
          res.writeHead(200, { ...FRAME_HEADERS, 'Content-Length': jpeg.length });
          res.end(jpeg);
          return done();
        }
        if (!res.headersSent) res.writeHead(200, STREAM_HEADERS);
        const [head, body, tail] = framePart(jpeg);
        res.write(head!);
        res.write(body!);
        res.write(tail!, () => done());
      },
      failed: (err) => fail(err),
    })
    .then(
      (w) => {
        if (closed) w.close();
        else watch = w;
      },
      (err: unknown) => fail(err),
    );

  function fail(err: unknown): void {
    if (closed) return;
    // Before the first frame the browser can still be told why (the UI reads the reason from cameras.list).
    if (!res.headersSent) {
      const known = err instanceof AppError;
      const status = known && err.code === 'not_found' ? 404 : known && err.code === 'unsupported' ? 501 : 502;
      send(res, status, known ? err.message : 'The camera could not be read.');
    } else res.end();
  }
  return true;
}

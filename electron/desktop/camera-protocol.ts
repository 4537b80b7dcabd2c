import type { Watch } from '../core/cameras/relay';
import { framePart, parseStreamRequest, STREAM_CONTENT_TYPE } from '../core/cameras/stream-route';
import type { Core } from '../core/core';
import { AppError } from '../core/errors';

/**
 * `app://renderer/camera/<id>/stream` in the desktop window: the same relay and multipart stream `apf serve`
 * gives a browser, as a streaming Response for the app:// protocol handler (the window is the desktop's own,
 * always admin, so there is no session to check). Null when the URL is not a camera route. The stream pulls:
 * the relay hands over the next frame only once the window has taken the previous one.
 */
export function cameraStreamResponse(core: Pick<Core, 'watchCamera'>, requestUrl: string): Promise<Response> | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  const parsed = parseStreamRequest(url.pathname, url.searchParams);
  if (!parsed) return null;
  if (!parsed.ok) return Promise.resolve(new Response(parsed.message, { status: parsed.status }));

  let watch: Watch | null = null;
  let cancelled = false;
  let waiting: (() => void) | null = null;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let first: ((r: Response) => void) | null = null;
  const body = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      pull: () => {
        const next = waiting;
        waiting = null;
        next?.();
      },
      cancel: () => {
        cancelled = true;
        watch?.close();
      },
    },
    { highWaterMark: 1 },
  );
  return new Promise<Response>((resolve) => {
    first = resolve;
    const respond = (r: Response) => {
      const f = first;
      first = null;
      f?.(r);
    };
    core
      .watchCamera(parsed.cameraId, {
        ...(parsed.maxFps !== undefined ? { maxFps: parsed.maxFps } : {}),
        send: (jpeg, done) => {
          if (cancelled) return done();
          if (parsed.mode === 'frame') {
            cancelled = true;
            respond(new Response(new Uint8Array(jpeg), { headers: { 'Content-Type': 'image/jpeg', 'Cache-Control': 'no-store' } }));
            void Promise.resolve().then(() => watch?.close());
            return done();
          }
          controller.enqueue(new Uint8Array(Buffer.concat(framePart(jpeg))));
          respond(new Response(body, { headers: { 'Content-Type': STREAM_CONTENT_TYPE, 'Cache-Control': 'no-store' } }));
          if ((controller.desiredSize ?? 0) > 0) done();
          else waiting = done;
        },
        failed: (err) => {
          if (first) return respond(errorResponse(err));
          if (!cancelled) controller.close();
        },
      })
      .then(
        (w) => {
          if (cancelled) w.close();
          else watch = w;
        },
        (err: unknown) => respond(errorResponse(err)),
      );
  });
}

function errorResponse(err: unknown): Response {
  const known = err instanceof AppError;
  const status = known && err.code === 'not_found' ? 404 : known && err.code === 'unsupported' ? 501 : 502;
  return new Response(known ? err.message : 'The camera could not be read.', { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

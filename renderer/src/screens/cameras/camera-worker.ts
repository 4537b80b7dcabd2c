/// <reference lib="webworker" />
/**
 * Draws polled camera pictures (the fleet cards' and the wall's, at 1 fps) into canvases handed over by the page
 * (OffscreenCanvas): the fetch, the JPEG decode and the drawing all happen here, so a wall of 48 cameras costs
 * the page's main thread nothing per picture. One worker serves every canvas of the page.
 */
export type CameraWorkerMessage =
  | { kind: 'start'; id: number; canvas: OffscreenCanvas; framePath: string; fps: number }
  | { kind: 'resize'; id: number; width: number; height: number }
  | { kind: 'stop'; id: number };

export type CameraWorkerReply = { kind: 'drawn'; id: number } | { kind: 'failed'; id: number; status: number | null };

interface Poll {
  canvas: OffscreenCanvas;
  ctx: OffscreenCanvasRenderingContext2D;
  framePath: string;
  fps: number;
  tick: number;
  timer: ReturnType<typeof setTimeout> | null;
  stopped: boolean;
}

const polls = new Map<number, Poll>();
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<CameraWorkerMessage>) => {
  const m = e.data;
  if (m.kind === 'start') {
    const ctx = m.canvas.getContext('2d');
    if (!ctx) return scope.postMessage({ kind: 'failed', id: m.id, status: null } satisfies CameraWorkerReply);
    const poll: Poll = { canvas: m.canvas, ctx, framePath: m.framePath, fps: m.fps, tick: 0, timer: null, stopped: false };
    polls.set(m.id, poll);
    void next(m.id, poll);
  } else if (m.kind === 'resize') {
    const poll = polls.get(m.id);
    // Setting a canvas's size clears it: only when it really changed.
    if (poll && m.width > 0 && m.height > 0 && (poll.canvas.width !== m.width || poll.canvas.height !== m.height)) {
      poll.canvas.width = m.width;
      poll.canvas.height = m.height;
    }
  } else {
    const poll = polls.get(m.id);
    if (!poll) return;
    poll.stopped = true;
    if (poll.timer) clearTimeout(poll.timer);
    polls.delete(m.id);
  }
};

/** One picture, then the next one interval later (a slow link slows it down rather than piling requests up). */
async function next(id: number, poll: Poll): Promise<void> {
  if (poll.stopped) return;
  try {
    const res = await fetch(`${poll.framePath}?fps=${poll.fps}&n=${++poll.tick}`, { credentials: 'same-origin', cache: 'no-store' });
    if (!res.ok) {
      poll.stopped = true;
      polls.delete(id);
      scope.postMessage({ kind: 'failed', id, status: res.status } satisfies CameraWorkerReply);
      return;
    }
    const bitmap = await createImageBitmap(await res.blob());
    if (!poll.stopped) {
      cover(poll, bitmap);
      scope.postMessage({ kind: 'drawn', id } satisfies CameraWorkerReply);
    }
    bitmap.close();
  } catch {
    // A network hiccup or a picture that does not decode: try again at the next tick, as an <img> poll would.
  }
  if (!poll.stopped) poll.timer = setTimeout(() => void next(id, poll), 1000 / poll.fps);
}

/** Draws the picture to fill the canvas, cropping what overflows (CSS object-fit: cover). */
function cover(poll: Poll, bitmap: ImageBitmap): void {
  const { width: cw, height: ch } = poll.canvas;
  const scale = Math.max(cw / bitmap.width, ch / bitmap.height);
  const w = bitmap.width * scale;
  const h = bitmap.height * scale;
  poll.ctx.drawImage(bitmap, (cw - w) / 2, (ch - h) / 2, w, h);
}

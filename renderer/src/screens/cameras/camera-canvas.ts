import type { CameraWorkerMessage, CameraWorkerReply } from './camera-worker';

/** Whether this browser can draw polled cameras off the main thread (every current Chromium, Electron, Firefox, Safari 17). */
export const canDrawOffThread =
  typeof OffscreenCanvas !== 'undefined' && typeof HTMLCanvasElement.prototype.transferControlToOffscreen === 'function' && typeof Worker !== 'undefined';

let worker: Worker | null = null;
let nextId = 1;
const listeners = new Map<number, (reply: CameraWorkerReply) => void>();

function theWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./camera-worker.ts', import.meta.url), { type: 'module', name: 'cameras' });
    worker.onmessage = (e: MessageEvent<CameraWorkerReply>) => listeners.get(e.data.id)?.(e.data);
  }
  return worker;
}

const send = (m: CameraWorkerMessage, transfer: Transferable[] = []) => theWorker().postMessage(m, transfer);

/**
 * Hands a canvas to the shared camera worker, which polls `framePath` at `fps` and draws each picture into it.
 * Returns the function that stops it. The canvas is sized to its box in device pixels, and follows it.
 */
export function drawCameraOffThread(canvas: HTMLCanvasElement, framePath: string, fps: number, on: (reply: CameraWorkerReply) => void): () => void {
  const id = nextId++;
  listeners.set(id, on);
  const size = () => ({ width: Math.round(canvas.clientWidth * devicePixelRatio), height: Math.round(canvas.clientHeight * devicePixelRatio) });
  const offscreen = canvas.transferControlToOffscreen();
  const first = size();
  if (first.width > 0 && first.height > 0) {
    offscreen.width = first.width;
    offscreen.height = first.height;
  }
  send({ kind: 'start', id, canvas: offscreen, framePath, fps }, [offscreen]);
  const resize = new ResizeObserver(() => send({ kind: 'resize', id, ...size() }));
  resize.observe(canvas);
  return () => {
    resize.disconnect();
    listeners.delete(id);
    send({ kind: 'stop', id });
  };
}

import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../../electron/core/cameras/relay';
import { AppError } from '../../../electron/core/errors';
import { cameraStreamResponse } from '../../../electron/desktop/camera-protocol';

/** A core whose one camera `cam_1` the test feeds by hand. */
function fakeCore() {
  const state = { viewer: null as Viewer | null, closed: 0, pendingDone: 0 };
  const core = {
    watchCamera: async (id: string, viewer: Viewer) => {
      if (id !== 'cam_1') throw new AppError('not_found', 'That camera no longer exists.');
      state.viewer = viewer;
      return { close: () => void state.closed++ };
    },
  };
  const frame = (n: number) => Buffer.from([0xff, 0xd8, 0xff, n, 0xff, 0xd9]);
  return { core, state, frame };
}

describe('camera stream in the desktop window (app:// protocol)', () => {
  it('leaves every other app:// address to the file handler', () => {
    expect(cameraStreamResponse(fakeCore().core, 'app://renderer/index.html')).toBeNull();
    expect(cameraStreamResponse(fakeCore().core, 'app://renderer/fleet')).toBeNull();
  });

  it('answers a camera route with a multipart JPEG stream from the relay', async () => {
    const { core, state, frame } = fakeCore();
    const pending = cameraStreamResponse(core, 'app://renderer/camera/cam_1/stream?fps=1')!;
    await new Promise((r) => setTimeout(r, 0));
    expect(state.viewer?.maxFps).toBe(1);
    state.viewer!.send(frame(1), () => undefined);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^multipart\/x-mixed-replace; boundary=/);
    const reader = res.body!.getReader();
    const first = Buffer.from((await reader.read()).value!);
    expect(first.toString('latin1')).toContain('Content-Type: image/jpeg\r\nContent-Length: 6\r\n\r\n');
    expect(first.includes(frame(1))).toBe(true);
    await reader.cancel();
    expect(state.closed).toBe(1);
  });

  it('holds the next frame until the window has read the previous one (no backlog)', async () => {
    const { core, state, frame } = fakeCore();
    const pending = cameraStreamResponse(core, 'app://renderer/camera/cam_1/stream')!;
    await new Promise((r) => setTimeout(r, 0));
    let done = 0;
    state.viewer!.send(frame(1), () => void done++);
    const res = await pending;
    // The one-frame buffer is full: the relay is not told to send more until the reader takes it.
    expect(done).toBe(0);
    const reader = res.body!.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 0));
    expect(done).toBe(1);
    await reader.cancel();
  });

  it('answers /frame with one JPEG and leaves the relay', async () => {
    const { core, state, frame } = fakeCore();
    const pending = cameraStreamResponse(core, 'app://renderer/camera/cam_1/frame?fps=1')!;
    await new Promise((r) => setTimeout(r, 0));
    state.viewer!.send(frame(4), () => undefined);
    const res = await pending;
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(frame(4));
    await new Promise((r) => setTimeout(r, 0));
    expect(state.closed).toBeGreaterThanOrEqual(1);
  });

  it('answers 404 with the reason for a camera that does not exist', async () => {
    const res = await cameraStreamResponse(fakeCore().core, 'app://renderer/camera/cam_2/stream')!;
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('no longer exists');
  });
});

import { describe, expect, it } from 'vitest';
import type { CameraSource, FrameSink } from '../../../electron/core/cameras/camera-source';
import { CameraRelay, LINGER_MS } from '../../../electron/core/cameras/relay';
import { AppError } from '../../../electron/core/errors';
import { ManualClock } from '../../support/manual-clock';

/** A camera the test drives by hand: it counts how often it was opened and what rate it was asked for. */
class FakeCamera implements CameraSource {
  sink: FrameSink | null = null;
  starts = 0;
  stops = 0;
  rate: number | null = null;
  start(sink: FrameSink) {
    this.starts++;
    this.sink = sink;
  }
  setRate(fps: number) {
    this.rate = fps;
  }
  stop() {
    this.stops++;
    this.sink = null;
  }
  get running() {
    return this.sink !== null;
  }
  emit(n: number) {
    this.sink?.frame(Buffer.from([0xff, 0xd8, 0xff, n]));
  }
}

const frameNo = (b: Buffer) => b[3]!;

function setup() {
  const clock = new ManualClock();
  const camera = new FakeCamera();
  let opened = 0;
  const relay = new CameraRelay({
    clock,
    open: (id) => {
      if (id !== 'cam') throw new AppError('not_found', 'no such camera');
      opened++;
      return camera;
    },
  });
  return { clock, camera, relay, opened: () => opened };
}

/** A viewer that takes every frame at once (a fast network). */
function fastViewer(maxFps?: number) {
  const got: number[] = [];
  const errors: string[] = [];
  return {
    got,
    errors,
    viewer: { ...(maxFps ? { maxFps } : {}), send: (b: Buffer, done: () => void) => (got.push(frameNo(b)), done()), failed: (e: AppError) => void errors.push(e.message) },
  };
}

/** A viewer whose frames go out only when the test says so (a slow network). */
function slowViewer() {
  const got: number[] = [];
  const waiting: (() => void)[] = [];
  return { got, flushOne: () => waiting.shift()?.(), viewer: { send: (b: Buffer, done: () => void) => (got.push(frameNo(b)), waiting.push(done)), failed: () => undefined } };
}

describe('camera relay', () => {
  it('fetches nothing while no one looks', () => {
    const { camera, opened } = setup();
    expect(opened()).toBe(0);
    expect(camera.starts).toBe(0);
  });

  it('opens one upstream for the first viewer and shares it with every later one', () => {
    const { camera, relay, clock, opened } = setup();
    const views = Array.from({ length: 5 }, () => fastViewer());
    for (const v of views) relay.watch('cam', v.viewer);
    expect(opened()).toBe(1);
    expect(camera.starts).toBe(1);
    clock.advance(100);
    camera.emit(1);
    for (const v of views) expect(v.got).toEqual([1]);
    expect(relay.active()).toEqual([{ cameraId: 'cam', viewers: 5 }]);
  });

  it('gives a new viewer the newest frame at once', () => {
    const { camera, relay } = setup();
    relay.watch('cam', fastViewer().viewer);
    camera.emit(7);
    const late = fastViewer();
    relay.watch('cam', late.viewer);
    expect(late.got).toEqual([7]);
  });

  it('drops frames for a slow viewer and sends it the newest when it is ready, never a queue', () => {
    const { camera, relay, clock } = setup();
    const slow = slowViewer();
    const fast = fastViewer();
    relay.watch('cam', slow.viewer);
    relay.watch('cam', fast.viewer);
    for (let n = 1; n <= 10; n++) {
      clock.advance(40);
      camera.emit(n);
    }
    expect(fast.got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Frame 1 is still going out: frames 2–9 were replaced by newer ones while it did.
    expect(slow.got).toEqual([1]);
    slow.flushOne();
    expect(slow.got).toEqual([1, 10]);
    slow.flushOne();
    expect(slow.got).toEqual([1, 10]);
  });

  it('caps each view at its own frame rate while another view gets every frame', () => {
    const { camera, relay, clock } = setup();
    const wall = fastViewer(1);
    const page = fastViewer();
    relay.watch('cam', wall.viewer);
    relay.watch('cam', page.viewer);
    // 10 fps for 3 s.
    for (let n = 1; n <= 30; n++) {
      clock.advance(100);
      camera.emit(n);
    }
    expect(page.got).toHaveLength(30);
    // One a second: frame 10 is the newest when the second since frame 1 is up (at 1.1 s), and so on.
    expect(wall.got).toEqual([1, 10, 20]);
  });

  it('sends a capped view the newest frame when its interval ends, not the one that was waiting', () => {
    const { camera, relay, clock } = setup();
    const wall = fastViewer(1);
    relay.watch('cam', wall.viewer);
    camera.emit(1);
    clock.advance(300);
    camera.emit(2);
    clock.advance(300);
    camera.emit(3);
    clock.advance(400);
    expect(wall.got).toEqual([1, 3]);
  });

  it('asks a polling camera for the rate of its fastest viewer', () => {
    const { camera, relay } = setup();
    const a = relay.watch('cam', fastViewer(1).viewer);
    expect(camera.rate).toBe(1);
    const b = relay.watch('cam', fastViewer(2).viewer);
    expect(camera.rate).toBe(2);
    b.close();
    expect(camera.rate).toBe(1);
    a.close();
  });

  it('stops the upstream shortly after the last viewer leaves', () => {
    const { camera, relay, clock } = setup();
    const a = relay.watch('cam', fastViewer().viewer);
    const b = relay.watch('cam', fastViewer().viewer);
    a.close();
    clock.advance(LINGER_MS * 2);
    expect(camera.running).toBe(true);
    b.close();
    clock.advance(LINGER_MS - 1);
    expect(camera.running).toBe(true);
    clock.advance(1);
    expect(camera.running).toBe(false);
    expect(relay.active()).toEqual([]);
  });

  it('keeps the upstream when a viewer comes back before it is stopped (a page reload)', () => {
    const { camera, relay, clock, opened } = setup();
    relay.watch('cam', fastViewer().viewer).close();
    clock.advance(LINGER_MS / 2);
    relay.watch('cam', fastViewer().viewer);
    clock.advance(LINGER_MS * 2);
    expect(camera.running).toBe(true);
    expect(opened()).toBe(1);
  });

  it('opens the camera again for a viewer after it was stopped', () => {
    const { camera, relay, clock } = setup();
    relay.watch('cam', fastViewer().viewer).close();
    clock.advance(LINGER_MS);
    relay.watch('cam', fastViewer().viewer);
    expect(camera.starts).toBe(2);
  });

  it('tells every viewer when the camera fails, keeps the reason, and opens it again for the next viewer', () => {
    const { camera, relay } = setup();
    const a = fastViewer();
    const b = fastViewer();
    relay.watch('cam', a.viewer);
    relay.watch('cam', b.viewer);
    camera.sink!.failed(new AppError('printer_offline', 'The camera went away.'));
    expect(a.errors).toEqual(['The camera went away.']);
    expect(b.errors).toEqual(['The camera went away.']);
    expect(relay.lastError('cam')).toBe('The camera went away.');
    expect(relay.active()).toEqual([]);
    relay.watch('cam', fastViewer().viewer);
    expect(camera.starts).toBe(2);
    expect(relay.lastError('cam')).toBeNull();
  });

  it('refuses a camera that does not exist without opening anything', () => {
    const { relay } = setup();
    expect(() => relay.watch('nope', fastViewer().viewer)).toThrow('no such camera');
    expect(relay.active()).toEqual([]);
  });
});

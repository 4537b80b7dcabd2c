import { AppError } from '../errors';
import type { Clock } from '../ports/clock';
import type { CameraSource } from './camera-source';

/** A view that does not cap its rate gets every frame the camera sends, up to this. */
export const FULL_RATE_FPS = 30;
/** The upstream stays open this long after its last viewer leaves (a page reload does not reconnect the camera). */
export const LINGER_MS = 5000;

export interface Viewer {
  /** At most this many frames per second (the fleet wall asks 1); absent: full rate. */
  maxFps?: number;
  /** Hands over one frame; the viewer calls `done` once it has gone out, and gets no other frame before that. */
  send(jpeg: Buffer, done: () => void): void;
  /** The camera failed; this viewer has been removed. */
  failed(err: AppError): void;
}

export interface Watch {
  close(): void;
}

interface ViewerState {
  viewer: Viewer;
  intervalMs: number;
  /** The newest frame not yet handed over: a newer one replaces it (dropped, never queued). */
  pending: Buffer | null;
  busy: boolean;
  lastSentAt: number;
  timer: { cancel(): void } | null;
}

interface Upstream {
  /** Set once the upstream is stopped or failed: a late frame from it is ignored. */
  closed: boolean;
  source: CameraSource;
  viewers: Set<ViewerState>;
  latest: Buffer | null;
  linger: { cancel(): void } | null;
}

/**
 * Fans one camera out to many viewers: one upstream connection per camera however many look, opened on the
 * first viewer and closed `lingerMs` after the last leaves. A viewer that cannot keep up misses frames (it
 * always gets the newest one next); nothing is ever queued for it. Each viewer has its own rate cap.
 */
export class CameraRelay {
  private readonly upstreams = new Map<string, Upstream>();
  private readonly errors = new Map<string, string>();

  constructor(
    private readonly opts: {
      /** Builds the source for a camera id; throws an AppError for one that does not exist. */
      open: (cameraId: string) => CameraSource;
      clock: Clock;
      lingerMs?: number;
    },
  ) {}

  watch(cameraId: string, viewer: Viewer): Watch {
    let up = this.upstreams.get(cameraId);
    if (!up) {
      const source = this.opts.open(cameraId);
      up = { closed: false, source, viewers: new Set(), latest: null, linger: null };
      this.upstreams.set(cameraId, up);
      const opened = up;
      source.start({
        frame: (jpeg) => this.onFrame(opened, jpeg),
        failed: (err) => this.onFailed(cameraId, opened, err),
      });
      this.errors.delete(cameraId);
    }
    up.linger?.cancel();
    up.linger = null;
    const state: ViewerState = {
      viewer,
      intervalMs: 1000 / Math.min(FULL_RATE_FPS, viewer.maxFps ?? FULL_RATE_FPS),
      pending: up.latest,
      busy: false,
      lastSentAt: -Infinity,
      timer: null,
    };
    up.viewers.add(state);
    this.updateRate(up);
    // The newest frame at once, so a new viewer does not wait for the camera's next one.
    this.deliver(state);
    const owner = up;
    return { close: () => this.leave(cameraId, owner, state) };
  }

  /** Cameras with an open upstream and how many look at each (diagnostics, tests). */
  active(): { cameraId: string; viewers: number }[] {
    return [...this.upstreams].map(([cameraId, up]) => ({ cameraId, viewers: up.viewers.size }));
  }

  /** Why the camera's last upstream ended, if it failed (cleared when it is opened again). */
  lastError(cameraId: string): string | null {
    return this.errors.get(cameraId) ?? null;
  }

  /** Ends every upstream now (the host is closing, or the camera was removed). */
  close(cameraId?: string): void {
    for (const [id, up] of [...this.upstreams]) {
      if (cameraId !== undefined && id !== cameraId) continue;
      this.upstreams.delete(id);
      up.closed = true;
      up.linger?.cancel();
      up.source.stop();
      for (const v of up.viewers) v.timer?.cancel();
      if (cameraId !== undefined) for (const v of up.viewers) v.viewer.failed(new AppError('not_found', 'This camera was removed.'));
    }
  }

  private onFrame(up: Upstream, jpeg: Buffer): void {
    if (up.closed) return;
    up.latest = jpeg;
    for (const v of up.viewers) {
      v.pending = jpeg;
      this.deliver(v);
    }
  }

  private onFailed(cameraId: string, up: Upstream, err: AppError): void {
    if (up.closed) return;
    up.closed = true;
    this.upstreams.delete(cameraId);
    up.linger?.cancel();
    this.errors.set(cameraId, err.message);
    for (const v of up.viewers) {
      v.timer?.cancel();
      v.viewer.failed(err);
    }
  }

  private deliver(v: ViewerState): void {
    if (v.busy || !v.pending || v.timer) return;
    const now = this.opts.clock.now();
    const wait = v.lastSentAt + v.intervalMs - now;
    if (wait > 0) {
      v.timer = this.opts.clock.setTimeout(() => {
        v.timer = null;
        this.deliver(v);
      }, wait);
      return;
    }
    const frame = v.pending;
    v.pending = null;
    v.busy = true;
    v.lastSentAt = now;
    let done = false;
    v.viewer.send(frame, () => {
      if (done) return;
      done = true;
      v.busy = false;
      this.deliver(v);
    });
  }

  private leave(cameraId: string, up: Upstream, state: ViewerState): void {
    if (!up.viewers.delete(state)) return;
    state.timer?.cancel();
    state.pending = null;
    if (up.closed) return;
    this.updateRate(up);
    if (up.viewers.size > 0) return;
    up.linger = this.opts.clock.setTimeout(() => {
      if (up.viewers.size > 0 || up.closed) return;
      up.closed = true;
      this.upstreams.delete(cameraId);
      up.source.stop();
    }, this.opts.lingerMs ?? LINGER_MS);
  }

  private updateRate(up: Upstream): void {
    if (!up.source.setRate || up.viewers.size === 0) return;
    up.source.setRate(Math.max(...[...up.viewers].map((v) => 1000 / v.intervalMs)));
  }
}

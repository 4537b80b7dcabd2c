import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Capability } from '../../core/contract';
import type { Dispatch } from '../../core/rpc/dispatch';
import { handleRpcMessage } from './json-rpc';
import { wsText } from '../../core/rpc/ws-text';

/**
 * What one client may hold on the host. A client that stops reading its replies is slowed down to its own pace
 * (we stop reading its socket, so TCP pushes back on it) and, if it still piles data up, disconnected; it never
 * makes the host buffer without bound.
 */
export const CLIENT_LIMITS = {
  /** The largest WebSocket message (frame) a client may send; past it ws closes the socket with 1009. */
  maxMessageBytes: 1 << 20,
  /** Requests being handled at once for one socket; past it the socket is not read until one finishes. */
  maxRequestsInFlight: 16,
  /**
   * The same, counted in bytes of request text: large messages cost memory, not count. An upload chunk's text is
   * larger than this, so it is handled alone: the next message stays unread (in the client's send buffer, not
   * ours) until its reply is out, and a client sending every chunk at once is paced by TCP instead of refused.
   */
  maxBytesInFlight: 64 << 10,
  /** Unread replies and events past this: stop reading the socket until the client catches up. */
  pauseReadingAboveBytes: 1 << 20,
  /** Read again once the unread data is down to this. */
  resumeReadingBelowBytes: 256 << 10,
  /** Unread data past this when another message is due: the client is not reading, so the socket is closed (1008). */
  maxUnreadBytes: 8 << 20,
  /** Status updates are dropped (the next one supersedes them) past this much unread data. */
  dropStatusAboveBytes: 1 << 20,
  /** A request the core has not answered by then gets a `timeout` error (the work may still finish). */
  requestDeadlineMs: 120_000,
  /** Pings this often; a socket that answered none since the previous ping is dropped. */
  heartbeatMs: 30_000,
} as const;

export type ClientLimits = { [K in keyof typeof CLIENT_LIMITS]: number };

export interface ClientStats {
  session: string;
  inFlight: number;
  /** False while the host has stopped reading the socket because the client is behind. */
  reading: boolean;
  /** Replies and events sent but not yet taken by the network. */
  unreadBytes: number;
}

/** WebSocket close codes the host uses, so a client can tell why it was cut off. */
export const CLOSE = { notReading: 1008, textOnly: 1003, sessionEnded: 4001 } as const;
/** How long a client cut off for not reading has to take the close frame before its socket is destroyed. */
const CUT_OFF_GRACE_MS = 5_000;

export interface RpcConnectionDeps {
  dispatch: Dispatch;
  capabilities: ReadonlySet<Capability>;
  /** The browser session this socket belongs to (its cookie), named to the core for the audit log. */
  actor?: { sessionId: string; label: string };
  /** Each message read (the host keeps the session's "last seen"). */
  onActivity?(): void;
  /** Called once when the socket is gone, with the session its calls ran under. */
  onEnd(session: string): void;
  logError(message: string, err: unknown): void;
  limits?: Partial<ClientLimits>;
}

/** One client socket: its session, its requests and the flow control between them and its unread replies. */
export class RpcConnection {
  readonly session = randomUUID();
  private readonly limits: ClientLimits;
  private inFlight = 0;
  private bytesInFlight = 0;
  private paused = false;
  private ended = false;
  private alive = true;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: RpcConnectionDeps,
  ) {
    this.limits = { ...CLIENT_LIMITS, ...deps.limits };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(CLOSE.textOnly, 'text frames only');
      this.deps.onActivity?.();
      this.handle(wsText(data));
    });
    ws.on('pong', () => (this.alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => this.end());
    this.heartbeat = setInterval(() => {
      if (!this.alive) return ws.terminate();
      this.alive = false;
      ws.ping();
    }, this.limits.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Where this client stands (tests, diagnostics). */
  stats(): ClientStats {
    return { session: this.session, inFlight: this.inFlight, reading: !this.paused, unreadBytes: this.ws.bufferedAmount };
  }

  /** Closes the socket at once with a code and reason the client shows (a revoked session). */
  closeWith(code: number, reason: string): void {
    this.ws.removeAllListeners('message');
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), CUT_OFF_GRACE_MS).unref();
    this.end();
  }

  /** Sends an event; a status update is skipped for a client that is behind, since the next one replaces it. */
  notify(text: string, supersedable: boolean): void {
    if (supersedable && this.ws.bufferedAmount > this.limits.dropStatusAboveBytes) return;
    this.send(text);
  }

  private handle(text: string): void {
    this.inFlight++;
    this.bytesInFlight += text.length;
    this.updateReading();
    withDeadline(handleRpcMessage(text, this.deps.dispatch, this.deps.capabilities, this.session, this.deps.actor), this.limits.requestDeadlineMs, text)
      .then((reply) => {
        if (reply !== null) this.send(reply);
      })
      .catch((err: unknown) => this.deps.logError('rpc message failed', err))
      .finally(() => {
        this.inFlight--;
        this.bytesInFlight -= text.length;
        this.updateReading();
      });
  }

  private send(text: string): void {
    if (this.ended || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.limits.maxUnreadBytes) return this.cutOff();
    // The callback runs once the data has reached the kernel: the moment to see whether the client caught up.
    this.ws.send(text, () => this.updateReading());
    this.updateReading();
  }

  /** Reads the socket only while the client keeps up: few requests in flight and little unread. */
  private updateReading(): void {
    if (this.ended || this.ws.readyState !== this.ws.OPEN) return;
    const buffered = this.ws.bufferedAmount;
    const busy = this.inFlight >= this.limits.maxRequestsInFlight || this.bytesInFlight >= this.limits.maxBytesInFlight;
    const behind = busy || buffered > this.limits.pauseReadingAboveBytes;
    const caughtUp = !busy && buffered <= this.limits.resumeReadingBelowBytes;
    if (!this.paused && behind) {
      this.paused = true;
      this.ws.pause();
    } else if (this.paused && caughtUp) {
      this.paused = false;
      this.ws.resume();
    }
  }

  /**
   * The client has not read what it was sent and more is due: it is closed with a code that says so. A client that
   * does not read will not read the close frame either, so the socket is destroyed shortly after.
   */
  private cutOff(): void {
    this.ended = true;
    // Read on, but only for the client's answer to the close frame: its requests are no longer handled.
    this.ws.removeAllListeners('message');
    this.ws.resume();
    this.ws.close(CLOSE.notReading, 'replies not read');
    setTimeout(() => this.ws.terminate(), CUT_OFF_GRACE_MS).unref();
    clearInterval(this.heartbeat);
    this.deps.onEnd(this.session);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    this.deps.onEnd(this.session);
  }
}

/** A request the core has not answered in time is answered with `timeout`, naming the method when it can. */
async function withDeadline(work: Promise<string | null>, ms: number, text: string): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string | null>((resolve) => {
    timer = setTimeout(() => resolve(timeoutReply(text, ms)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function timeoutReply(text: string, ms: number): string | null {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return null;
  }
  const one = (m: unknown) => {
    // A notification (no id) is never answered.
    if (typeof m !== 'object' || m === null || !('id' in m)) return null;
    const { id, method } = m as { id: unknown; method?: unknown };
    const what = typeof method === 'string' ? method.slice(0, 60) : 'The request';
    const why = `${what} did not finish within ${Math.round(ms / 1000)} s. It may still complete; check before trying again.`;
    return { jsonrpc: '2.0', id, error: { code: -32000, message: why, data: { code: 'timeout', message: why } } };
  };
  if (!Array.isArray(message)) {
    const reply = one(message);
    return reply ? JSON.stringify(reply) : null;
  }
  const replies = message.map(one).filter((r) => r !== null);
  return replies.length ? JSON.stringify(replies) : null;
}

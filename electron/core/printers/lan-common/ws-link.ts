import WebSocket from 'ws';
import { CredentialError } from '../../credentials/credential-error';
import { AppError } from '../../errors';
import type { Clock } from '../../ports/clock';
import { describeNetworkError } from './address';

export interface WsLinkOptions {
  url: string;
  label: string;
  headers?: Record<string, string>;
  clock: Clock;
  /** How often to ping; a link that misses one pong is declared dead, so silence shows within two of these. */
  heartbeatMs?: number;
  openTimeoutMs?: number;
  /** Above this many unsent bytes the link is dropped rather than buffering without bound. */
  maxBufferedBytes?: number;
  /** Wording for 401/403 at the upgrade. */
  credential?: string;
}

/**
 * A ping every 2 s: a silent printer shows offline within 4 s, for a few bytes a second. A printer on Wi-Fi
 * answers a ping in well under 2 s even while busy (Moonraker and OctoPrint answer from their own event loop).
 */
export const DEFAULT_HEARTBEAT_MS = 2000;

/**
 * One WebSocket to a printer with a heartbeat (a silent peer is noticed within two heartbeats), a bound on
 * the send buffer, and one `closed` promise carrying a readable reason.
 */
export class WsLink {
  readonly closed: Promise<string>;
  private resolveClosed!: (reason: string) => void;
  private heartbeat: { cancel(): void } | null = null;
  private awaitingPong = false;
  private ended = false;
  private listener: ((text: string) => void) | null = null;
  /** Messages that arrive before `onMessage` is called (a peer may speak in the same packet as the upgrade). */
  private early: string[] = [];

  private constructor(
    private readonly ws: WebSocket,
    private readonly opts: WsLinkOptions,
  ) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
    ws.on('close', (code, reason) => {
      const why = reason
        .toString()
        .trim()
        .replace(/[.\s]+$/, '');
      this.end(why ? `${opts.label} closed the connection (${why}).` : `${opts.label} closed the connection (code ${code}).`);
    });
    ws.on('error', (err) => this.end(describeNetworkError(err, opts.label)));
    ws.on('pong', () => (this.awaitingPong = false));
    ws.on('message', (data: WebSocket.RawData) => {
      if (this.ended) return;
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      if (this.listener) this.listener(text);
      else if (this.early.length < 100) this.early.push(text);
    });
    const every = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.heartbeat = opts.clock.setInterval(() => {
      if (this.awaitingPong) {
        this.end(`${opts.label} stopped answering.`);
        return;
      }
      this.awaitingPong = true;
      try {
        ws.ping();
      } catch {
        this.end(`${opts.label} stopped answering.`);
      }
    }, every);
  }

  static open(opts: WsLinkOptions): Promise<WsLink> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(opts.url, { headers: opts.headers, handshakeTimeout: opts.openTimeoutMs ?? 5000, rejectUnauthorized: false, perMessageDeflate: false });
      const fail = (err: AppError) => {
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(err);
      };
      ws.once('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        const what = opts.credential ?? 'API key';
        if (status === 401 || status === 403) fail(new CredentialError('refused', what, `${opts.label} refused the ${what} (HTTP ${status}). Enter the ${what} again.`));
        else fail(new AppError('printer_offline', `${opts.label} did not accept a live connection (HTTP ${status}). Is this the right kind of printer and port?`));
      });
      ws.once('error', (err) => fail(new AppError('printer_offline', describeNetworkError(err, opts.label))));
      ws.once('open', () => {
        ws.removeAllListeners('error');
        ws.removeAllListeners('unexpected-response');
        resolve(new WsLink(ws, opts));
      });
    });
  }

  onMessage(listener: (text: string) => void): void {
    this.listener = listener;
    const early = this.early;
    this.early = [];
    for (const text of early) listener(text);
  }

  send(text: string): void {
    if (this.ended) throw new AppError('printer_offline', `${this.opts.label} is not connected.`);
    if (this.ws.bufferedAmount > (this.opts.maxBufferedBytes ?? 1024 * 1024)) {
      this.end(`${this.opts.label} is not reading what is sent to it.`);
      throw new AppError('printer_offline', `${this.opts.label} is not reading what is sent to it; the connection was reset.`);
    }
    this.ws.send(text);
  }

  close(): void {
    this.end('Closed by the app.');
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.heartbeat?.cancel();
    this.ws.removeAllListeners('message');
    this.ws.on('error', () => undefined);
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    this.resolveClosed(reason);
  }
}

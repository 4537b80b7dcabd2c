import WebSocket from 'ws';
import { systemClock, type Clock } from '../ports/clock';
import { Emitter } from '../printers/marlin/emitter';
import { Backoff, type BackoffOptions } from '../printers/lan-common/backoff';
import { wsText } from '../rpc/ws-text';

/** Where the hub's one connection to the cloud stands. Only `refused` and `unlinked` need the user. */
export type HubLinkState =
  | { kind: 'stopped' }
  | { kind: 'connecting' }
  | { kind: 'connected'; hubName: string; organization: string | null; since: number }
  | { kind: 'offline'; reason: string; retryAt: number }
  /** The cloud turned the key down (revoked, downgraded, wrong): nothing is retried until the user fixes it. */
  | { kind: 'refused'; reason: string }
  /** The hub was removed in the cloud (close 4004): linking it again is the user's call. */
  | { kind: 'unlinked'; reason: string };

export type HubMessage = Record<string, unknown> & { type: string };

export interface HubLinkOptions {
  /** ws(s)://host/v1/ws/hub/<hubId> */
  url: string;
  hubId: string;
  /** The API key or OAuth token, read at each connect (a key entered again is used at once). */
  credential: () => Promise<string | null>;
  firmwareVersion: string;
  hardwareVersion: string;
  clock?: Clock;
  backoff?: BackoffOptions;
  /** WebSocket ping interval (cloud-hub.md: 25 s). */
  pingMs?: number;
  /** Silence after which the connection is taken for dead (the cloud's own limit is 60 s). */
  silenceMs?: number;
  /** How long to wait for hub_welcome after hub_hello. */
  welcomeTimeoutMs?: number;
}

/**
 * Close codes of the hub socket (cloud-hub.md, "The hub socket"); 4401 is ours: the key the socket was opened
 * with was deleted or expired while connected (docs/architecture.md, "The hub").
 */
const CLOSE = { helloTimeout: 4001, heartbeat: 4002, idMismatch: 4003, unknownHub: 4004, keyRevoked: 4401 } as const;

/**
 * The hub's one outbound WebSocket to the cloud: Bearer key on the upgrade, `hub_hello` / `hub_welcome`,
 * pings every 25 s and a silence limit, and reconnection with backoff (1 s doubling to 60 s, with jitter)
 * forever — a desktop must not give up as the hardware hub does after 20 tries. A refused key and an unlinked
 * hub stop it: retrying cannot fix either, and the user is told why.
 */
export class HubLink {
  readonly events = new Emitter<{ state: HubLinkState; message: HubMessage }>();
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private current: HubLinkState = { kind: 'stopped' };
  private socket: WebSocket | null = null;
  private wanted = false;
  private retry: { cancel(): void } | null = null;
  private heartbeat: { cancel(): void } | null = null;
  private welcomeTimer: { cancel(): void } | null = null;
  private lastHeard = 0;
  /** Why this socket ended, when we ended it (a silence, a missing welcome) rather than the cloud. */
  private endedBecause: string | null = null;
  /** What the current socket was opened with: a sign-in token that expired is replaced by a fresh one (4401). */
  private openedWith: string | null = null;

  constructor(private readonly opts: HubLinkOptions) {
    this.clock = opts.clock ?? systemClock;
    this.backoff = new Backoff({ initialMs: 1000, maxMs: 60_000, jitter: 0.2, ...opts.backoff });
  }

  state(): HubLinkState {
    return this.current;
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.backoff.reset();
    void this.open();
  }

  stop(): void {
    this.wanted = false;
    this.retry?.cancel();
    this.retry = null;
    this.drop('The app stopped the connection.');
    this.setState({ kind: 'stopped' });
  }

  /** Sends a message when connected; false otherwise (the caller keeps what must not be lost in its outbox). */
  send(message: HubMessage): boolean {
    if (this.current.kind !== 'connected' || !this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private async open(): Promise<void> {
    if (!this.wanted) return;
    this.setState({ kind: 'connecting' });
    let credential: string | null;
    try {
      credential = await this.opts.credential();
    } catch (err) {
      this.setState({ kind: 'refused', reason: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (!credential) {
      this.setState({ kind: 'refused', reason: 'No AutoPrintFarm key or sign-in is set up on this computer. Set one up to connect the hub.' });
      return;
    }
    if (!this.wanted) return;
    this.endedBecause = null;
    this.openedWith = credential;
    const socket = new WebSocket(this.opts.url, { headers: { Authorization: `Bearer ${credential}` }, handshakeTimeout: 15_000 });
    this.socket = socket;
    socket.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => this.onUpgradeRefused(socket, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => this.onUpgradeRefused(socket, res.statusCode ?? 0, ''));
    });
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data) => this.onMessage(socket, wsText(data)));
    socket.on('pong', () => (this.lastHeard = this.clock.now()));
    socket.on('error', () => undefined); // 'close' follows and says what happened
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString('utf8')));
  }

  private onOpen(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.lastHeard = this.clock.now();
    socket.send(JSON.stringify({ type: 'hub_hello', hub_id: this.opts.hubId, firmware_version: this.opts.firmwareVersion, hardware_version: this.opts.hardwareVersion }));
    this.welcomeTimer = this.clock.setTimeout(() => {
      this.endedBecause = 'The cloud did not welcome the hub in time.';
      socket.terminate();
    }, this.opts.welcomeTimeoutMs ?? 15_000);
    const pingMs = this.opts.pingMs ?? 25_000;
    const silenceMs = this.opts.silenceMs ?? 60_000;
    this.heartbeat = this.clock.setInterval(() => {
      if (this.clock.now() - this.lastHeard > silenceMs) {
        this.endedBecause = `The cloud stopped answering (nothing for ${Math.round(silenceMs / 1000)} s).`;
        socket.terminate();
        return;
      }
      if (socket.readyState === WebSocket.OPEN) socket.ping();
    }, pingMs);
  }

  private onMessage(socket: WebSocket, text: string): void {
    if (socket !== this.socket) return;
    this.lastHeard = this.clock.now();
    let message: HubMessage;
    try {
      message = JSON.parse(text) as HubMessage;
    } catch {
      return;
    }
    if (!message || typeof message.type !== 'string') return;
    if (message.type === 'hub_welcome') {
      this.welcomeTimer?.cancel();
      this.welcomeTimer = null;
      this.backoff.reset();
      this.setState({
        kind: 'connected',
        hubName: typeof message.hub_name === 'string' ? message.hub_name : '',
        organization: typeof message.organization === 'string' ? message.organization : null,
        since: this.clock.now(),
      });
    }
    this.events.emit('message', message);
  }

  private onUpgradeRefused(socket: WebSocket, status: number, body: string): void {
    if (socket !== this.socket) return;
    this.socket = null;
    socket.terminate();
    const said = errorMessage(body);
    if (status === 401 || status === 403) {
      this.setState({
        kind: 'refused',
        reason: `The cloud refused the hub's key (HTTP ${status}${said ? `: ${said}` : ''}). Enter a key with printers:write and jobs:write, or sign in again.`,
      });
      return;
    }
    this.scheduleRetry(`The cloud answered HTTP ${status}${said ? `: ${said}` : ''} instead of opening the hub socket.`);
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.stopTimers();
    const said = reason ? ` (${reason})` : '';
    if (code === CLOSE.unknownHub) {
      this.setState({ kind: 'unlinked', reason: `The cloud does not know this hub any more${said}: it was unlinked. Link it again from the Cloud screen.` });
      return;
    }
    if (code === CLOSE.keyRevoked) {
      void this.afterCredentialEnded();
      return;
    }
    if (code === CLOSE.idMismatch) {
      this.setState({ kind: 'refused', reason: `The cloud refused the hub's id${said}.` });
      return;
    }
    const why =
      this.endedBecause ??
      (code === CLOSE.heartbeat ? `The cloud marked the hub offline${said}.` : `The connection to the cloud closed${code ? ` (code ${code}${reason ? `: ${reason}` : ''})` : ''}.`);
    this.scheduleRetry(why);
  }

  /**
   * The credential the socket was opened with was revoked or expired (4401). A sign-in's access token expires
   * every hour and the app holds a fresh one: reconnect with it at once (prints go on; the outbox holds their
   * events meanwhile). The same credential again (a deleted key) cannot work: stop and say why; a new key
   * (keyChanged) starts the hub again.
   */
  private async afterCredentialEnded(): Promise<void> {
    const spent = this.openedWith;
    let next: string | null = null;
    try {
      next = await this.opts.credential();
    } catch {
      next = null;
    }
    if (!this.wanted) return;
    if (next && next !== spent) {
      void this.open();
      return;
    }
    this.setState({
      kind: 'refused',
      reason:
        "The cloud ended the hub's connection: the key it used was revoked or has expired. The hub does nothing for the cloud until it has a working key: enter one with printers:write and jobs:write on the Keys screen, or sign in again, and it reconnects by itself.",
    });
  }

  private scheduleRetry(reason: string): void {
    if (!this.wanted) return;
    const delay = this.backoff.next();
    this.setState({ kind: 'offline', reason, retryAt: this.clock.now() + delay });
    this.retry = this.clock.setTimeout(() => {
      this.retry = null;
      void this.open();
    }, delay);
  }

  private drop(reason: string): void {
    this.stopTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      this.endedBecause = reason;
      socket.terminate();
    }
  }

  private stopTimers(): void {
    this.heartbeat?.cancel();
    this.heartbeat = null;
    this.welcomeTimer?.cancel();
    this.welcomeTimer = null;
  }

  private setState(state: HubLinkState): void {
    this.current = state;
    this.events.emit('state', state);
  }
}

/** The cloud's error envelope (`{ "error": { "message" } }`), or the start of a plain body. */
function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 160);
}

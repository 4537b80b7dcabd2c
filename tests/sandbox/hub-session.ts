/**
 * One hub socket from upgrade to close: the hello deadline, the silence limit, hub_welcome and the offers a
 * newly connected hub is owed, then each message handed to its handler. Time limits are injected so tests
 * need not wait the real 10 s and 60 s.
 */
import type { RawData, WebSocket } from 'ws';
import type { HubConnections, HubLink } from './hub-connections';
import { applyHubMessage, type HubMessageDeps } from './hub-messages';
import { CLOSE_CODES, hubHello, type CloudMessage } from './hub-protocol';
import type { HubRepo } from './hubs';
import type { JobControl } from './job-control';
import type { KeyStore, VerifiedKey } from './keys';
import type { OAuthStore } from './oauth-store';
import type { PrinterRepo } from './printers';

export interface HubTimings {
  /** A hub must send hub_hello this soon after the upgrade (real: 10 s), else close 4001. */
  helloTimeoutMs: number;
  /** A hub silent this long is offline (real: 60 s), close 4002. Any frame counts: a message or a ping. */
  silenceLimitMs: number;
  /** A job_offer is valid this long; unclaimed jobs are offered again when it runs out. */
  offerTtlMs: number;
}

export const REAL_HUB_TIMINGS: HubTimings = { helloTimeoutMs: 10_000, silenceLimitMs: 60_000, offerTtlMs: 5 * 60_000 };

export interface HubSessionDeps extends Omit<HubMessageDeps, 'hubId' | 'send'> {
  keys: KeyStore;
  /** For a socket opened with an OAuth access token: whether that token is still live. */
  tokens?: OAuthStore;
  hubs: HubRepo;
  printers: PrinterRepo;
  jobControl: JobControl;
  connections: HubConnections;
  caller: VerifiedKey;
  /** The sandbox's organization, for keys minted without one. */
  organization: string;
  timings: HubTimings;
  now: () => number;
  log: (line: string) => void;
  /** True once the sandbox is stopping: sockets then close without touching the database. */
  stopping: () => boolean;
}

/** A frame's payload as text, whichever of its three shapes `ws` hands over. */
export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/** Socket close frames allow 123 bytes of reason. */
const reasonText = (s: string) => Buffer.from(s).subarray(0, 123).toString();

/** A closing handshake a dead peer never answers must not keep the socket: it is cut after this. */
const CLOSE_GRACE_MS = 2_000;

export class HubSession implements HubLink {
  private greeted = false;
  private closed = false;
  private helloTimer: NodeJS.Timeout | null = null;
  private silenceTimer: NodeJS.Timeout | null = null;
  private readonly unknownTypesLogged = new Set<string>();
  private readonly organization: string;

  constructor(
    private readonly ws: WebSocket,
    private readonly hubId: string,
    private readonly d: HubSessionDeps,
  ) {
    this.organization = d.caller.organization ?? d.organization;
  }

  start(): void {
    this.ws.on('message', (data, isBinary) => this.onFrame(() => this.onMessage(frameText(data), isBinary)));
    this.ws.on('ping', () => this.onFrame(() => {}));
    this.ws.on('pong', () => this.onFrame(() => {}));
    this.ws.on('close', () => this.onClosed());
    this.ws.on('error', () => {}); // a broken peer ends in 'close'; nothing to add

    if (!this.d.hubs.getOwned(this.hubId, this.organization)) {
      return this.close(CLOSE_CODES.unknownHub, 'unknown hub: register it with POST /v1/hubs/register');
    }
    const { helloTimeoutMs, silenceLimitMs } = this.d.timings;
    this.helloTimer = setTimeout(() => this.close(CLOSE_CODES.helloTimeout, `no hub_hello within ${helloTimeoutMs} ms`), helloTimeoutMs);
    this.silenceTimer = setTimeout(() => this.close(CLOSE_CODES.silent, `nothing heard for ${silenceLimitMs} ms`), silenceLimitMs);
  }

  send(message: CloudMessage): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  /** Closes with a code; the hub counts as gone at once, whether or not it answers the close. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.leave();
    this.ws.close(code, reasonText(reason));
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  terminate(): void {
    this.closed = true;
    this.clearTimers();
    this.ws.terminate();
  }

  /** The key this socket was opened with is gone: the hub is told at once, not at its next frame. */
  closeIfKey(keyId: string): void {
    if (this.closed || (this.d.caller.id !== keyId && this.d.caller.oauth?.tokenId !== keyId)) return;
    this.revoked();
  }

  private revoked(): void {
    if (this.d.caller.oauth) {
      this.send({ type: 'error', code: 'invalid_token', message: 'The access token this hub connected with was revoked or has expired.' });
      return this.close(CLOSE_CODES.keyRevoked, 'the access token was revoked or has expired');
    }
    this.send({ type: 'error', code: 'invalid_api_key', message: 'The API key this hub connected with was deleted or has expired.' });
    this.close(CLOSE_CODES.keyRevoked, 'the API key was deleted or has expired');
  }

  /** Every frame from the hub proves it is alive, and is a moment to check its key still is (an expired roll). */
  private onFrame(handle: () => void): void {
    if (this.closed) return;
    this.silenceTimer?.refresh();
    if (!this.keyStillValid()) return this.revoked();
    if (this.greeted) this.d.hubs.touch(this.hubId);
    handle();
  }

  private keyStillValid(): boolean {
    const token = this.d.caller.oauth;
    if (token) return this.d.tokens?.isLive(token.tokenId) ?? false;
    const key = this.d.keys.get(this.d.caller.id);
    return key !== null && (key.expiresAt === null || this.d.now() < key.expiresAt);
  }

  private onMessage(text: string, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof (message as { type?: unknown }).type !== 'string') {
      return this.send({ type: 'error', code: 'invalid_message', message: 'Send JSON text frames shaped {"type": …, …}.' });
    }
    const type = (message as { type: string }).type;
    if (type === 'hub_hello') return this.onHello(message);
    if (!this.greeted) return this.send({ type: 'error', code: 'hello_first', message: `Send hub_hello before ${type}.` });

    const outcome = applyHubMessage({ ...this.d, hubId: this.hubId, send: (m) => this.send(m) }, type, message);
    if (outcome === 'unknown_type' && !this.unknownTypesLogged.has(type)) {
      this.unknownTypesLogged.add(type);
      this.d.log(`sandbox: hub ${this.hubId} sent a message of unknown type ${JSON.stringify(type).slice(0, 60)}; ignored (logged once)`);
    }
  }

  private onHello(raw: unknown): void {
    if (this.greeted) return this.send({ type: 'error', code: 'invalid_message', message: 'hub_hello was already received on this socket.' });
    const parsed = hubHello.safeParse(raw);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.') || 'body').join(', ');
      return this.send({ type: 'error', code: 'invalid_message', message: `hub_hello has invalid fields: ${fields}.` });
    }
    const hello = parsed.data;
    if (hello.hub_id !== this.hubId) {
      return this.close(CLOSE_CODES.hubIdMismatch, `hub_hello names hub ${hello.hub_id.slice(0, 40)}, this socket is for ${this.hubId}`);
    }
    const hub = this.d.hubs.getOwned(this.hubId, this.organization);
    if (!hub) return this.close(CLOSE_CODES.unknownHub, 'unknown hub: it was unlinked');

    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.greeted = true;
    this.d.connections.attach(this.hubId, this)?.close(CLOSE_CODES.superseded, 'a newer socket for this hub took over');
    this.d.hubs.markOnline(this.hubId, {
      firmwareVersion: hello.firmware_version,
      hardwareVersion: hello.hardware_version ?? null,
      macAddress: hello.mac_address ?? null,
    });
    this.send({
      type: 'hub_welcome',
      hub_id: hub.id,
      hub_name: hub.name,
      organization: hub.organization,
      server_time: new Date(this.d.now()).toISOString(),
    });
    for (const command of this.d.jobControl.unackedPrintsFor(this.hubId)) this.send(command);
    for (const offer of this.d.jobControl.offersForNewHub()) this.send(offer);
  }

  /** The hub is no longer connected: detached and, if it was the hub's current socket, marked offline. */
  private leave(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    if (this.greeted && this.d.connections.detach(this.hubId, this) && !this.d.stopping()) {
      this.d.hubs.markOffline(this.hubId);
      this.d.printers.markHubPrintersOffline(this.hubId);
    }
  }

  private onClosed(): void {
    this.leave();
  }

  private clearTimers(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
  }
}

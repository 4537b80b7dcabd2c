/**
 * A bare hub for tests: opens `GET /v1/ws/hub/:hubId` on a sandbox (or any cloud speaking
 * ../../../shared/spec/cloud-hub.md), sends what a test tells it to and keeps every message it receives,
 * so a test can wait for one by type and content. It does nothing on its own (no acks, no pings, no
 * reconnects): a test that wants those says so, which is what lets it probe the cloud's side of each rule.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

/** Any message the cloud sends: `{ type, … }`. Loosely typed on purpose: tests read whatever fields it has. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CloudMessage = { type: string } & Record<string, any>;

/** A frame's payload as text, whichever of its three shapes `ws` hands over. */
function frameText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/** The upgrade was answered with an HTTP error instead of 101 (bad key, missing scope, unknown path…). */
export class HubSocketRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string | string[] | undefined>,
  ) {
    super(`The hub socket was refused with HTTP ${status}: ${body}`);
    this.name = 'HubSocketRefused';
  }
}

export interface HubTestClientOptions {
  /** The API base, e.g. the sandbox's `http://127.0.0.1:<port>/v1`. */
  apiUrl: string;
  hubId: string;
  /** Sent as `Authorization: Bearer <key>`; null sends no Authorization header. */
  key: string | null;
  /** How long `next` waits before failing, default 5 s. */
  timeoutMs?: number;
}

export interface Closed {
  code: number;
  reason: string;
}

interface Waiter {
  match: (m: CloudMessage) => boolean;
  resolve: (m: CloudMessage) => void;
}

export class HubTestClient {
  /** Every message received, in order. */
  readonly received: CloudMessage[] = [];
  /** Resolves when the socket closes, with the cloud's close code and reason. */
  readonly closed: Promise<Closed>;
  private readonly taken = new Set<number>();
  private waiters: Waiter[] = [];

  private constructor(
    private readonly ws: WebSocket,
    readonly hubId: string,
    private readonly timeoutMs: number,
  ) {
    ws.on('message', (data) => this.onMessage(frameText(data)));
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens the socket; rejects with HubSocketRefused when the cloud answers the upgrade with an HTTP error. */
  static open(opts: HubTestClientOptions): Promise<HubTestClient> {
    const url = `${opts.apiUrl.replace(/^http/, 'ws')}/ws/hub/${encodeURIComponent(opts.hubId)}`;
    const ws = new WebSocket(url, { headers: opts.key === null ? {} : { Authorization: `Bearer ${opts.key}` } });
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => reject(new HubSocketRefused(res.statusCode ?? 0, body, res.headers)));
        res.on('error', reject);
      });
      ws.once('error', reject);
      // Listeners go on before 'open' resolves, so no message sent right after the upgrade is missed.
      const client = new HubTestClient(ws, opts.hubId, opts.timeoutMs ?? 5_000);
      ws.once('open', () => {
        ws.off('error', reject);
        ws.on('error', () => {}); // a reset ends in 'close', which `closed` reports
        resolve(client);
      });
    });
  }

  /** Opens the socket and says hub_hello; resolves with the client once hub_welcome arrived. */
  static async connect(opts: HubTestClientOptions & { hello?: Partial<{ firmware_version: string; hardware_version: string; mac_address: string }> }): Promise<HubTestClient> {
    const client = await HubTestClient.open(opts);
    client.hello(opts.hello);
    await client.next('hub_welcome');
    return client;
  }

  send(message: { type: string } & Record<string, unknown>): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Sends text as it is (malformed frames). */
  sendRaw(text: string): void {
    this.ws.send(text);
  }

  hello(fields: Partial<{ hub_id: string; firmware_version: string; hardware_version: string; mac_address: string }> = {}): void {
    this.send({ type: 'hub_hello', hub_id: this.hubId, firmware_version: '0.1.0-test', hardware_version: 'desktop-linux', ...fields });
  }

  /** A WebSocket ping frame: what a hub's heartbeat is. */
  ping(): void {
    this.ws.ping();
  }

  ack(commandId: string, success = true, error?: string): void {
    this.send({ type: 'command_ack', command_id: commandId, success, ...(error === undefined ? {} : { error }) });
  }

  /** Sends a job_event with a fresh event_id (or the given one, to send a repeat) and returns it. */
  jobEvent(fields: { job_id: string; printer_id: string; status: string; event_id?: string; at?: string } & Record<string, unknown>): string {
    const eventId = fields.event_id ?? randomUUID();
    this.send({ type: 'job_event', at: new Date().toISOString(), ...fields, event_id: eventId });
    return eventId;
  }

  /**
   * The first message of `type` (and matching `match`) not returned before, waiting for it if need be.
   * Messages are consumed in order, so two calls for the same type get two different messages.
   */
  next(type: string, match: (m: CloudMessage) => boolean = () => true, timeoutMs = this.timeoutMs): Promise<CloudMessage> {
    const fits = (m: CloudMessage) => m.type === type && match(m);
    const index = this.received.findIndex((m, i) => !this.taken.has(i) && fits(m));
    if (index >= 0) {
      this.taken.add(index);
      return Promise.resolve(this.received[index]!);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { match: fits, resolve: (m) => (clearTimeout(timer), resolve(m)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.received.map((m) => m.type).join(', ') || 'nothing';
        reject(new Error(`hub ${this.hubId}: no ${type} within ${timeoutMs} ms (received: ${seen})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Every message of `type` received so far (consumed or not). */
  all(type: string): CloudMessage[] {
    return this.received.filter((m) => m.type === type);
  }

  close(code = 1000): Promise<Closed> {
    this.ws.close(code);
    return this.closed;
  }

  /** Drops the connection without a close frame, as a crashed hub or a cut cable would. */
  terminate(): void {
    this.ws.terminate();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as CloudMessage;
    const index = this.received.push(message) - 1;
    const waiter = this.waiters.find((w) => w.match(message));
    if (!waiter) return;
    this.waiters = this.waiters.filter((w) => w !== waiter);
    this.taken.add(index);
    waiter.resolve(message);
  }
}

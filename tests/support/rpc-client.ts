import WebSocket from 'ws';
import { wsText } from '../../electron/core/rpc/ws-text';

type Reply = { result?: unknown; error?: { code: number; message: string; data?: { code: string; message: string } } };

/**
 * A minimal JSON-RPC client for host tests: requests by id, notifications collected. A request never hangs:
 * it ends with an error reply when the connection closes (a host killed mid-request) or after a timeout.
 */
export class RpcClient {
  readonly notifications: { method: string; params: unknown }[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number | string, (msg: unknown) => void>();
  private readonly raw: ((msg: unknown) => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(wsText(data)) as { id?: number; method?: string; params?: unknown };
      if (typeof msg.method === 'string') this.notifications.push({ method: msg.method, params: msg.params });
      else if (msg.id !== undefined && this.waiting.has(msg.id)) {
        this.waiting.get(msg.id)!(msg);
        this.waiting.delete(msg.id);
      } else this.raw.shift()?.(msg);
    });
    ws.on('close', () => this.failAll('the connection closed'));
  }

  private failAll(why: string): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const done of waiting) done({ error: { code: -32000, message: why } });
  }

  static open(url: string, headers?: Record<string, string>): Promise<RpcClient> {
    return new Promise((resolve, reject) => {
      // Test hosts over TLS use a self-signed certificate (the LAN tests check its fingerprint themselves).
      const ws = new WebSocket(url, { headers, ...(url.startsWith('wss:') ? { rejectUnauthorized: false } : {}) });
      ws.once('open', () => resolve(new RpcClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  request(method: string, params?: unknown, timeoutMs = 30_000): Promise<Reply> {
    const id = this.nextId++;
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve({ error: { code: -32000, message: 'the connection is not open' } });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ error: { code: -32000, message: `${method}: no reply within ${timeoutMs} ms` } });
      }, timeoutMs);
      this.waiting.set(id, (msg) => {
        clearTimeout(timer);
        resolve(msg as Reply);
      });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Sends raw text and resolves with the next reply that matched no pending id. */
  sendRaw(text: string): Promise<unknown> {
    return new Promise((resolve) => {
      this.raw.push(resolve);
      this.ws.send(text);
    });
  }

  async waitFor(predicate: (n: { method: string; params: unknown }) => boolean, timeoutMs = 5000): Promise<{ method: string; params: unknown }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.notifications.find(predicate);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error('timed out waiting for a notification');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.ws.close();
  }
}

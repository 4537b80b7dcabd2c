import { AppError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { WsLink } from './ws-link';

interface Pending {
  resolve(value: unknown): void;
  reject(err: AppError): void;
  timer: { cancel(): void };
}

/** At most this many calls wait for an answer at once; more means the printer has stopped answering. */
const MAX_PENDING = 64;

/** JSON-RPC 2.0 over a WsLink: numbered calls with deadlines, and notifications to one listener. */
export class JsonRpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly link: WsLink,
    private readonly opts: { clock: Clock; label: string; timeoutMs?: number; onNotification: (method: string, params: unknown) => void },
  ) {
    link.onMessage((text) => this.onMessage(text));
    void link.closed.then((reason) => {
      for (const [, p] of this.pending) {
        p.timer.cancel();
        p.reject(new AppError('printer_offline', reason));
      }
      this.pending.clear();
    });
  }

  call<T = unknown>(method: string, params?: unknown, timeoutMs?: number): Promise<T> {
    if (this.pending.size >= MAX_PENDING) return Promise.reject(new AppError('timeout', `${this.opts.label} has ${MAX_PENDING} unanswered requests; try again in a moment.`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = this.opts.clock.setTimeout(
        () => {
          this.pending.delete(id);
          reject(new AppError('timeout', `${this.opts.label} did not answer ${method} in time.`));
        },
        timeoutMs ?? this.opts.timeoutMs ?? 10_000,
      );
      this.pending.set(id, { resolve: resolve, reject, timer });
      try {
        this.link.send(JSON.stringify({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }), id }));
      } catch (err) {
        timer.cancel();
        this.pending.delete(id);
        reject(err instanceof Error ? err : new AppError('printer_offline', String(err)));
      }
    });
  }

  private onMessage(text: string): void {
    let msg: { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: { code?: number; message?: string } };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.method === 'string' && msg.id === undefined) {
      this.opts.onNotification(msg.method, msg.params);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p.timer.cancel();
    if (msg.error) p.reject(new AppError('printer_error', `${this.opts.label}: ${msg.error.message ?? 'request failed'}`, { rpcCode: msg.error.code }));
    else p.resolve(msg.result);
  }
}

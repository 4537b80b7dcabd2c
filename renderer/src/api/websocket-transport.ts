import { isEventName, type EventName } from '../../../electron/core/contract/catalog';
import { ApiError, type ConnectionState, type Transport } from './client';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export interface WebSocketTransportOptions {
  url: string;
  /** Injected for tests. */
  createSocket?: (url: string) => WebSocket;
  backoffMs?: (attempt: number) => number;
}

/** The close code `apf serve` uses when it ends a browser's session (see rpc-connection.ts CLOSE.sessionEnded). */
const SESSION_ENDED = 4001;

const defaultBackoff = (attempt: number) => Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));

/**
 * JSON-RPC 2.0 over a WebSocket to `apf serve`. Reconnects by itself with backoff; calls made while the
 * link is down fail at once with a clear message instead of hanging.
 */
export function createWebSocketTransport(opts: WebSocketTransportOptions): Transport {
  const createSocket = opts.createSocket ?? ((url) => new WebSocket(url));
  const backoff = opts.backoffMs ?? defaultBackoff;
  const pending = new Map<number, Pending>();
  const eventListeners = new Set<(name: EventName, payload: unknown) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = { kind: 'connecting', attempt: 0 };
  let socket: WebSocket | null = null;
  let nextId = 1;
  let failures = 0;

  const setState = (next: ConnectionState) => {
    state = next;
    for (const l of connectionListeners) l(next);
  };

  const connect = () => {
    setState({ kind: 'connecting', attempt: failures });
    const ws = createSocket(opts.url);
    socket = ws;
    ws.onopen = () => {
      failures = 0;
      setState({ kind: 'open' });
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data === 'string') receive(ev.data);
    };
    ws.onclose = (ev: CloseEvent) => {
      socket = null;
      for (const [, p] of pending) p.reject(new ApiError({ code: 'disconnected', message: 'The connection to the farm host was lost before it answered.' }));
      pending.clear();
      // The host ended this browser's session (an admin revoked it): reconnecting cannot help.
      if (ev.code === SESSION_ENDED) {
        setState({ kind: 'closed', reason: ev.reason || "This session has ended. Pair this device again from the admin's screen.", retryInMs: null });
        return;
      }
      failures += 1;
      const retryInMs = backoff(failures);
      setState({
        kind: 'closed',
        reason:
          failures > 2
            ? 'Cannot reach the farm host. Is `apf serve` still running? If this device was signed out, reload the page to see how to pair it again.'
            : 'Reconnecting to the farm host…',
        retryInMs,
      });
      setTimeout(connect, retryInMs);
    };
  };

  const receive = (text: string) => {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    for (const m of Array.isArray(msg) ? msg : [msg]) {
      if (typeof m !== 'object' || m === null) continue;
      const o = m as {
        id?: unknown;
        method?: unknown;
        params?: unknown;
        result?: unknown;
        error?: { message?: string; data?: { code?: string; message?: string; details?: unknown } };
      };
      if (typeof o.method === 'string') {
        if (isEventName(o.method)) for (const l of eventListeners) l(o.method, o.params);
        continue;
      }
      if (typeof o.id !== 'number') continue;
      const p = pending.get(o.id);
      if (!p) continue;
      pending.delete(o.id);
      if (o.error) {
        const data = o.error.data;
        p.reject(new ApiError({ code: (data?.code as never) ?? 'internal', message: data?.message ?? o.error.message ?? 'The call failed.', details: data?.details }));
      } else p.resolve(o.result);
    }
  };

  connect();

  return {
    call(method, input) {
      if (!socket || state.kind !== 'open') {
        return Promise.reject(new ApiError({ code: 'disconnected', message: 'Not connected to the farm host right now; it will reconnect by itself.' }));
      }
      const id = nextId++;
      const ws = socket;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params: input }));
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => void connectionListeners.delete(listener);
    },
    connection: () => state,
  };
}

import type { ErrorBody } from '../../../electron/core/errors';
import type { EventName, EventPayloads, MethodInput, MethodName, MethodResult } from '../../../electron/core/contract';

/** A failed call, with the core's stable code so screens can react to it (offline, invalid input, …). */
export class ApiError extends Error {
  readonly code: ErrorBody['code'] | 'disconnected';
  readonly details: unknown;
  constructor(body: { code: ErrorBody['code'] | 'disconnected'; message: string; details?: unknown }) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.details = body.details;
  }
}

export type ConnectionState = { kind: 'connecting'; attempt: number } | { kind: 'open' } | { kind: 'closed'; reason: string; retryInMs: number | null };

/** How calls and events travel: the Electron preload or a WebSocket to `apf serve`. */
export interface Transport {
  call(method: MethodName, input: unknown): Promise<unknown>;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  connection(): ConnectionState;
}

/** The typed client every screen uses. */
export interface Api {
  call<M extends MethodName>(method: M, ...input: undefined extends MethodInput<M> ? [MethodInput<M>?] : [MethodInput<M>]): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  connection(): ConnectionState;
}

export function createApi(transport: Transport): Api {
  return {
    call: (method, ...input) => transport.call(method, input[0]) as never,
    on(event, listener) {
      return transport.onEvent((name, payload) => {
        if (name === event) listener(payload as never);
      });
    },
    onConnection: (l) => transport.onConnection(l),
    connection: () => transport.connection(),
  };
}

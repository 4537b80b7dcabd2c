import type { Capability } from '../../core/contract';
import type { ErrorBody } from '../../core/errors';
import type { CallContext, Dispatch } from '../../core/rpc/dispatch';

/** JSON-RPC 2.0 error codes; the app's own `{code, message}` travels in `error.data`. */
const RPC = { parse: -32700, invalidRequest: -32600, methodNotFound: -32601, invalidParams: -32602, app: -32000, forbidden: -32003 };

type Id = string | number | null;
type Response = { jsonrpc: '2.0'; id: Id; result: unknown } | { jsonrpc: '2.0'; id: Id; error: { code: number; message: string; data?: ErrorBody } };

const MAX_BATCH = 50;

/**
 * Handles one WebSocket text message: a request, a notification or a batch. Never throws; anything
 * malformed gets the JSON-RPC error for it, and the connection stays open.
 */
export async function handleRpcMessage(
  text: string,
  dispatch: Dispatch,
  capabilities: ReadonlySet<Capability>,
  session?: string,
  actor?: CallContext['actor'],
): Promise<string | null> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return JSON.stringify(failure(null, RPC.parse, 'The message is not valid JSON.'));
  }
  const ctx: CallContext = { capabilities, ...(session === undefined ? {} : { session }), ...(actor ? { actor } : {}) };
  if (Array.isArray(message)) {
    if (message.length === 0 || message.length > MAX_BATCH) {
      return JSON.stringify(failure(null, RPC.invalidRequest, `A batch must hold 1 to ${MAX_BATCH} requests.`));
    }
    const responses = (await Promise.all(message.map((m) => handleOne(m, dispatch, ctx)))).filter((r): r is Response => r !== null);
    return responses.length ? JSON.stringify(responses) : null;
  }
  const response = await handleOne(message, dispatch, ctx);
  return response ? JSON.stringify(response) : null;
}

async function handleOne(message: unknown, dispatch: Dispatch, ctx: CallContext): Promise<Response | null> {
  if (!isObject(message) || message.jsonrpc !== '2.0' || typeof message.method !== 'string') {
    const id = isObject(message) && isId(message.id) ? message.id : null;
    return failure(id, RPC.invalidRequest, 'Not a JSON-RPC 2.0 request: it needs "jsonrpc":"2.0" and a string "method".');
  }
  const hasId = 'id' in message;
  if (hasId && !isId(message.id)) return failure(null, RPC.invalidRequest, 'The request id must be a string, a number or null.');
  const id = hasId ? (message.id as Id) : null;
  // JSON-RPC params are an object or left out; `null` is neither, and is not taken to mean "no params".
  if ('params' in message && !isObject(message.params)) {
    return hasId ? failure(id, RPC.invalidParams, 'The params must be an object (by name), or left out when the method takes none.') : null;
  }
  const outcome = await dispatch(message.method, message.params, ctx);
  if (!hasId) return null; // a notification: executed, never answered
  if (outcome.ok) return { jsonrpc: '2.0', id, result: outcome.result };
  const code =
    outcome.error.code === 'unknown_method'
      ? RPC.methodNotFound
      : outcome.error.code === 'invalid_input'
        ? RPC.invalidParams
        : outcome.error.code === 'forbidden'
          ? RPC.forbidden
          : RPC.app;
  return { jsonrpc: '2.0', id, error: { code, message: outcome.error.message, data: outcome.error } };
}

function failure(id: Id, code: number, message: string): Response {
  const app: ErrorBody = { code: code === RPC.parse || code === RPC.invalidRequest || code === RPC.invalidParams ? 'invalid_input' : 'internal', message };
  return { jsonrpc: '2.0', id, error: { code, message, data: app } };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is Id {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || v === null;
}

export function notification(method: string, params: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method, params });
}

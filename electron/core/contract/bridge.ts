import type { ErrorBody } from '../errors';
import type { EventName, MethodName } from './catalog';

/** What crosses the Electron IPC boundary for one call: a value or a structured error, never a thrown Error. */
export type BridgeOutcome = { ok: true; result: unknown } | { ok: false; error: ErrorBody };

/**
 * The shape of `window.apf`, exposed by the desktop preload: one function per contract method and an `on`
 * that returns its own unsubscribe. The renderer's typed client wraps it; screens never see it.
 */
export type ApfBridge = { readonly [M in MethodName]: (input: unknown) => Promise<BridgeOutcome> } & {
  on(event: EventName, listener: (payload: unknown) => void): () => void;
};

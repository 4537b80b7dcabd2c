import { CAPABILITIES, type EventName, type EventPayloads, type MethodName, type MethodResult } from '../../electron/core/contract';
import type { Core } from '../../electron/core/core';

const everything = { capabilities: new Set(CAPABILITIES) };

/**
 * Calls into a real core as a fully trusted caller, and waits for its events. `core` is read at each call, so a
 * test may build a new core per case.
 */
export function coreCalls(core: () => Core) {
  async function call<M extends MethodName>(method: M, params?: unknown): Promise<MethodResult<M>> {
    const out = await core().dispatch(method, params, everything);
    if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
    return out.result as MethodResult<M>;
  }
  function waitFor<E extends EventName>(name: E, pred: (p: EventPayloads[E]) => boolean): Promise<EventPayloads[E]> {
    return new Promise((resolve) => {
      const off = core().events.subscribe((n, p) => {
        if ((n as string) === name && pred(p as unknown as EventPayloads[E])) {
          off();
          resolve(p as unknown as EventPayloads[E]);
        }
      });
    });
  }
  return { call, waitFor };
}

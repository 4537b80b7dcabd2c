import { EVENT_NAMES, type EventName } from '../../../electron/core/contract/catalog';
import type { ApfBridge } from '../../../electron/core/contract';
import { ApiError, type ConnectionState, type Transport } from './client';

/** In the desktop window the core is reached through `window.apf`, which is always connected. */
export function createPreloadTransport(bridge: ApfBridge): Transport {
  const open: ConnectionState = { kind: 'open' };
  return {
    async call(method, input) {
      const outcome = await bridge[method](input);
      if (!outcome.ok) throw new ApiError(outcome.error);
      return outcome.result;
    },
    onEvent(listener) {
      const offs = EVENT_NAMES.map((name: EventName) => bridge.on(name, (payload) => listener(name, payload)));
      return () => offs.forEach((off) => off());
    },
    onConnection: () => () => undefined,
    connection: () => open,
  };
}

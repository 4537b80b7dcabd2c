import type { ApfBridge } from '../../../electron/core/contract';
import { createApi, type Api } from './client';
import { createPreloadTransport } from './preload-transport';
import { createWebSocketTransport } from './websocket-transport';

declare global {
  interface Window {
    apf?: ApfBridge;
  }
}

/**
 * Picks the transport: the preload bridge in the desktop window, a WebSocket in a browser. In a browser the host
 * has already swapped the start link's token (or a pairing code) for an HttpOnly session cookie, which the
 * socket carries by itself: the page never sees a secret.
 */
export function connectApi(): Api {
  if (window.apf) return createApi(createPreloadTransport(window.apf));
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return createApi(createWebSocketTransport({ url: `${scheme}://${window.location.host}/rpc` }));
}

export { ApiError } from './client';
export type { Api, ConnectionState } from './client';

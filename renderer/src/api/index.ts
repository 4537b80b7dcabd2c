import type { ApfBridge } from '../../../electron/core/contract';
import { createApi, type Api } from './client';
import { createPreloadTransport } from './preload-transport';
import { createWebSocketTransport } from './websocket-transport';

declare global {
  interface Window {
    apf?: ApfBridge;
  }
}

const TOKEN_KEY = 'apf.token';

/**
 * Picks the transport: the preload bridge in the desktop window, a WebSocket in a browser. The token from
 * the URL `apf serve` printed is moved into sessionStorage and removed from the address bar, so it does not
 * end up in history, bookmarks or screenshots.
 */
export function connectApi(): Api {
  if (window.apf) return createApi(createPreloadTransport(window.apf));
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return createApi(createWebSocketTransport({ url: `${scheme}://${window.location.host}/rpc?token=${encodeURIComponent(token)}` }));
}

export { ApiError } from './client';
export type { Api, ConnectionState } from './client';

import { randomBytes } from 'node:crypto';

/** SockJS over its WebSocket transport: /sockjs/<server>/<session>/websocket, frames o, h, a[…], c[…]. */
export function sockjsUrl(baseUrl: string): string {
  const server = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  return `${baseUrl.replace(/^http/, 'ws')}/sockjs/${server}/${randomBytes(6).toString('hex')}/websocket`;
}

export type SockJsFrame = { kind: 'open' } | { kind: 'heartbeat' } | { kind: 'messages'; messages: unknown[] } | { kind: 'close'; reason: string } | { kind: 'invalid' };

export function parseSockJsFrame(frame: string): SockJsFrame {
  const type = frame[0];
  if (type === 'o') return { kind: 'open' };
  if (type === 'h') return { kind: 'heartbeat' };
  try {
    if (type === 'a') {
      const items = JSON.parse(frame.slice(1)) as unknown[];
      return { kind: 'messages', messages: items.map((m): unknown => (typeof m === 'string' ? JSON.parse(m) : m)) };
    }
    if (type === 'c') {
      const [code, reason] = JSON.parse(frame.slice(1)) as [number, string];
      return { kind: 'close', reason: `${reason} (${code})` };
    }
  } catch {
    return { kind: 'invalid' };
  }
  return { kind: 'invalid' };
}

/** A client frame: a JSON array of JSON-encoded messages. */
export function sockJsSend(message: unknown): string {
  return JSON.stringify([JSON.stringify(message)]);
}

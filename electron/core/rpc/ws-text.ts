import type { RawData } from 'ws';

/**
 * The text of a WebSocket message as `ws` delivers it: a Buffer for a text frame by default, but typed as any of
 * its three binary shapes, which `String()` would turn into "[object ArrayBuffer]".
 */
export function wsText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

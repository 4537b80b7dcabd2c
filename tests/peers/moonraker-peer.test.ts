import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startMoonrakerPeer, type MoonrakerPeer } from './moonraker-peer';
import { wsText } from '../../electron/core/rpc/ws-text';

/**
 * The stand-in against Moonraker's own documentation: docs/external_api/authorization.md ("Authorization
 * and Authentication", "Generate a Oneshot Token") and docs/external_api/server.md ("Identify Connection").
 */
let peer: MoonrakerPeer;
afterEach(async () => peer?.close());

function rpc(ws: WebSocket, method: string, params?: unknown): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(wsText(data)) as { id?: number };
      if (msg.id !== id) return;
      ws.off('message', onMessage);
      resolve(msg as never);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ jsonrpc: '2.0', method, params, id }));
  });
}

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const wsUrl = (p: MoonrakerPeer, query = '') => `${p.url.replace(/^http/, 'ws')}/websocket${query}`;

describe('the Moonraker stand-in, with an API key and trusted clients off', () => {
  it('refuses HTTP requests without the key with 401, and accepts X-Api-Key (Authorization and Authentication)', async () => {
    peer = await startMoonrakerPeer({ apiKey: 'k-123' });
    expect((await fetch(`${peer.url}/server/info`)).status).toBe(401);
    expect((await fetch(`${peer.url}/server/info`, { headers: { 'X-Api-Key': 'k-123' } })).status).toBe(200);
  });

  it('accepts the WebSocket, then refuses identify with -32602 "Unauthorized" without a key and "Invalid API Key" with a wrong one (Identify Connection)', async () => {
    peer = await startMoonrakerPeer({ apiKey: 'k-123' });
    const ws = await open(wsUrl(peer));
    expect(await rpc(ws, 'printer.objects.subscribe', { objects: {} })).toMatchObject({ error: { code: 401, message: 'Unauthorized' } });
    expect(await rpc(ws, 'server.connection.identify', { client_name: 't', version: '1', type: 'agent', url: 'x' })).toMatchObject({
      error: { code: -32602, message: 'Unauthorized' },
    });
    expect(await rpc(ws, 'server.connection.identify', { client_name: 't', version: '1', type: 'agent', url: 'x', api_key: 'nope' })).toMatchObject({
      error: { code: -32602, message: 'Invalid API Key' },
    });
    expect(await rpc(ws, 'server.connection.identify', { client_name: 't', version: '1', type: 'agent', url: 'x', api_key: 'k-123' })).toMatchObject({
      result: { connection_id: 1 },
    });
    expect(await rpc(ws, 'printer.objects.subscribe', { objects: {} })).toHaveProperty('result');
    ws.close();
  });

  it('authenticates a socket opened with X-Api-Key or a oneshot token, and a oneshot token only once (Generate a Oneshot Token)', async () => {
    peer = await startMoonrakerPeer({ apiKey: 'k-123' });
    const withHeader = await open(wsUrl(peer), { 'X-Api-Key': 'k-123' });
    expect(await rpc(withHeader, 'printer.objects.subscribe', { objects: {} })).toHaveProperty('result');
    withHeader.close();
    const { result: token } = (await (await fetch(`${peer.url}/access/oneshot_token`, { headers: { 'X-Api-Key': 'k-123' } })).json()) as { result: string };
    const withToken = await open(wsUrl(peer, `?token=${token}`));
    expect(await rpc(withToken, 'printer.objects.subscribe', { objects: {} })).toHaveProperty('result');
    withToken.close();
    const again = await open(wsUrl(peer, `?token=${token}`));
    expect(await rpc(again, 'printer.objects.subscribe', { objects: {} })).toMatchObject({ error: { code: 401 } });
    again.close();
  });

  it('trusts every client when no key is configured, as the sample configuration trusts the local network', async () => {
    peer = await startMoonrakerPeer();
    expect((await fetch(`${peer.url}/server/info`)).status).toBe(200);
    const ws = await open(wsUrl(peer));
    expect(await rpc(ws, 'printer.objects.subscribe', { objects: {} })).toHaveProperty('result');
    ws.close();
  });
});

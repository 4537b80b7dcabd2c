/**
 * Timeouts and aborts against a real socket: the client must give up on a server that sends its headers
 * and then never finishes the body, which a timeout on the headers alone would miss.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudClient } from '../../../electron/core/cloud/client';
import { AbortError, NetworkError, TimeoutError } from '../../../electron/core/cloud/errors';
import { caught } from './fake-fetch';

const DEV_KEY = `apf_dev_${'c0ffee'.repeat(10)}abcd`;
const servers: Server[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A local server; `requests` resolves each time a request has arrived, so tests wait on events, not time. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  let count = 0;
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    count++;
    waiters.shift()?.();
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    count: () => count,
    nextRequest: () => new Promise<void>((r) => waiters.push(r)),
  };
}

function client(baseUrl: string, timeoutMs = 150) {
  return createCloudClient({ baseUrl, apiKey: () => DEV_KEY, timeoutMs, maxRetries: 2, sleep: async () => undefined });
}

describe('timeout over the whole response', () => {
  it('times out when the server sends headers and then stalls the body', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"authenticated":tr'); // …and never the rest.
    });
    const err = await caught(client(srv.baseUrl).auth.test());
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).message).toMatch(/did not answer GET \/auth\/test within 150 ms/);
    // A timeout is not retried: the caller's time budget is already spent. (Under heavy load the one request may
    // not even reach the server's handler within 150 ms; a second one never comes either way.)
    expect(srv.count()).toBeLessThanOrEqual(1);
  });

  it('times out when the server never answers at all', async () => {
    const srv = await serve(() => undefined);
    expect(await caught(client(srv.baseUrl, 100).auth.test())).toBeInstanceOf(TimeoutError);
  });

  it('reads a complete answer sent in slow pieces within the timeout', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"authenticated":true,');
      setImmediate(() => res.end('"key_id":"key_1","organization":"Acme"}'));
    });
    expect(await client(srv.baseUrl, 5000).auth.test()).toEqual({ authenticated: true, key_id: 'key_1', organization: 'Acme' });
  });
});

describe('abort', () => {
  it('aborts a request whose body is stalled as soon as the signal fires', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
    });
    const controller = new AbortController();
    const arrived = srv.nextRequest();
    const pending = caught(client(srv.baseUrl, 60_000).printers.list({}, { signal: controller.signal }));
    await arrived;
    controller.abort();
    const err = await pending;
    expect(err).toBeInstanceOf(AbortError);
    expect((err as Error).name).toBe('AbortError');
  });
});

describe('connection failures', () => {
  it('reports a refused connection as a NetworkError that never reached the server', async () => {
    const srv = await serve(() => undefined);
    const closed = servers.pop()!;
    await new Promise((r) => closed.close(r));
    const err = await caught(client(srv.baseUrl).auth.test());
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ systemCode: 'ECONNREFUSED', beforeSend: true });
    expect((err as Error).message).toMatch(/connection refused/);
  });

  it('retries after the server drops the connection mid-answer and succeeds on the next attempt', async () => {
    const srv = await serve((req, res) => {
      if (srv.count() === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"authenticated":true,"key_id":"key_1","organization":"Acme"}');
    });
    expect((await client(srv.baseUrl).auth.test()).organization).toBe('Acme');
    expect(srv.count()).toBe(2);
  });
});

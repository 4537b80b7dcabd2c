import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStore } from './keys';
import { createRequestHandler } from './pipeline';
import { FixedWindowLimiter } from './rate-limit';
import { Router } from './router';
import type { Sandbox } from './server';
import { openDatabase } from './store';
import { call, rawRequest, sandboxFor } from './test-support';

let sb: Sandbox & { admin: string };
beforeAll(async () => {
  sb = await sandboxFor();
});
afterAll(() => sb.close());

async function expectStillServing(): Promise<void> {
  expect((await call(sb, sb.admin, 'GET', '/auth/test')).status).toBe(200);
}

/** POSTs a body of `size` bytes in 64 KB chunks, optionally without Content-Length (chunked). */
function postLarge(size: number, chunked: boolean): Promise<{ status: number; body: string; connection: string | undefined }> {
  const url = new URL(sb.url + '/printers');
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${sb.admin}`,
        'Content-Type': 'application/json',
        ...(chunked ? {} : { 'Content-Length': String(size) }),
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    // The server may close the connection while we are still sending; the answer has arrived by then.
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('hostile bodies', () => {
  it('answers invalid JSON with 400 invalid_request', async () => {
    const res = await call(sb, sb.admin, 'POST', '/printers', '{"name": "P", ');
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(res.json.error.message).toMatch(/not valid JSON/);
  });

  it('answers a JSON body that is not an object with 400', async () => {
    for (const body of ['[1,2]', '"text"', '42', 'null']) {
      const res = await call(sb, sb.admin, 'POST', '/api-keys', body);
      expect(res.status, body).toBe(400);
      expect(res.json.error.code).toBe('invalid_request');
    }
  });

  it('answers invalid UTF-8 and NUL bytes in a body with 400 and keeps serving', async () => {
    const { host } = new URL(sb.url);
    const body = Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x00, 0x22, 0x7d]);
    const head = `POST /v1/printers HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${sb.admin}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const res = await rawRequest(sb.url, Buffer.concat([Buffer.from(head), body]));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('invalid_request');
    await expectStillServing();
  });

  it('refuses a body declared larger than 1 MB with 413 in the envelope', async () => {
    const res = await postLarge(2 * 1024 * 1024, false);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('invalid_request');
    expect(res.connection).toBe('close');
    await expectStillServing();
  });

  it('refuses a chunked body that grows past 1 MB with 413 and keeps serving', async () => {
    const res = await postLarge(3 * 1024 * 1024, true);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toMatch(/larger than 1048576 bytes/);
    await expectStillServing();
  });

  it('accepts a body just under the cap as far as size goes', async () => {
    const padding = ' '.repeat(1024 * 1024 - 40);
    const res = await call(sb, sb.admin, 'POST', '/printers', `{"name":"big","model":"m"}${padding}`);
    expect(res.status).toBe(201);
  });

  it('answers a request line that is not HTTP with 400 and keeps serving', async () => {
    const res = await rawRequest(sb.url, 'HELLO THERE\r\n\r\n');
    expect(res.status).toBe(400);
    await expectStillServing();
  });

  it('answers a malformed percent-escape in a path with 404', async () => {
    const res = await call(sb, sb.admin, 'GET', '/printers/%E0%A4%A');
    expect(res.status).toBe(404);
  });
});

describe('unexpected errors', () => {
  let server: Server;
  let base: string;
  let key: string;
  const logged: string[] = [];

  beforeAll(async () => {
    const db = openDatabase(':memory:');
    const keys = new KeyStore(db, Date.now);
    key = keys.mint({ name: 'k', scopes: ['admin:*'], prefix: 'apf_live_' }).key;
    const router = new Router([
      {
        method: 'GET',
        path: '/boom',
        scope: null,
        handle: () => {
          throw new Error(`database exploded while holding ${key}`);
        },
      },
    ]);
    const handler = createRequestHandler({
      keys,
      limiter: new FixedWindowLimiter(100, Date.now),
      router,
      now: Date.now,
      log: (line) => logged.push(line),
    });
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  it('answers a handler crash with 500 internal_error, logs it without the key and keeps serving', async () => {
    const res = await call({ url: base }, key, 'GET', '/boom');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(res.text).not.toContain(key);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('database exploded');
    expect(logged[0]).not.toContain(key.slice(9));
    expect((await call({ url: base }, key, 'GET', '/boom')).status).toBe(500);
  });
});

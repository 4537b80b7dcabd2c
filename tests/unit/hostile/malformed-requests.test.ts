import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileHost, type HostileHost } from './hostile-host';

let host: HostileHost;
beforeAll(async () => (host = await startHostileHost()));
afterAll(() => host.close());

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.server.port, path, headers: { Host: `127.0.0.1:${host.server.port}` } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('attack: malformed URLs and malformed JSON-RPC', () => {
  it('a URL that cannot be percent-decoded (/%zz) is a 400, with nothing logged', async () => {
    for (const path of ['/%zz', '/assets/%E0%A4%A.js', '/%']) {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(res.body).not.toMatch(/URIError|at /);
    }
    expect(host.log).toEqual([]);
  });

  it('"params": null is not taken as "no params": it is invalid params, as any non-object is', async () => {
    const c = await host.client();
    for (const params of [null, 3, 'x', [1]]) {
      const reply = (await c.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 'p', method: 'app.info', params }))) as { error?: { code: number; data: { code: string } } };
      expect(reply.error).toMatchObject({ code: -32602, data: { code: 'invalid_input' } });
    }
    expect((await c.request('app.info')).result).toMatchObject({ host: 'headless' });
    c.close();
  });

  it('an upload chunk that is not strict, padded base64 is refused before it reaches the file', async () => {
    const c = await host.client();
    const { uploadId } = (await c.request('library.uploadBegin', { name: 'a.gcode', sizeBytes: 8 })).result as { uploadId: string };
    for (const base64 of ['RzI', 'R=zI', 'RzI4R', 'RzI4=', 'RzI4 RzI4', 'RzI4\n']) {
      const reply = await c.request('library.uploadChunk', { uploadId, offset: 0, base64 });
      expect(reply.error?.data?.code, base64).toBe('invalid_input');
    }
    expect((await c.request('library.uploadChunk', { uploadId, offset: 0, base64: 'RzI4' })).result).toEqual({ received: 3 });
    c.close();
  });

  it('aborting an unknown upload is not_found', async () => {
    const c = await host.client();
    const reply = await c.request('library.uploadAbort', { uploadId: '7d6f0a53-0d43-4c2e-9d0e-4b7e6c1a2b3c' });
    expect(reply.error?.data?.code).toBe('not_found');
    c.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_CHUNK_BYTES } from '../../../electron/core/jobs';
import { CLIENT_LIMITS } from '../../../electron/headless/serve/rpc-connection';
import { startHostileHost, type HostileHost } from './hostile-host';

let host: HostileHost;
beforeAll(async () => (host = await startHostileHost()));
afterAll(() => host.close());

const chunkText = (byte: number) => Buffer.alloc(UPLOAD_CHUNK_BYTES, byte).toString('base64');

describe('attack: every chunk of an upload sent at once, without waiting for replies', () => {
  it('a chunk is too large to share the socket, so the host reads the next only after answering it', () => {
    // The pacing below rests on this: one chunk's request text alone fills the socket's budget.
    expect(chunkText(0x41).length).toBeGreaterThan(CLIENT_LIMITS.maxBytesInFlight);
  });

  it('the host takes the chunks one at a time and the client is paced by TCP: every chunk lands, in order', async () => {
    const c = await host.client();
    const chunks = 40;
    const { uploadId, chunkBytes } = (await c.request('library.uploadBegin', { name: 'big.gcode', sizeBytes: chunks * UPLOAD_CHUNK_BYTES })).result as {
      uploadId: string;
      chunkBytes: number;
    };
    expect(chunkBytes).toBe(UPLOAD_CHUNK_BYTES);
    const replies = await Promise.all(
      Array.from({ length: chunks }, (_, i) => c.request('library.uploadChunk', { uploadId, offset: i * chunkBytes, base64: chunkText(0x41 + (i % 20)) })),
    );
    expect(replies.map((r) => (r.result as { received: number } | undefined)?.received)).toEqual(Array.from({ length: chunks }, (_, i) => (i + 1) * chunkBytes));
    expect((await c.request('library.uploadAbort', { uploadId })).result).toEqual({ ok: true });
    c.close();
  });

  it('two chunks of one upload in one batch: the second is refused at once, not queued, and the upload goes on', async () => {
    const c = await host.client();
    const { uploadId } = (await c.request('library.uploadBegin', { name: 'batched.gcode', sizeBytes: 3 * UPLOAD_CHUNK_BYTES })).result as { uploadId: string };
    const chunk = chunkText(0x42);
    const replies = (await c.sendRaw(
      JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'library.uploadChunk', params: { uploadId, offset: 0, base64: chunk } },
        { jsonrpc: '2.0', id: 'b', method: 'library.uploadChunk', params: { uploadId, offset: UPLOAD_CHUNK_BYTES, base64: chunk } },
      ]),
    )) as { id: string; result?: { received: number }; error?: { data?: { code?: string; message?: string } } }[];
    const byId = new Map(replies.map((r) => [r.id, r]));
    expect(byId.get('a')?.result).toEqual({ received: UPLOAD_CHUNK_BYTES });
    expect(byId.get('b')?.error?.data?.code).toBe('conflict');
    expect(byId.get('b')?.error?.data?.message).toMatch(/still being written/);
    // The refused chunk cost the upload nothing: it goes on from where the accepted one left it.
    const next = await c.request('library.uploadChunk', { uploadId, offset: UPLOAD_CHUNK_BYTES, base64: chunk });
    expect(next.result).toEqual({ received: 2 * UPLOAD_CHUNK_BYTES });
    c.close();
  });
});

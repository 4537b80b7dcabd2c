import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileHost, type HostileHost } from './hostile-host';

let host: HostileHost;
beforeAll(async () => (host = await startHostileHost()));
afterAll(() => host.close());

describe('attack: every chunk of an upload sent at once, without waiting for replies', () => {
  it('the host takes one chunk at a time and refuses the rest at once instead of queueing them in memory', async () => {
    const c = await host.client();
    const chunk = Buffer.alloc(512 * 1024, 0x41).toString('base64');
    const { uploadId } = (await c.request('library.uploadBegin', { name: 'big.gcode', sizeBytes: 20 * 512 * 1024 })).result as { uploadId: string };
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => c.request('library.uploadChunk', { uploadId, offset: i * 512 * 1024, base64: chunk })));
    const accepted = replies.filter((r) => r.result);
    const busy = replies.filter((r) => r.error?.data?.code === 'conflict');
    // A chunk that arrives after the one being written has finished is simply at the wrong offset.
    const wrongOffset = replies.filter((r) => r.error?.data?.code === 'invalid_input' && /expected the bytes at offset/.test(r.error.data.message));
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length + busy.length + wrongOffset.length).toBe(20);
    expect(busy[0]?.error?.data?.message).toMatch(/still being written/);
    // The refused chunks cost the upload nothing: it goes on from where the accepted ones left it.
    const received = Math.max(...accepted.map((r) => (r.result as { received: number }).received));
    const next = await c.request('library.uploadChunk', { uploadId, offset: received, base64: chunk });
    expect(next.result).toEqual({ received: received + 512 * 1024 });
    c.close();
  });
});

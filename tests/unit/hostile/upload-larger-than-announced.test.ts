import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFilesUnder, startHostileHost, type HostileHost } from './hostile-host';

let host: HostileHost;
beforeAll(async () => (host = await startHostileHost()));
afterAll(() => host.close());

describe('attack: an upload chunk with more bytes than uploadBegin announced', () => {
  it('is answered with invalid_input at once, and leaves no temp file or open file behind', async () => {
    const c = await host.client();
    const begin = await c.request('library.uploadBegin', { name: 'small.gcode', sizeBytes: 10 });
    const { uploadId } = begin.result as { uploadId: string };
    expect(host.partFiles()).toHaveLength(1);
    // Before the fix this reply never came: the chunk's own abort waited on the chunk.
    const reply = await c.request('library.uploadChunk', { uploadId, offset: 0, base64: Buffer.alloc(11, 65).toString('base64') }, 2000);
    expect(reply.error).toMatchObject({ data: { code: 'invalid_input', message: expect.stringContaining('larger than the 10 bytes announced') } });
    expect(host.partFiles()).toEqual([]);
    expect(openFilesUnder(join(host.dataDir, 'files'))).toEqual([]);
    // The upload is gone: going on with it is not_found, not a hang.
    const after = await c.request('library.uploadChunk', { uploadId, offset: 0, base64: 'QUFB' }, 2000);
    expect(after.error).toMatchObject({ data: { code: 'not_found' } });
    c.close();
  });
});

import { UPLOAD_CHUNK_BYTES } from '../../../electron/core/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_GCODE, startHostileHost, type HostileHost } from './hostile-host';

let host: HostileHost;
beforeAll(async () => (host = await startHostileHost()));
afterAll(() => host.close());

describe('race: two clients upload the same file and end their uploads at the same moment', () => {
  it('one adds it and the other is told it is a duplicate; neither gets an internal error', async () => {
    const clients = await Promise.all([host.client(), host.client(), host.client()]);
    const ids: string[] = [];
    for (const c of clients) {
      const { uploadId } = (await c.request('library.uploadBegin', { name: 'same.gcode', sizeBytes: FIXTURE_GCODE.length })).result as { uploadId: string };
      for (let off = 0; off < FIXTURE_GCODE.length; off += UPLOAD_CHUNK_BYTES) {
        await c.request('library.uploadChunk', { uploadId, offset: off, base64: FIXTURE_GCODE.subarray(off, off + UPLOAD_CHUNK_BYTES).toString('base64') });
      }
      ids.push(uploadId);
    }
    const ends = await Promise.all(clients.map((c, i) => c.request('library.uploadEnd', { uploadId: ids[i] })));
    expect(ends.map((e) => e.error)).toEqual([undefined, undefined, undefined]);
    const duplicates = ends.map((e) => (e.result as { duplicate: boolean }).duplicate).sort();
    expect(duplicates).toEqual([false, true, true]);
    expect((await clients[0].request('library.list')).result).toHaveLength(1);
    expect(host.partFiles()).toEqual([]);
    expect(host.log.join('\n')).not.toMatch(/UNIQUE|constraint/i);
    for (const c of clients) c.close();
  });
});

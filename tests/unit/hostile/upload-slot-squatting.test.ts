import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOADS_PER_SESSION } from '../../../electron/core/jobs/uploads';
import { startHostileHost, waitUntil, type HostileHost } from './hostile-host';

let host: HostileHost;
beforeAll(async () => (host = await startHostileHost()));
afterAll(() => host.close());

describe('attack: one client opens uploads and never finishes them', () => {
  it("is held to its own quota, cannot touch other clients' uploads, and loses its uploads when it disconnects", async () => {
    const squatter = await host.client();
    const other = await host.client();
    for (let i = 0; i < MAX_UPLOADS_PER_SESSION; i++) {
      expect((await squatter.request('library.uploadBegin', { name: `s${i}.gcode`, sizeBytes: 100 })).result).toBeDefined();
    }
    const refused = await squatter.request('library.uploadBegin', { name: 'more.gcode', sizeBytes: 100 });
    expect(refused.error?.data).toMatchObject({ code: 'conflict', message: expect.stringContaining(`${MAX_UPLOADS_PER_SESSION} uploads open`) });

    // Everyone else can still upload; the squatter cannot see or end their upload.
    const mine = (await other.request('library.uploadBegin', { name: 'mine.gcode', sizeBytes: 4 })).result as { uploadId: string };
    expect((await squatter.request('library.uploadAbort', { uploadId: mine.uploadId })).error?.data?.code).toBe('not_found');
    expect((await squatter.request('library.uploadChunk', { uploadId: mine.uploadId, offset: 0, base64: 'RzI4' })).error?.data?.code).toBe('not_found');
    expect(host.partFiles()).toHaveLength(MAX_UPLOADS_PER_SESSION + 1);

    // Its connection goes: its uploads go with it, at once rather than after the idle timeout.
    squatter.close();
    await waitUntil(() => host.partFiles().length === 1, 5000, "the squatter's uploads to be deleted");
    expect((await other.request('library.uploadChunk', { uploadId: mine.uploadId, offset: 0, base64: 'RzI4' })).result).toEqual({ received: 3 });
    other.close();
  });
});

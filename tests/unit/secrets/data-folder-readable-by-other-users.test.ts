/**
 * The attack: another user of the computer reads the farm's data folder. The core creates what it writes private
 * (folders 0700, files 0600) on its own, whatever the process umask, so a host that forgets `umask 077` (a test, a
 * future host) still leaks nothing. Here the process keeps its usual 022 umask.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_CHUNK_BYTES } from '../../../electron/core/jobs';
import type { LibraryFileView } from '../../../electron/core/contract/jobs-types';
import { FIXTURE_GCODE, startHostileHost, type HostileHost } from '../hostile/hostile-host';

function modes(dir: string): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const st = statSync(p);
    out.push(`${relative(dir, p) || '.'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
  };
  visit(dir);
  return out;
}

describe.runIf(process.platform !== 'win32')('attack: another user reads the data folder', () => {
  let host: HostileHost;
  let previous: number;
  beforeAll(async () => {
    previous = process.umask(0o022);
    host = await startHostileHost();
  });
  afterAll(async () => {
    await host.close();
    process.umask(previous);
  });

  it('an upload in progress and the library file it becomes are 0600 in 0700 folders, with a 022 umask', async () => {
    const c = await host.client();
    const begin = (await c.request('library.uploadBegin', { name: 'part.gcode', sizeBytes: FIXTURE_GCODE.length })).result as { uploadId: string };
    await c.request('library.uploadChunk', { uploadId: begin.uploadId, offset: 0, base64: FIXTURE_GCODE.subarray(0, UPLOAD_CHUNK_BYTES).toString('base64') });
    const during = modes(join(host.dataDir, 'files'));
    expect(during.some((m) => m.endsWith('.part 600'))).toBe(true);
    for (let off = UPLOAD_CHUNK_BYTES; off < FIXTURE_GCODE.length; off += UPLOAD_CHUNK_BYTES) {
      await c.request('library.uploadChunk', { uploadId: begin.uploadId, offset: off, base64: FIXTURE_GCODE.subarray(off, off + UPLOAD_CHUNK_BYTES).toString('base64') });
    }
    const { file } = (await c.request('library.uploadEnd', { uploadId: begin.uploadId })).result as { file: LibraryFileView };
    for (let i = 0; i < 200 && ((await c.request('library.get', { sha256: file.sha256 })).result as LibraryFileView).status !== 'ready'; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const after = modes(join(host.dataDir, 'files'));
    const loose = [...during, ...after].filter((m) => !/ (600|700)$/.test(m) || (m.startsWith('. ') && !m.endsWith(' 700')));
    expect(loose).toEqual([]);
    expect(after).toEqual(expect.arrayContaining(['. 700', 'incoming 700', `${file.sha256}.gcode 600`]));
    c.ws.close();
  });
});

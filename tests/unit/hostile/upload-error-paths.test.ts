import { UPLOAD_CHUNK_BYTES } from '../../../electron/core/jobs';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../electron/core/jobs/library';
import { MAX_UPLOADS_PER_SESSION, UPLOAD_IDLE_MS } from '../../../electron/core/jobs/uploads';
import { openDatabase, type Db } from '../../../electron/core/store/database';
import { ManualClock } from '../../support/manual-clock';
import { FIXTURE_GCODE, openFilesUnder, waitUntil } from './hostile-host';

/** Every way an upload can end badly answers its caller and releases its temp file and file descriptor. */

let dir: string;
let db: Db;
let clock: ManualClock;
let library: Library;
const incoming = () => readdirSync(join(dir, 'files', 'incoming'));
const released = () => expect({ parts: incoming(), fds: openFilesUnder(join(dir, 'files')) }).toEqual({ parts: [], fds: [] });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apf-upload-paths-'));
  db = openDatabase(dir);
  clock = new ManualClock();
  library = new Library(db, dir, clock, { updated: () => {}, removed: () => {}, failed: () => {} });
});
afterEach(async () => {
  await library.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (b: Buffer) => b.toString('base64');

describe('upload error paths', () => {
  it('a chunk at the wrong offset is refused and the upload can go on from the right one', async () => {
    const { uploadId } = await library.beginUpload('a.gcode', 8);
    await expect(library.uploadChunk(uploadId, 4, b64(Buffer.alloc(4)))).rejects.toMatchObject({ code: 'invalid_input' });
    await library.uploadChunk(uploadId, 0, b64(Buffer.from('G28\nG1 X')));
    await library.abortUpload(uploadId);
    released();
  });

  it('an upload ended short is refused and its temp file deleted', async () => {
    const { uploadId } = await library.beginUpload('a.gcode', 100);
    await library.uploadChunk(uploadId, 0, b64(Buffer.from('G28\n')));
    await expect(library.endUpload(uploadId)).rejects.toThrow(/after 4 of 100 bytes/);
    released();
  });

  it('an upload that goes idle is dropped with its temp file and descriptor, and then answers not_found', async () => {
    const { uploadId } = await library.beginUpload('a.gcode', 100);
    await library.uploadChunk(uploadId, 0, b64(Buffer.from('G28\n')));
    clock.advance(UPLOAD_IDLE_MS - 1);
    expect(library.openUploads()).toBe(1);
    clock.advance(1);
    await waitUntil(() => incoming().length === 0, 2000, 'the idle upload to be deleted');
    released();
    await expect(library.uploadChunk(uploadId, 4, b64(Buffer.from('G1\n')))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('aborting an upload id nobody holds is not_found, not a silent success', async () => {
    await expect(library.abortUpload('7d6f0a53-0d43-4c2e-9d0e-4b7e6c1a2b3c')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a clean stop in the middle of uploads releases every temp file and descriptor', async () => {
    for (let i = 0; i < 3; i++) {
      const { uploadId } = await library.beginUpload(`a${i}.gcode`, FIXTURE_GCODE.length);
      await library.uploadChunk(uploadId, 0, b64(FIXTURE_GCODE.subarray(0, 1000)));
    }
    expect(incoming()).toHaveLength(3);
    await library.close();
    released();
  });

  it('another session cannot write, end or abort an upload, and cannot tell it exists', async () => {
    const { uploadId } = await library.beginUpload('mine.gcode', 4, 'session-a');
    for (const call of [
      () => library.uploadChunk(uploadId, 0, b64(Buffer.from('G28\n')), 'session-b'),
      () => library.endUpload(uploadId, 'session-b'),
      () => library.abortUpload(uploadId, 'session-b'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'not_found' });
    }
    await library.uploadChunk(uploadId, 0, b64(Buffer.from('G28\n')), 'session-a');
    expect(library.openUploads('session-a')).toBe(1);
  });

  it(`one session holds at most ${MAX_UPLOADS_PER_SESSION} uploads; others still can upload, and ending the session frees them`, async () => {
    for (let i = 0; i < MAX_UPLOADS_PER_SESSION; i++) await library.beginUpload(`s${i}.gcode`, 10, 'squatter');
    await expect(library.beginUpload('one-more.gcode', 10, 'squatter')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('uploads open') });
    await expect(library.beginUpload('other.gcode', 10, 'someone-else')).resolves.toMatchObject({ uploadId: expect.any(String) });
    await library.endSession('squatter');
    expect(library.openUploads('squatter')).toBe(0);
    expect(incoming()).toHaveLength(1);
  });

  it('a second chunk sent before the first is written is refused, so one upload holds one chunk in memory', async () => {
    const { uploadId } = await library.beginUpload('a.gcode', 2 * 60_000);
    const chunk = b64(Buffer.alloc(60_000, 0x41));
    const first = library.uploadChunk(uploadId, 0, chunk);
    const second = library.uploadChunk(uploadId, 60_000, chunk);
    await expect(second).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('still being written') });
    await expect(first).resolves.toEqual({ received: 60_000 });
    await expect(library.uploadChunk(uploadId, 60_000, chunk)).resolves.toEqual({ received: 120_000 });
  });

  it('"." and ".." are not file names: the file is kept as unnamed.gcode', async () => {
    for (const name of ['.', '..', '../..', 'a/..']) {
      const { uploadId } = await library.beginUpload(name, FIXTURE_GCODE.length);
      for (let off = 0; off < FIXTURE_GCODE.length; off += UPLOAD_CHUNK_BYTES) await library.uploadChunk(uploadId, off, b64(FIXTURE_GCODE.subarray(off, off + UPLOAD_CHUNK_BYTES)));
      const { file } = await library.endUpload(uploadId);
      expect(file.name).toBe('unnamed.gcode');
      await library.analysesSettled();
      await library.remove(file.sha256, 0);
    }
  });
});

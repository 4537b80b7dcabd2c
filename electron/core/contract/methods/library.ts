import { z } from 'zod';
import type { LibraryFileView } from '../jobs-types';
import { none } from './common';
import { method } from './define';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'A file id is 64 hexadecimal characters (its SHA-256).');
const uploadId = z.string().uuid();
/**
 * The most bytes one `uploadChunk` carries (the host tells clients in `uploadBegin`). Small enough that the chunk's
 * request text stays out of V8's large-object space (~128 KiB) and dies young: a client streaming a 200 MiB file
 * costs the host ~30 MB, where 512 KiB chunks cost 60-80 MB (npm run bench:abuse).
 */
export const UPLOAD_CHUNK_BYTES = 64 * 1024;
/** Padded base64 of a full chunk. */
const MAX_CHUNK_BASE64 = 4 * Math.ceil(UPLOAD_CHUNK_BYTES / 3);
// Strict, padded base64: Node's decoder would otherwise skip stray characters and accept a cut-off group.
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const libraryMethods = {
  'library.list': method<LibraryFileView[]>()({ input: none, capability: 'fleet:read', summary: 'Every file in the print library, newest first.' }),
  'library.get': method<LibraryFileView>()({ input: z.object({ sha256 }).strict(), capability: 'fleet:read', summary: 'One library file with its analysis.' }),
  'library.uploadBegin': method<{ uploadId: string; chunkBytes: number }>()({
    input: z.object({ name: z.string().trim().min(1).max(255), sizeBytes: z.number().int().min(0) }).strict(),
    capability: 'jobs:write',
    summary: 'Opens an upload of a G-code file; send it with uploadChunk, in order, then uploadEnd.',
  }),
  'library.uploadChunk': method<{ received: number }>()({
    input: z
      .object({
        uploadId,
        offset: z.number().int().min(0),
        base64: z.string().max(MAX_CHUNK_BASE64).regex(STRICT_BASE64, 'The chunk must be padded base64 (groups of four characters).'),
      })
      .strict(),
    capability: 'jobs:write',
    summary: 'Appends the bytes at `offset` (at most 64 KiB, base64; `uploadBegin` says how many).',
  }),
  'library.uploadEnd': method<{ file: LibraryFileView; duplicate: boolean }>()({
    input: z.object({ uploadId }).strict(),
    capability: 'jobs:write',
    summary: 'Checks the file and adds it to the library (the full analysis continues in the background).',
  }),
  'library.uploadAbort': method<{ ok: true }>()({ input: z.object({ uploadId }).strict(), capability: 'jobs:write', summary: 'Abandons an upload.' }),
  'library.remove': method<{ removed: true }>()({
    input: z.object({ sha256 }).strict(),
    capability: 'jobs:write',
    summary: 'Removes a file that no queued or running job needs.',
  }),
};

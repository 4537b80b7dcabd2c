import { ApiError, notFound } from '../http-io';
import type { DownloadLinks } from '../download-links';
import type { FileRecord, FileRepo } from '../files';
import type { PublicRoute, Route } from '../router';
import { iso, throwInvalid } from '../validation';

export function fileJson(f: FileRecord) {
  return { id: f.id, name: f.name, size_bytes: f.sizeBytes, sha256: f.sha256, created_at: iso(f.createdAt) };
}

/**
 * `X-File-Name` is percent-decoded, so a UTF-8 name travels as %-escapes (header values are Latin-1).
 * Returns the name or why it is refused.
 */
export function fileNameFrom(header: string | string[] | undefined): string | { problem: string } {
  if (header === undefined) return { problem: 'send the file name in the X-File-Name header' };
  if (Array.isArray(header)) return { problem: 'send X-File-Name once' };
  let name: string;
  try {
    name = decodeURIComponent(header).trim();
  } catch {
    return { problem: 'is not valid percent-encoded UTF-8' };
  }
  if (name === '' || name.length > 255) return { problem: 'must be 1 to 255 characters' };
  // A name, not a path: the hub saves it in its library and must never be steered into another folder.
  if (/[\p{Cc}/\\]/u.test(name) || name === '.' || name === '..') {
    return { problem: 'must be a plain file name, without slashes or control characters' };
  }
  return name;
}

export function fileRoutes(deps: { files: FileRepo; links: DownloadLinks; maxFileBytes: number; baseUrl: () => string }): Route[] {
  const { files, links, maxFileBytes, baseUrl } = deps;
  const mustGet = (id: string) => {
    const f = files.get(id);
    if (!f) throw notFound(`No file with id ${id}.`);
    return f;
  };
  return [
    {
      method: 'POST',
      path: '/files',
      scope: 'jobs:write',
      handle: async ({ headers, readRaw }) => {
        const name = fileNameFrom(headers['x-file-name']);
        if (typeof name !== 'string') throwInvalid({ 'X-File-Name': name.problem });
        const bytes = await readRaw(maxFileBytes);
        if (bytes.length === 0) throwInvalid({ body: 'the file is empty; send its bytes as the request body' });
        return { status: 201, body: fileJson(files.create(name, bytes)) };
      },
    },
    {
      method: 'GET',
      path: '/files/:id',
      scope: 'jobs:read',
      handle: ({ params }) => ({ status: 200, body: fileJson(mustGet(params.id!)) }),
    },
    {
      method: 'GET',
      path: '/files/:id/download-url',
      scope: 'jobs:read',
      handle: ({ params }) => {
        const file = mustGet(params.id!);
        const { token, expiresAt } = links.sign(file.id);
        return { status: 200, body: { url: `${baseUrl()}/files/download/${token}`, expires_at: iso(expiresAt) } };
      },
    },
  ];
}

/** The download itself: the signed link is the proof, so it needs no key (a hub may hand it to a printer). */
export function fileDownloadRoutes(deps: { files: FileRepo; links: DownloadLinks }): PublicRoute[] {
  const { files, links } = deps;
  return [
    {
      method: 'GET',
      path: '/files/download/:token',
      handle: ({ params }) => {
        const check = links.check(params.token!);
        if (!check.ok) {
          throw check.reason === 'expired'
            ? new ApiError(401, 'link_expired', 'This download link has expired; ask for a new one with GET /v1/files/:id/download-url.')
            : new ApiError(401, 'invalid_link', 'This download link is not valid.');
        }
        const file = files.get(check.fileId);
        const bytes = file && files.content(file.id);
        if (!file || !bytes) throw notFound('The file of this link no longer exists.');
        return {
          status: 200,
          bytes,
          headers: {
            'Content-Type': 'application/octet-stream',
            'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
            'X-File-Sha256': file.sha256,
          },
        };
      },
    },
  ];
}

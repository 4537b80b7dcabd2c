import type { Core } from '../core';
import { AppError } from '../errors';

/** A host-neutral answer to GET /snapshot/<id>: each host writes it its own way (http response, app:// Response). */
export interface SnapshotAnswer {
  status: 200 | 404 | 500;
  contentType: string;
  body: Buffer;
}

/** Null when the path is not a snapshot route. */
export function parseSnapshotPath(pathname: string): { ok: true; id: number } | { ok: false } | null {
  if (!pathname.startsWith('/snapshot/')) return null;
  const m = /^\/snapshot\/([1-9]\d{0,14})$/.exec(pathname);
  return m ? { ok: true, id: Number(m[1]) } : { ok: false };
}

/**
 * `/snapshot/<id>`: a print's picture or time-lapse video, by the id `snapshots.list` gave. Pictures do not change
 * once kept, so the browser may cache them for the session (`private`: never a shared cache).
 */
export async function answerSnapshot(core: Pick<Core, 'readSnapshot'>, pathname: string): Promise<SnapshotAnswer | null> {
  const parsed = parseSnapshotPath(pathname);
  if (!parsed) return null;
  const text = (status: 404 | 500, message: string): SnapshotAnswer => ({ status, contentType: 'text/plain; charset=utf-8', body: Buffer.from(message) });
  if (!parsed.ok) return text(404, 'No such picture. A picture of a print is at /snapshot/<id>.');
  try {
    const { bytes, contentType } = await core.readSnapshot(parsed.id);
    return { status: 200, contentType, body: bytes };
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return text(404, err.message);
    return text(500, 'The picture could not be read.');
  }
}

export const SNAPSHOT_CACHE_CONTROL = 'private, max-age=86400, immutable';

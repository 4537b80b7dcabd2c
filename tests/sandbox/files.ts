import { createHash } from 'node:crypto';
import { newId } from './keys';
import type { Db } from './store';

/** An uploaded print file; the bytes stay in the database and are read only for a download. */
export interface FileRecord {
  id: string;
  name: string;
  sizeBytes: number;
  sha256: string;
  createdAt: number;
}

interface FileRow {
  id: string;
  name: string;
  size_bytes: number;
  sha256: string;
  created_at: number;
}

const toRecord = (r: FileRow): FileRecord => ({
  id: r.id,
  name: r.name,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  createdAt: r.created_at,
});

export class FileRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  create(name: string, bytes: Buffer): FileRecord {
    const id = newId('file_');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.db.prepare('INSERT INTO files (id, name, size_bytes, sha256, content, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, name, bytes.length, sha256, bytes, this.now());
    return this.get(id)!;
  }

  get(id: string): FileRecord | null {
    const row = this.db.prepare<[string], FileRow>('SELECT id, name, size_bytes, sha256, created_at FROM files WHERE id = ?').get(id);
    return row ? toRecord(row) : null;
  }

  content(id: string): Buffer | null {
    const row = this.db.prepare<[string], { content: Buffer }>('SELECT content FROM files WHERE id = ?').get(id);
    return row?.content ?? null;
  }
}

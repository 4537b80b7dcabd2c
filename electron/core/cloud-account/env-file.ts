/**
 * Reads `.env` files for AUTOPRINTFARM_API_KEY / AUTOPRINTFARM_API_URL. Later files win (their lines come
 * last), so pass the most specific one last. A missing or unreadable file is simply not there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readEnvFiles(dirs: readonly string[]): string | undefined {
  return readEnvFilesAt(dirs.map((dir) => join(dir, '.env')));
}

export function readEnvFilesAt(files: readonly string[]): string | undefined {
  const texts: string[] = [];
  for (const file of files) {
    try {
      texts.push(readFileSync(file, 'utf8'));
    } catch {
      // No such file.
    }
  }
  return texts.length === 0 ? undefined : texts.join('\n');
}

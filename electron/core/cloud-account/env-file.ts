/**
 * Reads `.env` files for AUTOPRINTFARM_API_KEY / AUTOPRINTFARM_API_URL. Later directories win (their lines
 * come last), so pass the most specific one last. A missing or unreadable file is simply not there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readEnvFiles(dirs: readonly string[]): string | undefined {
  const texts: string[] = [];
  for (const dir of dirs) {
    try {
      texts.push(readFileSync(join(dir, '.env'), 'utf8'));
    } catch {
      // No .env here.
    }
  }
  return texts.length === 0 ? undefined : texts.join('\n');
}

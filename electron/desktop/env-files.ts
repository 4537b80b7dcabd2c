import { isAbsolute, join } from 'node:path';

/**
 * Which `.env` files the desktop reads for AUTOPRINTFARM_API_KEY / AUTOPRINTFARM_API_URL: the one in its own
 * data folder, then the file APF_ENV_FILE names (a developer pointing the app at a sandbox). Never the working
 * directory: a packaged app is often started from a downloads folder, and a `.env` that happens to lie there
 * must not redirect its cloud address or change its key. `apf serve`, a command run in a terminal on purpose,
 * is a different case and keeps reading its working directory.
 */
export function desktopEnvFiles(opts: { dataDir: string; env: Record<string, string | undefined> }): string[] {
  const files = [join(opts.dataDir, '.env')];
  const explicit = opts.env.APF_ENV_FILE?.trim();
  // A relative path would depend on the working directory again.
  if (explicit && isAbsolute(explicit)) files.push(explicit);
  return files;
}

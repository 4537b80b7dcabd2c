import { readFileSync } from 'node:fs';

/** The app version from package.json, which sits two folders up both from the sources and from dist/headless. */
export function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

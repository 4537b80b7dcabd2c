import { fileURLToPath } from 'node:url';
import { loadBambuAnchors } from '../core/printers/bambu/trust-anchors';

/** Bambu Lab's CA certificates for the headless host: the project's `resources/bambu-ca` (two folders up from the bundle in dist/headless) and APF_BAMBU_CA. */
export function headlessBambuAnchors(log: { warn(message: string): void }, env: Record<string, string | undefined> = process.env): string[] {
  return loadBambuAnchors(fileURLToPath(new URL('../../resources/bambu-ca/', import.meta.url)), env, log);
}

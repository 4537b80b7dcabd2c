import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';

/** Bambu Lab's CA certificates as read from disk, and why any file was left out. */
export interface TrustAnchors {
  anchors: string[];
  problems: string[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads CA certificates from PEM files (a bundle may hold several). Only certificates that are CAs are kept:
 * a leaf certificate in this list would let whoever holds its key sign any printer's certificate. A file
 * that cannot be read is reported, not fatal; with no anchors every Bambu printer is reached by pinning.
 */
export function readTrustAnchors(files: readonly string[]): TrustAnchors {
  const anchors: string[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      problems.push(`${basename(file)}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      continue;
    }
    const blocks = text.match(PEM_BLOCK) ?? [];
    if (!blocks.length) problems.push(`${basename(file)}: no PEM certificate in it`);
    for (const pem of blocks) {
      try {
        const cert = new X509Certificate(pem);
        if (!cert.ca) problems.push(`${basename(file)}: ${cert.subject.replace(/\n/g, ', ')} is not a CA certificate`);
        else anchors.push(`${pem}\n`);
      } catch {
        problems.push(`${basename(file)}: a certificate in it cannot be parsed`);
      }
    }
  }
  return { anchors, problems };
}

/** The `.pem` files of a folder (the bundled `resources/bambu-ca`), none when it does not exist. */
export function pemFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.pem'))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** Where a user or packager adds CA files beyond the bundled folder: a list of paths, split like PATH. */
export const BAMBU_CA_ENV = 'APF_BAMBU_CA';

/** The bundled CA folder's certificates, and any files named in `APF_BAMBU_CA`. */
export function bambuTrustAnchors(bundledDir: string, env: Record<string, string | undefined>): TrustAnchors {
  const extra = (env[BAMBU_CA_ENV] ?? '').split(delimiter).filter((f) => f.trim().length > 0);
  return readTrustAnchors([...pemFilesIn(bundledDir), ...extra]);
}

/** The anchors a host starts with; files left out are said once, in the log. */
export function loadBambuAnchors(bundledDir: string, env: Record<string, string | undefined>, log: { warn(message: string): void }): string[] {
  const read = bambuTrustAnchors(bundledDir, env);
  for (const problem of read.problems) log.warn(`Bambu CA certificate left out: ${problem}`);
  return read.anchors;
}

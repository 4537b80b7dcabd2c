import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * The data folder holds the settings, the farm's database, printer credentials' envelopes and the print
 * library: nobody but the user should read them. Both hosts create it 0700 and its files 0600. A folder that
 * already exists with looser modes (an older version, or made by hand) is tightened, but only when it is the
 * user's own: a folder someone else owns is left as it is (chmod would fail there anyway).
 * Windows has no POSIX modes (its profile folders are private by ACL), so nothing is done there.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export function ensurePrivateDir(dir: string, platform: NodeJS.Platform = process.platform): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (platform !== 'win32') tighten(dir, PRIVATE_DIR_MODE);
}

/**
 * Makes sure `file` exists with mode 0600 before a library opens it with its own default (SQLite: 0644).
 * SQLite gives its -wal and -shm files the main file's mode, so they follow.
 */
export function ensurePrivateFile(file: string, platform: NodeJS.Platform = process.platform): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  if (platform !== 'win32') tighten(file, PRIVATE_FILE_MODE);
}

/** For a file another library creates with its own mode (conf, on its next write): tightened now if it exists. */
export function tightenPrivateFile(file: string, platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'win32' && existsSync(file)) tighten(file, PRIVATE_FILE_MODE);
}

function tighten(path: string, mode: number): void {
  const st = statSync(path);
  const ownedByUs = typeof process.getuid !== 'function' || st.uid === process.getuid();
  if (ownedByUs && (st.mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
}

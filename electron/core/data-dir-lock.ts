import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { AppError } from './errors';
import { currentProcess, processIsGone, type ProcessIdentity } from './instance-lock/process-liveness';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files';

export interface DataDirLock {
  release(): void;
}

interface Holder extends ProcessIdentity {
  host: 'desktop' | 'headless';
  startedAt: string;
}

/**
 * The lock is a folder (mkdir is atomic everywhere) whose mtime the holder refreshes; `apf.lock` says who holds
 * it, in the format older versions wrote their lock in, so an older version started on the folder still refuses.
 */
const LOCK_DIR = 'apf-instance.lock';
const HOLDER_FILE = 'apf.lock';
/** A lock not refreshed for this long belongs to a process that is gone or frozen, whatever its PID says now. */
export const LOCK_STALE_MS = 10_000;
const LOCK_UPDATE_MS = 2_000;

export interface LockOptions {
  /** How the holder's liveness is judged (tests); /proc on Linux, the PID elsewhere. */
  isGone?: (holder: ProcessIdentity) => boolean;
  staleMs?: number;
}

/**
 * One running app per data folder: two would open the same serial ports and write the same database.
 * proper-lockfile holds the lock (an atomic mkdir, kept fresh by its mtime), so a lock left by a crash is
 * stale within LOCK_STALE_MS even when its PID has been given to another process. A restart right after a
 * crash need not wait that long: a holder that is certainly gone (no such process, a zombie, exiting, or its
 * PID reused by a younger process) is taken over at once. Taking the lock is the first thing either host does
 * with the folder, so this is also where it is made private (0700).
 */
export function lockDataDir(dataDir: string, host: 'desktop' | 'headless', opts: LockOptions = {}): DataDirLock {
  ensurePrivateDir(dataDir);
  const lockPath = join(dataDir, LOCK_DIR);
  const holderPath = join(dataDir, HOLDER_FILE);
  const isGone = opts.isGone ?? ((h: ProcessIdentity) => processIsGone(h));
  const options = {
    lockfilePath: lockPath,
    realpath: false,
    stale: opts.staleMs ?? LOCK_STALE_MS,
    update: LOCK_UPDATE_MS,
    // The default throws from a timer, which would crash the app: a lock found late (the machine slept) is
    // taken again if nobody else has it.
    onCompromised: () => {
      try {
        release = lockfile.lockSync(dataDir, options);
      } catch {
        process.emitWarning(`The data folder lock ${lockPath} was lost and another process holds it now.`);
      }
    },
  };

  let release: () => void;
  try {
    release = lockfile.lockSync(dataDir, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    const holder = readHolder(holderPath);
    if (holder && !isGone(holder)) throw alreadyRunning(holder);
    // Fresh, but its holder is certainly gone: a crash moments ago.
    rmSync(lockPath, { recursive: true, force: true });
    try {
      release = lockfile.lockSync(dataDir, options);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw alreadyRunning(readHolder(holderPath));
      throw again;
    }
  }

  const me: Holder = { ...currentProcess(), host, startedAt: new Date().toISOString() };
  writeFileSync(holderPath, JSON.stringify(me), { mode: PRIVATE_FILE_MODE });
  return {
    release() {
      if (readHolder(holderPath)?.pid === me.pid) rmSync(holderPath, { force: true });
      try {
        release();
      } catch {
        // Already released, or lost while the machine slept: nothing of ours is left to remove.
      }
    },
  };
}

function alreadyRunning(holder: Holder | null): AppError {
  const what = holder ? `${holder.host === 'desktop' ? 'the desktop app' : '`apf serve`'}, process ${holder.pid}` : 'another process';
  return new AppError('conflict', `AutoPrintFarm is already running on this data folder (${what}). Stop it first, or use another folder with --data.`);
}

function readHolder(file: string): Holder | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    if (typeof v.pid !== 'number') return null;
    return {
      pid: v.pid,
      startTicks: typeof v.startTicks === 'number' ? v.startTicks : null,
      host: v.host === 'desktop' ? 'desktop' : 'headless',
      startedAt: String(v.startedAt ?? ''),
    };
  } catch {
    return null;
  }
}

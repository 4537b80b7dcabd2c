import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from './errors';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files';

export interface DataDirLock {
  release(): void;
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * One running app per data folder: two would open the same serial ports and write the same database.
 * A lock left by a process that no longer exists (a crash, kill -9) is taken over. Taking the lock is the first
 * thing either host does with the folder, so this is also where it is made private (0700).
 */
export function lockDataDir(dataDir: string, host: 'desktop' | 'headless', isAlive: (pid: number) => boolean = processIsAlive): DataDirLock {
  ensurePrivateDir(dataDir);
  const file = join(dataDir, 'apf.lock');
  const mine: LockInfo = { pid: process.pid, host, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: PRIVATE_FILE_MODE });
      return {
        release() {
          const current = readLock(file);
          if (current?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        const what = holder.host === 'desktop' ? 'the desktop app' : '`apf serve`';
        throw new AppError('conflict', `AutoPrintFarm is already running on this data folder (${what}, process ${holder.pid}). Stop it first, or use another folder with --data.`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new AppError('conflict', `Could not take the lock file ${file}. Remove it if no AutoPrintFarm is running.`);
}

function readLock(file: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    return typeof v.pid === 'number' ? (v as LockInfo) : null;
  } catch {
    return null;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

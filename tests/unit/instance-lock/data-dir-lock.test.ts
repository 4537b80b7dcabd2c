import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../../electron/core/data-dir-lock';
import { currentProcess, processIsGone, procStat } from '../../../electron/core/instance-lock/process-liveness';

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apf-lock-'));
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A lock as a crashed holder leaves it: the lock folder, its holder file, and a given age. */
function leaveLock(holder: { pid: number; startTicks: number | null; host?: string }, ageMs: number): void {
  mkdirSync(join(dir, 'apf-instance.lock'));
  writeFileSync(join(dir, 'apf.lock'), JSON.stringify({ host: 'headless', startedAt: '', ...holder }));
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(join(dir, 'apf-instance.lock'), t, t);
}

function sleeper(): ChildProcess {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

describe('the data folder lock', () => {
  it('refuses a second app on the same folder while the first runs, naming it', () => {
    const first = lockDataDir(dir, 'desktop');
    expect(() => lockDataDir(dir, 'headless')).toThrow(`already running on this data folder (the desktop app, process ${process.pid})`);
    first.release();
  });

  it('releases the folder on close so the next start succeeds, and leaves no lock behind', () => {
    lockDataDir(dir, 'headless').release();
    lockDataDir(dir, 'headless').release();
    expect(existsSync(join(dir, 'apf-instance.lock'))).toBe(false);
    expect(existsSync(join(dir, 'apf.lock'))).toBe(false);
  });

  it('takes over at once a fresh lock whose holder is gone (a crash a moment ago)', () => {
    leaveLock({ pid: 999_999, startTicks: null }, 0);
    lockDataDir(dir, 'headless').release();
  });

  it('is not blocked by a stale lock whose PID now belongs to another running process', () => {
    const other = sleeper(); // alive, and not AutoPrintFarm
    leaveLock({ pid: other.pid!, startTicks: null }, 60_000);
    // Liveness says "alive" here on purpose: the lock's age alone must be enough.
    const lock = lockDataDir(dir, 'headless', { isGone: () => false });
    expect(JSON.parse(readFileSync(join(dir, 'apf.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it.runIf(process.platform === 'linux')('takes over at once a fresh lock whose PID was reused by a younger process', () => {
    const other = sleeper();
    const stat = procStat(other.pid!)!;
    leaveLock({ pid: other.pid!, startTicks: stat.startTicks - 1 }, 0);
    lockDataDir(dir, 'headless').release();
  });

  it('still refuses a fresh lock whose holder is alive and the same process', () => {
    const other = sleeper();
    leaveLock({ pid: other.pid!, startTicks: procStat(other.pid!)?.startTicks ?? null }, 0);
    expect(() => lockDataDir(dir, 'headless')).toThrow(`already running on this data folder (\`apf serve\`, process ${other.pid})`);
  });
});

describe('whether a lock holder is gone', () => {
  it('this process is not', () => {
    expect(processIsGone(currentProcess())).toBe(false);
  });

  it('a zombie (killed, not yet reaped) and an exiting process are gone; a running one is not', () => {
    const stat =
      (state: string, flags = 0) =>
      () => ({ state, flags, startTicks: 7 });
    expect(processIsGone({ pid: 1, startTicks: 7 }, stat('Z'))).toBe(true);
    expect(processIsGone({ pid: 1, startTicks: 7 }, stat('R', 0x4))).toBe(true);
    expect(processIsGone({ pid: 1, startTicks: 7 }, stat('S', 0x400000))).toBe(false);
    expect(processIsGone({ pid: 1, startTicks: 8 }, stat('S'))).toBe(true);
    expect(processIsGone({ pid: 1, startTicks: 7 }, () => null)).toBe(true);
  });
});

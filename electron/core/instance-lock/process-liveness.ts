import { readFileSync } from 'node:fs';

/** Who held a lock: enough to tell, after a crash, whether that very process still runs. */
export interface ProcessIdentity {
  pid: number;
  /** When the process started, in clock ticks since boot (Linux /proc); null where the system does not say. */
  startTicks: number | null;
}

// Linux task flag set from the moment a process starts dying (kill -9) until it is reaped.
const PF_EXITING = 0x4;

/** This process, as a later start will look for it. */
export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, startTicks: procStat(process.pid)?.startTicks ?? null };
}

/**
 * Whether `who` certainly no longer runs. A process killed with -9 is not gone at once: it keeps its PID while
 * it exits and as a zombie until reaped, and `kill(pid, 0)` still succeeds then (what made a restart right after
 * a crash be refused). On Linux /proc says more: a zombie, a process already exiting, or a PID now used by a
 * process started at another time (a reused PID) are all gone. Elsewhere only a missing PID is; the lock's own
 * staleness covers the rest.
 */
export function processIsGone(who: ProcessIdentity, readStat: (pid: number) => ProcStat | null | undefined = procStat): boolean {
  const stat = readStat(who.pid);
  if (stat === null) return true; // /proc exists and has no such process
  if (stat !== undefined) {
    if (stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') return true;
    if ((stat.flags & PF_EXITING) !== 0) return true;
    if (who.startTicks !== null && stat.startTicks !== who.startTicks) return true;
    return false;
  }
  try {
    process.kill(who.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface ProcStat {
  state: string;
  flags: number;
  startTicks: number;
}

/** /proc/<pid>/stat: null when there is no such process, undefined where /proc is not there (not Linux). */
export function procStat(pid: number): ProcStat | null | undefined {
  if (process.platform !== 'linux') return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH' ? null : undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses: fields follow the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); flags is field 9, starttime field 22.
  const flags = Number(fields[6]);
  const startTicks = Number(fields[19]);
  if (!fields[0] || !Number.isFinite(flags) || !Number.isFinite(startTicks)) return undefined;
  return { state: fields[0], flags, startTicks };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

/**
 * The data-folder lock against the built `apf serve`: a second host on the same folder is refused and says
 * why; a restart right after kill -9 (the dead host may still be a zombie) is not; nor is one whose lock names
 * a PID that another process has taken since.
 */

const root = join(__dirname, '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'apf-lock-e2e-'));
const running: ChildProcess[] = [];

afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

type Outcome = { proc: ChildProcess; started: true } | { proc: ChildProcess; started: false; code: number | null; stderr: string };

/** Starts `apf serve` and resolves when it prints its URL or exits, whichever comes first. */
function serve(): Promise<Outcome> {
  const proc = spawn(process.execPath, [join(root, 'bin/apf.mjs'), 'serve', '--port', '0', '--data', dataDir], {
    env: { ...process.env, APF_TOKEN: 'lock-test-token-0123456789abcdef' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(proc);
  let stderr = '';
  let stdout = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const tooSlow = setTimeout(() => reject(new Error(`apf serve neither started nor exited within 60 s: ${stderr}`)), 60_000);
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/^APF_URL=/m.test(stdout)) {
        clearTimeout(tooSlow);
        resolve({ proc, started: true });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(tooSlow);
      resolve({ proc, started: false, code, stderr });
    });
  });
}

describe('the data-folder lock of apf serve', () => {
  it('refuses a second apf serve on the same folder with a message that names the first', async () => {
    const first = await serve();
    expect(first.started).toBe(true);
    const second = await serve();
    expect(second.started).toBe(false);
    if (second.started) return;
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`AutoPrintFarm is already running on this data folder (\`apf serve\`, process ${first.proc.pid})`);
  }, 120_000);

  it('lets a restart right after kill -9 start, without waiting for the dead host to be reaped, ten times over', async () => {
    let current = await serve();
    expect(current.started).toBe(true);
    for (let i = 0; i < 10; i++) {
      current.proc.kill('SIGKILL'); // and start again at once, not after its exit event
      current = await serve();
      expect(current.started ? 'started' : current.stderr).toBe('started');
    }
  }, 300_000);

  it('is not blocked by a lock whose PID another process has taken since the crash', async () => {
    const host = await serve();
    expect(host.started).toBe(true);
    await new Promise<void>((resolve) => {
      host.proc.once('exit', () => resolve());
      host.proc.kill('SIGKILL');
    });
    // The PID in the lock now belongs to an unrelated, running process.
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    running.push(stranger);
    const holderFile = join(dataDir, 'apf.lock');
    writeFileSync(holderFile, JSON.stringify({ ...JSON.parse(readFileSync(holderFile, 'utf8')), pid: stranger.pid }));
    const restarted = await serve();
    expect(restarted.started ? 'started' : restarted.stderr).toBe('started');
  }, 120_000);
});

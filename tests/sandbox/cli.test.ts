import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args';
import { call } from './test-support';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function runSandbox(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr, stdout })));
  const started = new Promise<{ url: string; adminKey: string | null }>((resolve, reject) => {
    child.stdout.on('data', () => {
      const url = /^APF_SANDBOX_URL=(\S+)$/m.exec(stdout)?.[1];
      if (url) resolve({ url, adminKey: /^APF_ADMIN_KEY=(\S+)$/m.exec(stdout)?.[1] ?? null });
    });
    void exited.then((r) => reject(new Error(`sandbox exited with ${r.code}: ${r.stderr}`)));
  });
  started.catch(() => {}); // callers that expect an early exit await `exited` instead
  return { child, started, exited };
}

describe('npm run sandbox', () => {
  it('prints the URL and the admin key once per database, serves, and exits 0 on SIGTERM and SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apf-sandbox-cli-'));
    dirs.push(dir);
    const db = join(dir, 'sandbox.db');

    const first = runSandbox(['--port', '0', '--db', db]);
    const { url, adminKey } = await first.started;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(adminKey).toMatch(/^apf_dev_[0-9a-f]{64}$/);
    expect((await call({ url }, adminKey, 'GET', '/auth/test')).status).toBe(200);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = runSandbox(['--port=0', `--db=${db}`, '--rate-limit', '5']);
    const again = await second.started;
    expect(again.adminKey).toBeNull();
    const res = await call({ url: again.url }, adminKey, 'GET', '/auth/test');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('5');
    second.child.kill('SIGINT');
    const done = await second.exited;
    expect(done.code).toBe(0);
    expect(done.stdout + done.stderr).not.toContain(adminKey!);
  });

  it('exits 2 with a clear message on a bad argument', async () => {
    const { exited } = runSandbox(['--port', 'eighty']);
    const result = await exited;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be a whole number from 0 to 65535, got "eighty"');
    expect(result.stderr).toContain('Usage:');
  });

  it('exits 1 saying so when the port is taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const result = await runSandbox(['--port', String(port)]).exited;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${port} is already in use`);
    } finally {
      holder.close();
    }
  });
});

describe('parseCliArgs', () => {
  it('defaults to port 8787, an in-memory database and 1000 requests per hour', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', options: { port: 8787, dbFile: ':memory:', rateLimitPerHour: 1000 } });
  });

  it('reads --flag value and --flag=value', () => {
    expect(parseCliArgs(['--port', '0', '--db=x.db', '--rate-limit=3'])).toEqual({
      kind: 'run',
      options: { port: 0, dbFile: 'x.db', rateLimitPerHour: 3 },
    });
  });

  it('refuses unknown flags, missing values and out-of-range numbers', () => {
    for (const argv of [
      ['--verbose'],
      ['8787'],
      ['--port'],
      ['--port', '--db', 'x'],
      ['--port', '65536'],
      ['--port', '-1'],
      ['--rate-limit', '0'],
      ['--rate-limit', '1.5'],
      ['--db', ''],
    ]) {
      expect(parseCliArgs(argv).kind, argv.join(' ')).toBe('error');
    }
  });
});

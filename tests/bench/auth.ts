/**
 * `npm run bench:auth`: how fast the sandbox checks an API key.
 *  - verify_p50_us / verify_p99_us: in-process latency of the request pipeline's key check (header parse,
 *    shape check, SHA-256, indexed SQLite lookup, expiry), one call at a time.
 *  - verify_unknown_p50_us: the same for a well-formed key the server never issued (should cost the same).
 *  - auth_req_per_s: authenticated GET /v1/auth/test over loopback against `npm run sandbox` in its own
 *    process, from concurrent keep-alive clients, for a few seconds.
 * Prints one JSON object per line.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { KeyStore } from '../sandbox/keys';
import { authenticate } from '../sandbox/pipeline';
import { openDatabase } from '../sandbox/store';

const VERIFY_ITERATIONS = 50_000;
const HTTP_CONCURRENCY = 16;
const HTTP_WARMUP_MS = 500;
const HTTP_MEASURE_MS = 3_000;

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(JSON.stringify({ bench: 'auth', metric, value, unit, ...extra }) + '\n');
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function timeVerify(keys: KeyStore, header: string, expectValid: boolean): Float64Array {
  const lines = [header];
  for (let i = 0; i < 5_000; i++) authenticate(keys, lines); // warm up the JIT and SQLite's page cache
  const samples = new Float64Array(VERIFY_ITERATIONS);
  for (let i = 0; i < VERIFY_ITERATIONS; i++) {
    const t0 = process.hrtime.bigint();
    const who = authenticate(keys, lines);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if ((who !== null) !== expectValid) throw new Error('verification gave the wrong answer during the benchmark');
  }
  return samples.sort();
}

function benchVerify(): void {
  const db = openDatabase(':memory:');
  const keys = new KeyStore(db, Date.now);
  // A realistic table: the key we test among a few hundred others.
  for (let i = 0; i < 300; i++) keys.mint({ name: `k${i}`, scopes: ['printers:read'], prefix: 'apf_live_' });
  const { key } = keys.mint({ name: 'bench', scopes: ['admin:*'], prefix: 'apf_live_' });

  const valid = timeVerify(keys, `Bearer ${key}`, true);
  emit('verify_p50_us', round2(percentile(valid, 50)), 'us', { iterations: VERIFY_ITERATIONS });
  emit('verify_p99_us', round2(percentile(valid, 99)), 'us', { iterations: VERIFY_ITERATIONS });
  const unknown = timeVerify(keys, `Bearer apf_live_${'0'.repeat(64)}`, false);
  emit('verify_unknown_p50_us', round2(percentile(unknown, 50)), 'us', { iterations: VERIFY_ITERATIONS });
  db.close();
}

async function startSandboxProcess() {
  const main = fileURLToPath(new URL('../sandbox/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--rate-limit', '999999999'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const started = await new Promise<{ url: string; key: string }>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const url = /^APF_SANDBOX_URL=(\S+)$/m.exec(out)?.[1];
      const key = /^APF_ADMIN_KEY=(\S+)$/m.exec(out)?.[1];
      if (url && key) resolve({ url, key });
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited early with code ${code}: ${err}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { ...started, stop };
}

async function benchHttp(): Promise<void> {
  const sandbox = await startSandboxProcess();
  const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONCURRENCY });
  const target = new URL(sandbox.url + '/auth/test');
  const headers = { Authorization: `Bearer ${sandbox.key}` };
  let ok = 0;
  let failed = 0;
  let counting = false;
  let stopAt = Date.now() + HTTP_WARMUP_MS + HTTP_MEASURE_MS;

  const once = () =>
    new Promise<void>((resolve) => {
      const req = request(target, { agent, headers }, (res) => {
        res.resume();
        res.once('end', () => {
          if (counting) {
            if (res.statusCode === 200) ok++;
            else failed++;
          }
          resolve();
        });
      });
      req.once('error', () => {
        if (counting) failed++;
        resolve();
      });
      req.end();
    });

  const client = async () => {
    while (Date.now() < stopAt) await once();
  };
  const clients = Array.from({ length: HTTP_CONCURRENCY }, client);
  await new Promise((r) => setTimeout(r, HTTP_WARMUP_MS));
  counting = true;
  const t0 = process.hrtime.bigint();
  stopAt = Date.now() + HTTP_MEASURE_MS;
  await Promise.all(clients);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  await sandbox.stop();

  emit('auth_req_per_s', Math.round(ok / seconds), 'req/s', {
    concurrency: HTTP_CONCURRENCY,
    duration_s: round2(seconds),
    requests: ok,
    non_200: failed,
  });
}

benchVerify();
await benchHttp();

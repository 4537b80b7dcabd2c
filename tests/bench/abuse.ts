/**
 * `npm run bench:abuse`: what hostile or clumsy clients cost the built `apf serve`, measured in real time
 * against the real process (Linux: RSS is read from /proc). One JSON object per line:
 *   rss_growth_unread_replies_100k   server RSS growth (peak over the attack) while one client sends 100 000
 *                                    requests and reads none of the replies. Target < 64 MB.
 *   rss_after_unread_client_left     server RSS growth once that client has gone (what is not given back).
 *   rss_growth_upload_200mib_unawaited  server RSS growth (peak) while one client sends a 200 MiB upload's
 *                                    chunks (of the size uploadBegin names) without waiting for any reply. Target < 64 MB.
 *   rss_after_upload_client_left     the same once that client has gone.
 *   call_p95_ms_500_clients          95th percentile of a call's round trip with 500 clients connected, all
 *                                    calling at once, 5 rounds. Target < 200 ms.
 *   restart_after_kill9_ms_p50/max   from kill -9 of a running host to the new one printing its URL, started at
 *                                    once (the dead one not yet reaped). Target < 2000 ms.
 * Needs `npm run build` first. Bounded to about two minutes. `-- --only upload` (or unread, clients, restart) runs one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { wsText } from '../../electron/core/rpc/ws-text';
import { exchangeStartLink } from '../support/session';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'abuse-bench-token-0123456789abcdef';
const dataDir = mkdtempSync(join(tmpdir(), 'apf-bench-abuse-'));
const MB = 1024 * 1024;
let cookie = '';

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench: 'abuse', metric, value: Math.round(value * 10) / 10, unit, ...extra })}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Host {
  proc: ChildProcess;
  port: number;
  /** The admin session from the start link (it works once): every bench client shares it. */
  cookie: string;
}

function startHost(): Promise<Host> {
  const proc = spawn(process.execPath, [join(root, 'bin/apf.mjs'), 'serve', '--port', '0', '--data', dataDir], {
    env: { ...process.env, APF_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    const tooSlow = setTimeout(() => reject(new Error(`apf serve did not start in 30 s: ${stderr}`)), 30_000);
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^APF_URL=http:\/\/[^:]+:(\d+)\//m.exec(out);
      if (m) {
        clearTimeout(tooSlow);
        const port = Number(m[1]);
        exchangeStartLink(`http://127.0.0.1:${port}/?token=${TOKEN}`).then((session) => {
          cookie = session.header;
          resolve({ proc, port, cookie });
        }, reject);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(tooSlow);
      reject(new Error(`apf serve exited with ${code}: ${stderr}`));
    });
  });
}

function kill9(proc: ChildProcess): void {
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Samples the host's RSS every 50 ms while `work` runs; resolves with the peak. */
async function peakRss(pid: number, work: () => Promise<void>): Promise<number> {
  let peak = rssBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 50);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssBytes(pid));
}

function open(port: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, { headers: { Cookie: cookie } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A client that keeps its own replies by id. */
function caller(ws: WebSocket) {
  let next = 1;
  const waiting = new Map<number, (msg: { result?: unknown; error?: { data?: { code?: string } } }) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(wsText(data)) as { id?: number; result?: unknown; error?: { data?: { code?: string } } };
    if (typeof msg.id === 'number') {
      waiting.get(msg.id)?.(msg);
      waiting.delete(msg.id);
    }
  });
  return (method: string, params?: unknown) =>
    new Promise<{ result?: unknown; error?: { data?: { code?: string } } }>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
}

async function settledRss(pid: number): Promise<number> {
  await sleep(1000);
  return rssBytes(pid);
}

async function unreadReplies(host: Host): Promise<void> {
  const pid = host.proc.pid!;
  const before = await settledRss(pid);
  const ws = await open(host.port);
  ws.pause(); // reads nothing from now on
  const peak = await peakRss(pid, async () => {
    for (let id = 1; id <= 100_000; id++) {
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'printers.list' }));
      if (id % 5000 === 0) await sleep(0);
    }
    // Give the host every chance to take in what it will: until the client's send buffer stops draining.
    let last = -1;
    for (let i = 0; i < 40 && ws.bufferedAmount !== last; i++) {
      last = ws.bufferedAmount;
      await sleep(250);
    }
  });
  const stuckOnClient = ws.bufferedAmount;
  ws.terminate();
  const after = await settledRss(pid);
  emit('rss_growth_unread_replies_100k', (peak - before) / MB, 'MB', { target: '< 64', requests_left_unsent_by_backpressure_bytes: stuckOnClient });
  emit('rss_after_unread_client_left', (after - before) / MB, 'MB');
}

async function uploadWithoutWaiting(host: Host): Promise<void> {
  const pid = host.proc.pid!;
  const before = await settledRss(pid);
  const ws = await open(host.port);
  const call = caller(ws);
  const sizeBytes = 200 * MB;
  const begin = await call('library.uploadBegin', { name: 'flood.gcode', sizeBytes });
  // The host says how large a chunk may be.
  const { uploadId, chunkBytes } = begin.result as { uploadId: string; chunkBytes: number };
  const chunks = Math.ceil(sizeBytes / chunkBytes);
  const base64 = Buffer.alloc(chunkBytes, 0x47).toString('base64');
  let accepted = 0;
  let refused = 0;
  const peak = await peakRss(pid, async () => {
    const replies: Promise<unknown>[] = [];
    for (let i = 0; i < chunks; i++) {
      replies.push(call('library.uploadChunk', { uploadId, offset: i * chunkBytes, base64 }).then((r) => (r.result ? accepted++ : refused++)));
      if (i % 20 === 0) await sleep(0);
    }
    await Promise.all(replies);
  });
  ws.terminate();
  const after = await settledRss(pid);
  emit('rss_growth_upload_200mib_unawaited', (peak - before) / MB, 'MB', { target: '< 64', chunk_bytes: chunkBytes, chunks_accepted: accepted, chunks_refused: refused });
  emit('rss_after_upload_client_left', (after - before) / MB, 'MB');
}

async function manyClients(host: Host): Promise<void> {
  const clients: WebSocket[] = [];
  for (let i = 0; i < 500; i += 50) clients.push(...(await Promise.all(Array.from({ length: 50 }, () => open(host.port)))));
  const calls = clients.map(caller);
  const times: number[] = [];
  let failed = 0;
  for (let round = 0; round < 5; round++) {
    await Promise.all(
      calls.map(async (call) => {
        const t0 = performance.now();
        const reply = await call('printers.list');
        times.push(performance.now() - t0);
        if (!reply.result) failed++;
      }),
    );
  }
  for (const ws of clients) ws.terminate();
  times.sort((a, b) => a - b);
  emit('call_p95_ms_500_clients', times[Math.floor(times.length * 0.95)]!, 'ms', {
    target: '< 200',
    calls: times.length,
    failed,
    p50: Math.round(times[Math.floor(times.length / 2)]!),
  });
}

async function restartAfterKill9(first: Host): Promise<void> {
  let host = first;
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    kill9(host.proc); // and start again at once, without waiting for its exit
    host = await startHost();
    times.push(performance.now() - t0);
    await sleep(500);
  }
  kill9(host.proc);
  times.sort((a, b) => a - b);
  emit('restart_after_kill9_ms_p50', times[Math.floor(times.length / 2)]!, 'ms', { target: '< 2000', runs: times.length });
  emit('restart_after_kill9_ms_max', times.at(-1)!, 'ms', { target: '< 2000' });
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const wanted = (name: string) => only === undefined || only === name;

async function main(): Promise<void> {
  const host = await startHost();
  try {
    if (wanted('unread')) await unreadReplies(host);
    if (wanted('upload')) await uploadWithoutWaiting(host);
    if (wanted('clients')) await manyClients(host);
    if (wanted('restart')) await restartAfterKill9(host);
  } finally {
    kill9(host.proc);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:abuse failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);

/**
 * The attack: someone reads back the secrets this app was given, from wherever they may have landed: the data
 * folder on disk (settings, SQLite database and its -wal/-shm, library, uploads), the logs on stdout/stderr, what
 * the renderer (any browser tab with a session) receives over the WebSocket, or `ps` (/proc/<pid>/cmdline, which
 * every user of the computer can read). Also: another user of the computer reading the data folder itself.
 *
 * Known secrets are planted the ways a user gives them: the cloud API key through AUTOPRINTFARM_API_KEY, a
 * printer key through `apf printer add --key-file -` (stdin, stored in plaintext by choice), another printer key
 * through the `printers.add` RPC (no keyring in apf: kept for the session), a pasted key in the setup wizard, and
 * one on the command line (refused). Then a realistic run on the built bundle: `apf printer add`, `apf serve` as a
 * child process, RPC over its WebSocket (printers signing in, an upload, a queued job), and a stop.
 *
 * Needs `npm run build` first (it runs dist/headless/apf.mjs, the program users run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryFileView } from '../../../electron/core/contract/jobs-types';
import type { PrinterView } from '../../../electron/core/contract';
import { UPLOAD_CHUNK_BYTES } from '../../../electron/core/jobs';
import { startOctoPrintPeer, type OctoPrintPeer } from '../../peers/octoprint-peer';
import { RpcClient } from '../../support/rpc-client';
import { exchangeStartLink } from '../../support/session';

const root = join(__dirname, '../../..');
const BUNDLE = join(root, 'dist/headless/apf.mjs');
const FIXTURE_GCODE = readFileSync(join(root, 'tests/fixtures/gcode/prusaslicer.gcode'));
const hex = (n: number) => randomBytes(n).toString('hex');

/** The planted secrets. Random, so a hit can only be a leak. */
const S = {
  apiKey: `apf_live_${hex(28)}`,
  pastedKey: `apf_test_${hex(28)}`,
  /** Stored in plaintext because the user chose so (--store-plaintext): allowed in config.json, labelled, and nowhere else. */
  plaintextPrinterKey: `PLAINKEY${hex(16)}`,
  /** Given over RPC without a plaintext choice: memory only. */
  rpcPrinterKey: `RPCKEY${hex(16)}`,
  /** Given as a flag value: refused, and never repeated. */
  refusedFlagKey: `ARGVKEY${hex(16)}`,
};
const TOKEN = `session-${hex(16)}`;

/** The forms a leak may take: the secret itself, base64 of it (the old "weak protection"), and a long piece of it. */
function leakForms(secret: string): string[] {
  const middle = secret.slice(4, -4);
  return [secret, Buffer.from(secret).toString('base64').replace(/=+$/, ''), Buffer.from(secret).toString('base64url').replace(/=+$/, ''), middle];
}
function leaksIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => leakForms(s).some((form) => text.includes(form)));
}

interface FileSeen {
  path: string;
  mode: number;
  dir: boolean;
  text: string;
}
function walk(dir: string): FileSeen[] {
  const out: FileSeen[] = [];
  const visit = (p: string) => {
    const st = statSync(p);
    out.push({ path: relative(dataDir, p) || '.', mode: st.mode & 0o777, dir: st.isDirectory(), text: st.isDirectory() ? '' : readFileSync(p).toString('latin1') });
    if (st.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
  };
  visit(dir);
  return out;
}

const cmdline = (pid: number | undefined) => (pid && existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ') : '');

function run(args: string[], opts: { env?: Record<string, string>; stdin?: string }) {
  const proc = spawn(process.execPath, [BUNDLE, ...args], { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const seenCmdline = cmdline(proc.pid);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  if (opts.stdin !== undefined) proc.stdin.end(opts.stdin);
  else proc.stdin.end();
  return new Promise<{ code: number | null; stdout: string; stderr: string; cmdline: string }>((resolve) =>
    proc.once('exit', (code) => resolve({ code, stdout, stderr, cmdline: seenCmdline })),
  );
}

let dataDir: string;
let octoPlain: OctoPrintPeer;
let octoRpc: OctoPrintPeer;
let serve: ChildProcess | null = null;
/** Everything captured: process outputs (logs), what the WebSocket client received, /proc cmdlines, the data folder. */
const logs: string[] = [];
const cmdlines: string[] = [];
let rendererSaw = '';
let filesWhileServing: FileSeen[] = [];
let filesAfterStop: FileSeen[] = [];
let refused: { code: number | null; stdout: string; stderr: string } | null = null;

async function call<T>(c: RpcClient, method: string, params?: unknown): Promise<T> {
  const reply = await c.request(method, params);
  if (reply.error) throw new Error(`${method}: ${reply.error.data?.message ?? reply.error.message}`);
  return reply.result as T;
}
async function until<T>(what: string, probe: () => Promise<T | null | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first (this test runs the program users run).`);
  dataDir = mkdtempSync(join(tmpdir(), 'apf-secrets-scan-'));
  octoPlain = await startOctoPrintPeer({ apiKey: S.plaintextPrinterKey });
  octoRpc = await startOctoPrintPeer({ apiKey: S.rpcPrinterKey });

  // 1. A secret on the command line is refused, without being repeated.
  refused = await run(['printer', 'add', '--kind', 'octoprint', '--url', octoPlain.url, '--key', S.refusedFlagKey, '--store-plaintext', '--data', dataDir], {});
  logs.push(refused.stdout, refused.stderr);

  // 2. A printer key through standard input, stored in plaintext by the user's explicit choice.
  const added = await run(['printer', 'add', '--kind', 'octoprint', '--url', octoPlain.url, '--name', 'Plain', '--key-file', '-', '--store-plaintext', '--data', dataDir], {
    stdin: `${S.plaintextPrinterKey}\n`,
  });
  logs.push(added.stdout, added.stderr);
  cmdlines.push(added.cmdline);
  if (added.code !== 0) throw new Error(`apf printer add failed: ${added.stderr}`);

  // 3. apf serve with the cloud key in its environment (the cloud itself unreachable: its errors must not carry the key).
  const proc = spawn(process.execPath, [BUNDLE, 'serve', '--port', '0', '--data', dataDir], {
    env: { ...process.env, AUTOPRINTFARM_API_KEY: S.apiKey, AUTOPRINTFARM_API_URL: 'http://127.0.0.1:9', APF_TOKEN: TOKEN, APF_VIRTUAL_SPEED: '50' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serve = proc;
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = await until('apf serve to print its address', async () => /^APF_URL=(\S+)$/m.exec(out)?.[1] ?? null, 60_000);
  cmdlines.push(cmdline(proc.pid));

  const port = new URL(url).port;
  // The start link works once: exchanged for the admin session cookie, as a browser opening it would.
  const client = await RpcClient.open(`ws://127.0.0.1:${port}/rpc`, { Cookie: (await exchangeStartLink(url)).header });
  const replies: unknown[] = [];
  const keep = async (method: string, params?: unknown) => {
    const reply = await client.request(method, params);
    replies.push(reply);
    return reply;
  };
  await keep('app.info');
  await keep('keys.status');
  // The setup wizard checks a pasted key against the (unreachable) cloud: the failure must not repeat it.
  await keep('keys.setup.check', { key: S.pastedKey });
  await keep('keys.setup.cancel');
  // A printer key over RPC; apf has no keyring, so it is kept for the session.
  const addReply = await keep('printers.add', { kind: 'octoprint', name: 'Rpc', url: octoRpc.url, secret: S.rpcPrinterKey });
  expect(addReply).toMatchObject({ result: { credential: { protection: 'session-only' } } });
  await until('both printers to sign in', async () => {
    const list = (await call<PrinterView[]>(client, 'printers.list')).filter((p) => p.kind === 'octoprint');
    return list.length === 2 && list.every((p) => p.status.state.kind === 'idle');
  });
  // An upload into the library, and a queued job that a printer takes (signing in with its key to upload it).
  const { uploadId } = await call<{ uploadId: string }>(client, 'library.uploadBegin', { name: 'part.gcode', sizeBytes: FIXTURE_GCODE.length });
  for (let off = 0; off < FIXTURE_GCODE.length; off += UPLOAD_CHUNK_BYTES) {
    await call(client, 'library.uploadChunk', { uploadId, offset: off, base64: FIXTURE_GCODE.subarray(off, off + UPLOAD_CHUNK_BYTES).toString('base64') });
  }
  const { file } = await call<{ file: LibraryFileView }>(client, 'library.uploadEnd', { uploadId });
  await until('the upload to be analyzed', async () => (await call<LibraryFileView>(client, 'library.get', { sha256: file.sha256 })).status === 'ready');
  await keep('jobs.enqueue', { fileSha256: file.sha256, copies: 1 });
  await keep('jobs.list');
  await keep('printers.list');
  await keep('keys.status');
  await new Promise((r) => setTimeout(r, 1500));
  filesWhileServing = walk(dataDir);
  rendererSaw = JSON.stringify(replies) + JSON.stringify(client.notifications);
  client.ws.close();

  proc.kill('SIGTERM');
  await exited;
  serve = null;
  logs.push(out, err);
  filesAfterStop = walk(dataDir);
}, 120_000);

afterAll(async () => {
  serve?.kill('SIGKILL');
  await Promise.all([octoPlain?.close(), octoRpc?.close()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const ALL = Object.values(S);
const NEVER_ON_DISK = [S.apiKey, S.pastedKey, S.rpcPrinterKey, S.refusedFlagKey];

describe('attack: reading back planted secrets from disk, logs, the renderer and ps', () => {
  it('ran the realistic flow: the refused flag, the piped key that signs in, the RPC key, an upload and a job', () => {
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('--key is no longer accepted') });
    expect(filesAfterStop.map((f) => f.path)).toEqual(expect.arrayContaining(['config.json', 'autoprintfarm.db', expect.stringMatching(/^files\/[0-9a-f]{64}/)]));
    // The renderer is told how each printer's key is kept (never the key): plaintext by choice, session-only.
    expect(rendererSaw.includes('"credentialStorage":"plaintext"') && rendererSaw.includes('"credentialStorage":"session-only"')).toBe(true);
  });

  it('no file in the data folder holds a secret in clear, except the one chosen to be plaintext, which is labelled so', () => {
    for (const files of [filesWhileServing, filesAfterStop]) {
      for (const f of files) {
        if (f.dir) continue;
        expect({ file: f.path, leaks: leaksIn(f.text, NEVER_ON_DISK) }).toEqual({ file: f.path, leaks: [] });
        const plaintextHits = leaksIn(f.text, [S.plaintextPrinterKey]);
        if (plaintextHits.length === 0) continue;
        // Only the settings file, only as a labelled plaintext blob, and only as itself (never base64 dressed up).
        expect(f.path).toBe('config.json');
        const occurrences = f.text.split(S.plaintextPrinterKey).length - 1;
        expect(f.text.split(`"v1:plaintext:${S.plaintextPrinterKey}"`).length - 1).toBe(occurrences);
        expect(f.text).not.toContain(Buffer.from(S.plaintextPrinterKey).toString('base64').replace(/=+$/, ''));
      }
    }
    expect(filesAfterStop.find((f) => f.path === 'config.json')?.text).toContain(`"v1:plaintext:${S.plaintextPrinterKey}"`);
  });

  it('no log line (stdout or stderr of apf printer add and apf serve) holds a secret', () => {
    expect(leaksIn(logs.join('\n'), ALL)).toEqual([]);
  });

  it('nothing the renderer received (replies and events on the WebSocket) holds a secret, the plaintext one included', () => {
    expect(rendererSaw.length).toBeGreaterThan(1000);
    expect(leaksIn(rendererSaw, ALL)).toEqual([]);
  });

  it.runIf(existsSync('/proc/self/cmdline'))('no secret shows in ps: the command lines of apf printer add and apf serve', () => {
    expect(cmdlines.every((c) => c.includes('apf.mjs'))).toBe(true);
    expect(leaksIn(cmdlines.join('\n'), ALL)).toEqual([]);
  });

  it.runIf(process.platform !== 'win32')('the data folder is 0700 and everything in it 0600 (folders 0700), while serving and after', () => {
    for (const files of [filesWhileServing, filesAfterStop]) {
      const loose = files.filter((f) => f.mode !== (f.dir ? 0o700 : 0o600)).map((f) => `${f.path} ${f.mode.toString(8)}`);
      expect(loose).toEqual([]);
    }
    // The run did write what a farm writes: settings, database (with its WAL while open), library, the lock.
    const names = filesWhileServing.map((f) => f.path);
    expect(names).toEqual(expect.arrayContaining(['config.json', 'autoprintfarm.db', 'autoprintfarm.db-wal', 'files', 'files/incoming']));
  });
});

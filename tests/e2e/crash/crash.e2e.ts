import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FarmProfile, HistoryEntry, JobState, JobView } from '../../../electron/core/contract/jobs-types';
import { RpcClient } from '../../support/rpc-client';
import { exchangeStartLink } from '../../support/session';

/**
 * kill -9 during a busy dispatch, 50 times. Four fast virtual printers (1000× speed, prints well under a second)
 * work through a queue that grows on every run. After each restart: every job whose enqueue was
 * acknowledged exists, no job ends twice or runs again after it ended, and a print that was running at the
 * kill shows as interrupted.
 */

const root = join(__dirname, '../../..');
const FIXTURE = join(root, 'tests/fixtures/gcode/prusaslicer.gcode');
const TOKEN = 'crash-test-token-0123456789abcdef';
const KILLS = Number(process.env.APF_CRASH_KILLS ?? 50);

const dataDir = mkdtempSync(join(tmpdir(), 'apf-crash-'));
let child: ChildProcess | null = null;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** A seeded generator, so a failing run can be replayed with the same kill points. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function startHost(): Promise<{ proc: ChildProcess; rpc: RpcClient }> {
  const proc = spawn(process.execPath, [join(root, 'bin/apf.mjs'), 'serve', '--port', '0', '--data', dataDir], {
    env: { ...process.env, APF_TOKEN: TOKEN, APF_VIRTUAL_SPEED: '1000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  const stderr: string[] = [];
  proc.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const tooSlow = setTimeout(() => reject(new Error(`apf serve did not start within 60 s: ${stderr.join('')}`)), 60_000);
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^APF_URL=(\S+)$/m.exec(out);
      if (m) {
        clearTimeout(tooSlow);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`apf serve exited with ${code}: ${stderr.join('')}`)));
  });
  const port = new URL(url).port;
  // Each start accepts its start link once: this run's admin session.
  const rpc = await RpcClient.open(`ws://127.0.0.1:${port}/rpc`, { Cookie: (await exchangeStartLink(url)).header });
  return { proc, rpc };
}

async function call<T>(rpc: RpcClient, method: string, params?: unknown): Promise<T> {
  const out = await rpc.request(method, params);
  if (out.error) throw new Error(`${method}: ${out.error.data?.message ?? out.error.message}`);
  return out.result as T;
}

function kill9(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

const ACTIVE: readonly JobState[] = ['starting', 'printing', 'paused'];
const FINISHED: readonly JobState[] = ['completed', 'failed', 'cancelled', 'interrupted'];

describe('the queue survives kill -9', () => {
  it(`loses no job, runs none twice and marks running prints interrupted across ${KILLS} kills`, { timeout: 900_000 }, async () => {
    if (!existsSync(join(root, 'dist/headless/apf.mjs'))) throw new Error('The app is not built: run `npm run build` first.');
    const random = rng(Number(process.env.APF_CRASH_SEED ?? 20261127));
    const acknowledged = new Set<string>();
    /** The last state each job was seen in, from events (sent only after the state was committed). */
    const lastSeen = new Map<string, JobState>();
    let interruptedAtKill = 0;

    // First run: four printers that clear their own beds, a file, and a queue.
    let host = await startHost();
    for (const name of ['Crash 2', 'Crash 3', 'Crash 4']) await call(host.rpc, 'printers.addVirtual', { name });
    await call(host.rpc, 'jobs.updateSettings', { maxConcurrentStarts: 3 });
    const bytes = readFileSync(FIXTURE);
    const { uploadId } = await call<{ uploadId: string }>(host.rpc, 'library.uploadBegin', { name: 'crash.gcode', sizeBytes: bytes.length });
    await call(host.rpc, 'library.uploadChunk', { uploadId, offset: 0, base64: bytes.toString('base64') });
    const { file } = await call<{ file: { sha256: string } }>(host.rpc, 'library.uploadEnd', { uploadId });
    while ((await call<{ status: string }>(host.rpc, 'library.get', { sha256: file.sha256 })).status !== 'ready') {
      await host.rpc.waitFor((n) => n.method === 'library.updated', 5000).catch(() => undefined);
      host.rpc.notifications.length = 0;
    }
    const printers = await call<{ id: string }[]>(host.rpc, 'printers.list');
    for (const p of printers) await call(host.rpc, 'jobs.updateProfile', { printerId: p.id, autoEject: true });

    for (let run = 0; run <= KILLS; run++) {
      if (run > 0) host = await startHost();
      if (process.env.APF_CRASH_DEBUG || run % 10 === 0) console.error(`run ${run} at ${Date.now() % 1_000_000} jobs ${acknowledged.size}`);
      const { rpc } = host;
      // --- what the restarted host must show
      const jobs = await call<JobView[]>(rpc, 'jobs.list', { finishedLimit: 1000 });
      const byId = new Map(jobs.map((j) => [j.id, j]));
      for (const id of acknowledged) expect(byId.has(id), `job ${id} was lost`).toBe(true);
      for (const [id, before] of lastSeen) {
        const now = byId.get(id);
        if (!now) continue;
        if (FINISHED.includes(before)) expect(now.state, `job ${id} ended ${before} and is now ${now.state}`).toBe(before);
        if (ACTIVE.includes(before)) {
          // It was running when the host died: it cannot be queued or running again, only ended.
          expect(FINISHED, `job ${id} was ${before} at the kill and is now ${now.state}`).toContain(now.state);
          if (now.state === 'interrupted') interruptedAtKill++;
        }
      }
      const history = await call<HistoryEntry[]>(rpc, 'history.list', { limit: 1000 });
      const ended = history.map((h) => h.jobId);
      expect(new Set(ended).size, 'a job was recorded as ended twice').toBe(ended.length);
      for (const h of history) expect(byId.get(h.jobId)?.state).toBe(h.outcome);
      for (const j of jobs) lastSeen.set(j.id, j.state);
      if (run === KILLS) {
        rpc.close();
        await kill9(host.proc);
        break;
      }

      // --- keep the farm busy: clear beds, add work, and watch states until the kill
      rpc.notifications.length = 0;
      const onEvent = () => {
        for (const n of rpc.notifications.splice(0)) {
          if (n.method === 'jobs.updated') for (const j of (n.params as { jobs: JobView[] }).jobs) lastSeen.set(j.id, j.state);
        }
      };
      rpc.ws.on('message', onEvent);
      for (const p of await call<FarmProfile[]>(rpc, 'jobs.profiles')) {
        if (p.bed === 'needs_clear') await call(rpc, 'jobs.confirmBedClear', { printerId: p.printerId }).catch(() => undefined);
      }
      const killAt = Date.now() + 200 + Math.floor(random() * 1300);
      const enqueues = (async () => {
        while (Date.now() < killAt) {
          try {
            const made = await call<JobView[]>(rpc, 'jobs.enqueue', { fileSha256: file.sha256, copies: 1 + Math.floor(random() * 3) });
            for (const j of made) {
              acknowledged.add(j.id);
              if (!lastSeen.has(j.id)) lastSeen.set(j.id, j.state);
            }
          } catch {
            return; // the host is gone
          }
          await new Promise((r) => setTimeout(r, 100 + random() * 200));
        }
      })();
      await new Promise((r) => setTimeout(r, Math.max(0, killAt - Date.now())));
      await kill9(host.proc);
      onEvent();
      await enqueues;
      rpc.close();
    }
    const finalJobs = await (async () => {
      host = await startHost();
      const out = await call<JobView[]>(host.rpc, 'jobs.list', { finishedLimit: 1000 });
      host.rpc.close();
      await kill9(host.proc);
      return out;
    })();
    const completed = finalJobs.filter((j) => j.state === 'completed').length;
    console.log(JSON.stringify({ kills: KILLS, jobs: acknowledged.size, completed, interruptedAtKill }));
    expect(completed).toBeGreaterThan(0);
    expect(interruptedAtKill).toBeGreaterThan(0);
  });
});

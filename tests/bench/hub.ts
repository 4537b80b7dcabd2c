/**
 * Hub benchmark (issue 11 item 6): one hub with 200 virtual printers, in this process on the real core (the
 * hub runtime, its socket, throttle and outbox are the app's own), linked to the sandbox cloud running as its own
 * process behind a TCP proxy. Every figure is wall-clock time (Date.now, the same clock in both processes);
 * virtual printers run at real speed. Prints one JSON object per line:
 *   status_p95_ms           a printer's change of state (disconnected → offline, connected → idle), from the
 *                           moment the hub's core announces it until the sandbox has applied the printer_status.
 *                           Target < 2000 ms.
 *   status_any_p95_ms       the same for a change that is not a change of state (a heater target): the contract
 *                           paces those to one report per printer per 5 s, so this is bounded by 5000 by design.
 *   cloud_start_p95_ms      POST /jobs/:id/start in the cloud until the sandbox has the printer's printer_status
 *                           `printing` (the file was downloaded once before, by a warm-up job). Target < 5000 ms.
 *   outbox_replay_10k_s     10 000 job_events queued in the hub's outbox while the network was cut, from the
 *                           hub's reconnect until the last one is acknowledged and deleted. Target < 10 s.
 *   hub_cpu_pct_200         CPU of this process (process.cpuUsage) over 10 s with the 200 printers idle and
 *                           connected and the hub linked and connected, as % of one core. Target < 5. It includes
 *                           simulating the 200 printers; fleet_cpu_pct_200 is the same window before the hub was
 *                           linked, so the hub's own share is the difference (hub_share_cpu_pct_200).
 *
 * Needs nothing built (it imports the core). Bounded to about two minutes. APF_BENCH_PRINTERS changes the count.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CAPABILITIES, type MethodName } from '../../electron/core/contract';
import type { HubStatusView } from '../../electron/core/contract/hub-types';
import { createCore, type Core } from '../../electron/core/core';
import { createMemorySettingsStore } from '../../electron/core/ports/settings-store';
import { createDefaultDriverFactory } from '../../electron/core/printers/default-drivers';
import { TcpProxy } from '../support/tcp-proxy';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const COUNT = Number(process.env.APF_BENCH_PRINTERS ?? 200);
const FIXTURE = join(root, 'tests/fixtures/gcode/prusaslicer.gcode');

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench: 'hub', metric, value: Math.round(value * 100) / 100, unit, ...extra })}\n`);
}
const say = (line: string) => process.stderr.write(`[bench:hub] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface HubMsg {
  at: number;
  type: string;
  printer_id?: string;
  status?: string;
  job_id?: string;
}

/** The sandbox as a child process, with every applied hub message traced to us. */
async function startSandbox(dbFile: string): Promise<{ child: ChildProcess; url: string; key: string; messages: HubMsg[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/soak/sandbox-child.ts'), '--db', dbFile, '--make-key', '--trace'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const messages: HubMsg[] = [];
  let buffered = '';
  let url = '';
  let key = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sandbox did not start in 30 s')), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('HUB_MSG ')) messages.push(JSON.parse(line.slice(8)) as HubMsg);
        else if (line.startsWith('SOAK_SANDBOX_URL=')) url = line.slice(17);
        else if (line.startsWith('SOAK_HUB_KEY=')) key = line.slice(13);
        if (url && key) {
          clearTimeout(timer);
          resolve({ child, url, key, messages });
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}`)));
  });
}

/** user+system CPU ticks of a process, from /proc (Linux). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU of this process over a window, as % of one core, and of another process by /proc. */
async function cpuWindow(ms: number, otherPid: number): Promise<{ self: number; other: number }> {
  const start = process.cpuUsage();
  const otherStart = cpuTicks(otherPid);
  const t0 = process.hrtime.bigint();
  await sleep(ms);
  const used = process.cpuUsage(start);
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  const otherS = (cpuTicks(otherPid) - otherStart) / 100; // USER_HZ is 100 on Linux
  return { self: ((used.user + used.system) / wallUs) * 100, other: ((otherS * 1e6) / wallUs) * 100 };
}

async function until<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs: number, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'apf-bench-hub-'));
  const sandbox = await startSandbox(join(dir, 'sandbox.db'));
  const proxy = await TcpProxy.start({ targetPort: Number(new URL(sandbox.url).port) });
  let core: Core | null = null;
  try {
    const rest = async (method: string, path: string, body?: unknown, raw?: Buffer): Promise<Record<string, unknown>> => {
      const headers: Record<string, string> = { Authorization: `Bearer ${sandbox.key}` };
      if (raw) Object.assign(headers, { 'X-File-Name': 'bench.gcode', 'Content-Type': 'application/octet-stream' });
      else if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(`${sandbox.url}${path}`, { method, headers, body: raw ? new Uint8Array(raw) : body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };

    core = createCore({
      host: 'headless',
      version: '0.0.0-bench',
      dataDir: join(dir, 'hub'),
      settings: createMemorySettingsStore(),
      createDriver: createDefaultDriverFactory({ virtualSpeed: 1 }),
      log: { error: () => {} },
      seedDefaultPrinter: false,
      env: { AUTOPRINTFARM_API_KEY: sandbox.key, AUTOPRINTFARM_API_URL: `http://127.0.0.1:${proxy.port}/v1` },
    });
    const c = core;
    const call = async <T>(method: MethodName, params?: unknown): Promise<T> => {
      const out = await c.dispatch(method, params, { capabilities: new Set(CAPABILITIES) });
      if (!out.ok) throw new Error(`${method}: ${out.error.message}`);
      return out.result as T;
    };
    /** When the core announced each printer's cloud-visible state, latest last. */
    const changes: { at: number; printerId: string; kind: string; hotendTarget: number | null }[] = [];
    let hubState = '';
    const stateChanges: { at: number; state: string }[] = [];
    c.events.subscribe((name, payload) => {
      if (name === 'printer.status') {
        const p = payload as { printerId: string; status: { state: { kind: string }; temperatures: { hotend?: { target: number } | null } } };
        changes.push({ at: Date.now(), printerId: p.printerId, kind: p.status.state.kind, hotendTarget: p.status.temperatures.hotend?.target ?? null });
      } else if (name === 'hub.status') {
        const s = (payload as HubStatusView).state;
        if (s !== hubState) stateChanges.push({ at: Date.now(), state: s });
        hubState = s;
      }
    });

    say(`adding ${COUNT} virtual printers`);
    const ids: string[] = [];
    for (let i = 0; i < COUNT; i++) ids.push((await call<{ id: string }>('printers.addVirtual', { name: `bench-${i + 1}` })).id);
    await until(
      'every printer to be idle',
      () => call<{ status: { state: { kind: string } } }[]>('printers.list'),
      (list) => list.filter((p) => p.status.state.kind === 'idle').length === COUNT,
      60_000,
      200,
    );
    await sleep(2000);
    const fleetOnly = await cpuWindow(10_000, sandbox.child.pid!);
    emit('fleet_cpu_pct_200', fleetOnly.self, '% of one core', { printers: COUNT, window_s: 10, note: 'the same process before the hub was linked: simulating the printers' });

    say('linking the hub and publishing every printer');
    await call('hub.link', { name: 'Bench' });
    await until(
      'the hub to connect',
      () => call<HubStatusView>('hub.status'),
      (s) => s.state === 'connected',
      15_000,
    );
    const cloudId = new Map<string, string>();
    for (const id of ids) {
      const status = await call<HubStatusView>('hub.publish', { printerId: id, published: true });
      cloudId.set(id, status.published.find((p) => p.printerId === id)!.cloudPrinterId);
    }
    await until(
      'the sandbox to have every printer idle',
      () => new Set(sandbox.messages.filter((m) => m.type === 'printer_status' && m.status === 'idle').map((m) => m.printer_id)).size,
      (n) => n >= COUNT,
      30_000,
      200,
    );
    await sleep(6000); // past the 5 s pacing of the publishing burst
    const idle = await cpuWindow(10_000, sandbox.child.pid!);
    emit('hub_cpu_pct_200', idle.self, '% of one core', { target: 5, printers: COUNT, window_s: 10, includes: 'the 200 simulated printers' });
    emit('hub_share_cpu_pct_200', idle.self - fleetOnly.self, '% of one core', { printers: COUNT, note: 'hub_cpu_pct_200 minus fleet_cpu_pct_200' });
    emit('sandbox_cpu_pct_200', idle.other, '% of one core', { printers: COUNT, note: 'the sandbox process over the same window' });

    // A printer's change of state until the sandbox has it: offline on disconnect, idle on connect.
    say('status latency');
    const latencies: number[] = [];
    const sample = ids.slice(0, 50);
    const measure = async (printerId: string, kinds: string[], cloudStatus: string, act: () => Promise<unknown>) => {
      const from = changes.length;
      const sentFrom = sandbox.messages.length;
      await act();
      const change = await until(
        'the state change',
        () => changes.slice(from).find((ch) => ch.printerId === printerId && kinds.includes(ch.kind)),
        (ch) => ch !== undefined,
        10_000,
        5,
      );
      const cid = cloudId.get(printerId)!;
      const got = await until(
        'the sandbox to have it',
        () => sandbox.messages.slice(sentFrom).find((m) => m.type === 'printer_status' && m.printer_id === cid && m.status === cloudStatus),
        (m) => m !== undefined,
        10_000,
        5,
      );
      return got!.at - change!.at;
    };
    for (let i = 0; i < sample.length; i += 10) {
      const batch = sample.slice(i, i + 10);
      latencies.push(...(await Promise.all(batch.map((id) => measure(id, ['offline'], 'offline', () => call('printers.disconnect', { printerId: id }))))));
      latencies.push(...(await Promise.all(batch.map((id) => measure(id, ['idle'], 'idle', () => call('printers.connect', { printerId: id }))))));
    }
    emit('status_p95_ms', percentile(latencies, 95), 'ms', { target: 2000, samples: latencies.length, p50: percentile(latencies, 50), max: Math.max(...latencies) });

    // A change that is not one of state (a heater target): paced to one report per printer per 5 s.
    const anyLatencies: number[] = [];
    await sleep(5500);
    for (const id of ids.slice(50, 70)) {
      const from = changes.length;
      const sentFrom = sandbox.messages.length;
      await call('printers.setTemperature', { printerId: id, heater: 'hotend', celsius: 50 });
      const change = await until(
        'the target',
        () => changes.slice(from).find((ch) => ch.printerId === id && ch.hotendTarget === 50),
        (ch) => ch !== undefined,
        10_000,
        5,
      );
      const cid = cloudId.get(id)!;
      const got = await until(
        'the sandbox to have the target',
        () => sandbox.messages.slice(sentFrom).find((m) => m.type === 'printer_status' && m.printer_id === cid),
        (m) => m !== undefined,
        10_000,
        5,
      );
      anyLatencies.push(got!.at - change!.at);
    }
    emit('status_any_p95_ms', percentile(anyLatencies, 95), 'ms', {
      bound: 5000,
      samples: anyLatencies.length,
      p50: percentile(anyLatencies, 50),
      note: 'paced by the 5 s printer_status rule',
    });

    // Cloud start → printing, with the file downloaded once before.
    say('cloud start latency');
    const file = await rest('POST', '/files', undefined, readFileSync(FIXTURE));
    const startOn = async (printerId: string): Promise<{ ms: number; jobId: string }> => {
      const cid = cloudId.get(printerId)!;
      const job = await rest('POST', '/jobs', { name: 'bench', file_id: file.id, printer_id: cid });
      const sentFrom = sandbox.messages.length;
      const t0 = Date.now();
      await rest('POST', `/jobs/${String(job.id)}/start`);
      const got = await until(
        'the printer to report printing',
        () => sandbox.messages.slice(sentFrom).find((m) => m.type === 'printer_status' && m.printer_id === cid && m.status === 'printing'),
        (m) => m !== undefined,
        30_000,
        5,
      ).catch(async (err: unknown) => {
        const cloudJob = await rest('GET', `/jobs/${String(job.id)}`);
        const commands = await rest('GET', `/jobs/${String(job.id)}/commands`);
        const local = (await call<{ cloud: { jobId: string } | null }[]>('jobs.list')).filter((j) => j.cloud?.jobId === job.id);
        const printer = (await call<{ id: string; status: unknown }[]>('printers.list')).find((p) => p.id === printerId);
        const profile = (await call<{ printerId: string }[]>('jobs.profiles')).find((p) => p.printerId === printerId);
        const settings = await call('jobs.getSettings');
        const active = (await call<{ state: string; printerId: string | null; seq: number; cloud: unknown; reason: string | null }[]>('jobs.list')).map((j) => [
          j.seq,
          j.state,
          j.printerId,
          j.cloud,
          j.reason,
        ]);
        throw new Error(`${String(err)}: ${JSON.stringify({ cloudJob, commands, local, printer: printer?.status, profile, settings, active })}`);
      });
      const ms = got!.at - t0;
      // Stopped from the cloud, so the next start does not wait behind this one (the farm starts two at a time).
      await rest('POST', `/jobs/${String(job.id)}/cancel`);
      await until(
        'the local job to be cancelled',
        () => call<{ state: string; cloud: { jobId: string } | null }[]>('jobs.list'),
        (list) => list.some((j) => j.cloud?.jobId === job.id && j.state === 'cancelled'),
        30_000,
        20,
      );
      return { ms, jobId: String(job.id) };
    };
    const warm = await startOn(ids[100]!);
    const starts: number[] = [];
    for (const id of ids.slice(101, 121)) starts.push((await startOn(id)).ms);
    emit('cloud_start_p95_ms', percentile(starts, 95), 'ms', { target: 5000, samples: starts.length, p50: percentile(starts, 50), first_download_ms: warm.ms });

    // 10 000 job_events queued while the network is cut, delivered after the reconnect.
    say('outbox replay');
    proxy.cut();
    await until(
      'the hub to notice the cut',
      () => call<HubStatusView>('hub.status'),
      (s) => s.state !== 'connected',
      30_000,
      50,
    );
    const warmPrinter = cloudId.get(ids[100]!)!;
    const db = new Database(join(dir, 'hub', 'autoprintfarm.db'));
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare('INSERT INTO hub_outbox (event_id, message_json, created_at) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 10_000; i++) {
        const eventId = crypto.randomUUID();
        const status = i % 2 === 0 ? 'paused' : 'printing';
        insert.run(
          eventId,
          JSON.stringify({ type: 'job_event', job_id: warm.jobId, printer_id: warmPrinter, status, at: new Date().toISOString(), event_id: eventId }),
          Date.now(),
        );
      }
    })();
    const depth = () => (db.prepare('SELECT COUNT(*) AS n FROM hub_outbox').get() as { n: number }).n;
    const queued = depth();
    const mark = stateChanges.length;
    const healedAt = Date.now();
    proxy.heal();
    const connected = await until(
      'the hub to reconnect',
      () => stateChanges.slice(mark).find((s) => s.state === 'connected'),
      (s) => s !== undefined,
      90_000,
      5,
    );
    await until('the outbox to drain', depth, (n) => n === 0, 120_000, 10);
    const drainedAt = Date.now();
    db.close();
    const applied = sandbox.messages.filter((m) => m.type === 'job_event' && m.job_id === warm.jobId).length;
    emit('outbox_replay_10k_s', (drainedAt - connected!.at) / 1000, 's', {
      target: 10,
      queued,
      received_by_sandbox: applied,
      from_heal_s: Math.round((drainedAt - healedAt) / 10) / 100,
      note: 'rows written into the hub outbox table while cut; delivery is the hub’s own',
    });
  } finally {
    await core?.close();
    await proxy.close();
    await new Promise<void>((resolve) => {
      if (sandbox.child.exitCode !== null) return resolve();
      sandbox.child.once('exit', () => resolve());
      sandbox.child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:hub failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

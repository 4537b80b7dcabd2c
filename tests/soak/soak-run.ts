/**
 * The hub soak (issue 11 item 5): one sandbox cloud, several `apf serve` hubs from the built bundle with fast
 * virtual printers, all in pull mode behind a TCP proxy, working through N cloud jobs while hubs are killed
 * (-9) and restarted, the sandbox is killed and restarted on the same database, and the hubs' network is cut.
 * At the end it checks from the databases themselves (the sandbox's and each hub's, read after they stop)
 * that every job ended exactly once on exactly one printer, every job_event was applied once and no outbox
 * entry was left behind. `npm run soak:hub` runs the full form; tests/unit/hub/soak-short.test.ts a short one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { RpcClient } from '../support/rpc-client';
import { exchangeStartLink } from '../support/session';
import { TcpProxy } from '../support/tcp-proxy';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const APF = join(root, 'bin/apf.mjs');
const BUNDLE = join(root, 'dist/headless/apf.mjs');
const FIXTURE = join(root, 'tests/fixtures/gcode/prusaslicer.gcode');
const TOKEN = 'soak-token-0123456789abcdef0123456789';

export interface SoakOptions {
  jobs: number;
  hubs: number;
  printersPerHub: number;
  /** APF_VIRTUAL_SPEED of every hub. */
  speed: number;
  hubKills: number;
  sandboxRestarts: number;
  /** How long the hubs' network is cut (once); 0 for never. */
  netCutS: number;
  /** The longest the run may take before what is unfinished counts as lost. */
  timeoutS: number;
  /** Once every chaos step ran, this long without a job ending means the rest are stuck: stop and count them lost. */
  stallS: number;
  /** The cloud's offer lifetime: unclaimed jobs are offered again this often. */
  offerTtlMs: number;
  /** The least time between two chaos steps, so each lands on a different moment of the work. */
  chaosGapS: number;
  seed: number;
  /** Keep the temporary folders (printed) for a look after the run. */
  keep?: boolean;
  log?: (line: string) => void;
}

export const FULL_SOAK: SoakOptions = {
  jobs: 100,
  hubs: 3,
  printersPerHub: 5,
  speed: 30,
  hubKills: 4,
  sandboxRestarts: 1,
  netCutS: 30,
  timeoutS: 900,
  stallS: 90,
  offerTtlMs: 2000,
  chaosGapS: 8,
  seed: 1,
};

/** The CI form (tests/unit/hub/soak-short.test.ts): the same steps, small and fast. */
export const SHORT_SOAK: SoakOptions = { ...FULL_SOAK, jobs: 12, printersPerHub: 2, speed: 300, hubKills: 1, netCutS: 3, chaosGapS: 2, timeoutS: 80, stallS: 30 };

export interface SoakResult {
  jobs: number;
  completed: number;
  failed: number;
  /** Cloud jobs that became a local job on more than one hub, or printed more than once. */
  doubled: number;
  /** Cloud jobs that did not end (neither completed nor failed) or ended without the print to show for it. */
  lost: number;
  /** No (job, status) had more than one job_event applied, and every completed job exactly one `completed`. */
  eventsAppliedOnce: boolean;
  /** job_events the cloud acked as not applied (they did not fit the job's state), with their reasons. */
  eventsRefused: number;
  outboxLeft: number;
  /** Local jobs of cloud jobs that completed on their printer, over every hub. */
  printed: number;
  hubKills: number;
  sandboxRestarts: number;
  netCutS: number;
  bedsCleared: number;
  wallS: number;
  violations: string[];
}

export function soakLine(r: SoakResult): string {
  return (
    `soak: jobs=${r.jobs} completed=${r.completed} failed=${r.failed} doubled=${r.doubled} lost=${r.lost} ` +
    `events_applied_once=${r.eventsAppliedOnce ? 'yes' : 'no'} events_refused=${r.eventsRefused} outbox_left=${r.outboxLeft} printed=${r.printed} ` +
    `hub_kills=${r.hubKills} sandbox_restarts=${r.sandboxRestarts} net_cut_s=${r.netCutS} beds_cleared=${r.bedsCleared} wall_s=${r.wallS}`
  );
}

/** A seeded generator, so a failing run can be replayed with the same choices. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for a line `NAME=value` on a child's stdout. */
function lineFrom(child: ChildProcess, name: string, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const re = new RegExp(`^${name}=(\\S+)$`, 'm');
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${timeoutMs} ms: ${stderr()}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve(m[1]!);
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ${name}: ${stderr()}`));
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

function kill(child: ChildProcess | null, signal: NodeJS.Signals, graceMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

/** The last lines a child wrote to stderr, for a failure's message. */
function tailOf(child: ChildProcess): () => string {
  const lines: string[] = [];
  child.stderr?.on('data', (d: Buffer) => {
    lines.push(...d.toString().split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  });
  return () => lines.join('\n');
}

class SandboxProc {
  child: ChildProcess | null = null;
  url = '';
  port = 0;
  hubKey = '';
  private stderr: () => string = () => '';

  constructor(
    private readonly dbFile: string,
    private readonly offerTtlMs: number,
  ) {}

  async start(first: boolean): Promise<void> {
    const args = ['--import', 'tsx', join(here, 'sandbox-child.ts'), '--port', String(this.port), '--db', this.dbFile, '--offer-ttl-ms', String(this.offerTtlMs)];
    if (first) args.push('--make-key');
    for (let attempt = 0; ; attempt++) {
      const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      this.stderr = tailOf(child);
      try {
        const keyLine = first ? lineFrom(child, 'SOAK_HUB_KEY', 30_000, this.stderr) : null;
        this.url = await lineFrom(child, 'SOAK_SANDBOX_URL', 30_000, this.stderr);
        if (keyLine) this.hubKey = await keyLine;
        this.port = Number(new URL(this.url).port);
        this.child = child;
        return;
      } catch (err) {
        await kill(child, 'SIGKILL');
        // The port of the killed sandbox may take a moment to be free again.
        if (attempt >= 20 || !/EADDRINUSE/.test(String(err))) throw err;
        await sleep(500);
      }
    }
  }

  async kill9(): Promise<void> {
    await kill(this.child, 'SIGKILL');
    this.child = null;
  }

  async stop(): Promise<void> {
    await kill(this.child, 'SIGTERM');
    this.child = null;
  }
}

class HubProc {
  child: ChildProcess | null = null;
  rpc: RpcClient | null = null;
  private stderr: () => string = () => '';

  constructor(
    readonly name: string,
    readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [APF, 'serve', '--port', '0', '--data', this.dataDir], { cwd: this.dataDir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.stderr = tailOf(child);
    const url = await lineFrom(child, 'APF_URL', 60_000, this.stderr);
    this.child = child;
    // Each start of the host takes its start link once: this run's admin session.
    this.rpc = await RpcClient.open(`ws://127.0.0.1:${new URL(url).port}/rpc`, { Cookie: (await exchangeStartLink(url)).header });
  }

  get running(): boolean {
    return this.child !== null && this.rpc !== null;
  }

  async call<T>(method: string, params?: unknown): Promise<T> {
    if (!this.rpc) throw new Error(`${this.name} is not running`);
    const out = await this.rpc.request(method, params, 15_000);
    if (out.error) throw new Error(`${this.name} ${method}: ${out.error.data?.message ?? out.error.message}`);
    return out.result as T;
  }

  async kill9(): Promise<void> {
    this.rpc?.close();
    this.rpc = null;
    await kill(this.child, 'SIGKILL');
    this.child = null;
  }

  async stop(): Promise<void> {
    this.rpc?.close();
    this.rpc = null;
    await kill(this.child, 'SIGTERM');
    this.child = null;
  }

  tail(): string {
    return this.stderr();
  }
}

/** `apf hub link` on a data folder (a CLI command of its own, as a user would run it). */
function linkHub(dataDir: string, name: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [APF, 'hub', 'link', '--name', name, '--data', dataDir, '--json'], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`apf hub link exited with ${code}: ${out}`))));
  });
}

interface CloudJobRow {
  id: string;
  status: string;
  printer_id: string | null;
  failure_reason: string | null;
}

function openReadOnly(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true });
}

function cloudStatusCounts(dbFile: string): Record<string, number> {
  const db = openReadOnly(dbFile);
  try {
    const rows = db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    db.close();
  }
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!existsSync(BUNDLE)) throw new Error('The app is not built: run `npm run build` first (the soak runs the bundle dist/headless/apf.mjs).');
  const began = Date.now();
  const since = () => `${((Date.now() - began) / 1000).toFixed(1)}s`;
  const say = (line: string) => log(`[soak ${since()}] ${line}`);
  const random = rng(o.seed);
  const work = mkdtempSync(join(tmpdir(), 'apf-soak-'));
  const dbFile = join(work, 'sandbox.db');
  const sandbox = new SandboxProc(dbFile, o.offerTtlMs);
  const hubs: HubProc[] = [];
  let proxy: TcpProxy | null = null;
  let hubKills = 0;
  let sandboxRestarts = 0;
  let bedsCleared = 0;
  let stopSweeper = false;
  let sweeper: Promise<void> = Promise.resolve();

  try {
    await sandbox.start(true);
    proxy = await TcpProxy.start({ targetPort: sandbox.port });
    const apiUrl = `http://127.0.0.1:${proxy.port}/v1`;
    say(`sandbox ${sandbox.url}, hubs reach it through the proxy at ${apiUrl}; folders in ${work}`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      APF_TOKEN: TOKEN,
      APF_VIRTUAL_SPEED: String(o.speed),
      AUTOPRINTFARM_API_KEY: sandbox.hubKey,
      AUTOPRINTFARM_API_URL: apiUrl,
    };
    delete env.APF_DATA_DIR;

    // Hubs: link each data folder, start it, give it its virtual printers, publish them, eject on completion.
    for (let i = 1; i <= o.hubs; i++) {
      const dir = join(work, `hub-${i}`);
      mkdirSync(dir);
      await linkHub(dir, `soak-${i}`, env);
      const hub = new HubProc(`hub-${i}`, dir, env);
      await hub.start();
      const have = await hub.call<{ id: string }[]>('printers.list');
      for (let p = have.length; p < o.printersPerHub; p++) await hub.call('printers.addVirtual', { name: `hub${i}-printer${p + 1}` });
      const printers = await hub.call<{ id: string }[]>('printers.list');
      for (const p of printers.slice(0, o.printersPerHub)) {
        await hub.call('hub.publish', { printerId: p.id, published: true });
        // A completed print is taken off the bed by itself; a failed one waits for the sweeper below.
        await hub.call('jobs.updateProfile', { printerId: p.id, autoEject: true });
      }
      for (const p of printers.slice(o.printersPerHub)) await hub.call('printers.remove', { printerId: p.id });
      hubs.push(hub);
    }
    say(`${o.hubs} hubs up with ${o.printersPerHub} published printers each`);

    // The operator: a printer whose bed is not clear (a failed or interrupted print) is cleared.
    sweeper = (async () => {
      while (!stopSweeper) {
        for (const hub of hubs) {
          if (!hub.running) continue;
          try {
            const profiles = await hub.call<{ printerId: string; bed: string }[]>('jobs.profiles');
            for (const p of profiles.filter((x) => x.bed !== 'clear')) {
              try {
                await hub.call('jobs.confirmBedClear', { printerId: p.printerId });
                bedsCleared++;
              } catch {
                // Still running a job: next round.
              }
            }
          } catch {
            // The hub is being killed or restarted.
          }
        }
        await sleep(1000);
      }
    })();

    // The cloud's user: one file, N pull-mode jobs.
    const rest = async (method: string, path: string, body?: unknown, raw?: Buffer): Promise<unknown> => {
      const headers: Record<string, string> = { Authorization: `Bearer ${sandbox.hubKey}` };
      if (raw) Object.assign(headers, { 'X-File-Name': 'soak.gcode', 'Content-Type': 'application/octet-stream' });
      else if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(`${sandbox.url}${path}`, { method, headers, body: raw ? new Uint8Array(raw) : body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as unknown;
    };
    const file = (await rest('POST', '/files', undefined, readFileSync(FIXTURE))) as { id: string };
    for (let j = 1; j <= o.jobs; j++) await rest('POST', '/jobs', { name: `soak-${j}`, file_id: file.id, auto_dispatch: true });
    say(`${o.jobs} jobs submitted`);

    // Chaos, spread over the run by how much is done: kills, one sandbox restart, one network cut.
    type Chaos = { at: number; what: 'kill' | 'sandbox' | 'cut' };
    const plan: Chaos[] = [];
    for (let k = 0; k < o.hubKills; k++) plan.push({ at: 0.08 + (0.72 * k) / Math.max(1, o.hubKills), what: 'kill' });
    for (let k = 0; k < o.sandboxRestarts; k++) plan.push({ at: 0.3 + (0.3 * k) / Math.max(1, o.sandboxRestarts), what: 'sandbox' });
    if (o.netCutS > 0) plan.push({ at: 0.5, what: 'cut' });
    plan.sort((a, b) => a.at - b.at);

    const deadline = began + o.timeoutS * 1000;
    const finished = (c: Record<string, number>) => (c.completed ?? 0) + (c.failed ?? 0) + (c.cancelled ?? 0);
    let counts: Record<string, number> = {};
    let lastReport = 0;
    let lastChaos = 0;
    let lastDone = -1;
    let lastDoneAt = Date.now();
    const refreshCounts = () => {
      try {
        counts = cloudStatusCounts(dbFile);
      } catch {
        // Mid-restart: keep the last counts.
      }
    };
    for (;;) {
      refreshCounts();
      const done = finished(counts);
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        say(`cloud jobs ${JSON.stringify(counts)}`);
      }
      const next = plan[0];
      if (next && done >= next.at * o.jobs && Date.now() - lastChaos >= o.chaosGapS * 1000) {
        plan.shift();
        if (next.what === 'kill') {
          const hub = hubs[Math.floor(random() * hubs.length)]!;
          say(`kill -9 ${hub.name}`);
          await hub.kill9();
          hubKills++;
          await sleep(300 + random() * 1500);
          await hub.start();
          say(`${hub.name} restarted`);
        } else if (next.what === 'sandbox') {
          say('kill -9 the sandbox');
          await sandbox.kill9();
          sandboxRestarts++;
          await sleep(1000 + random() * 1000);
          await sandbox.start(false);
          say('sandbox restarted on the same database and port');
        } else {
          say(`network cut for ${o.netCutS} s`);
          proxy.cut();
          await sleep(o.netCutS * 1000);
          proxy.heal();
          say('network healed');
        }
        lastChaos = Date.now();
        continue;
      }
      if (done >= o.jobs && plan.length === 0) break;
      if (done !== lastDone) {
        lastDone = done;
        lastDoneAt = Date.now();
      }
      if (plan.length === 0 && Date.now() - lastDoneAt > Math.max(o.stallS, o.chaosGapS) * 1000) {
        say(`stalled: no job ended for ${o.stallS} s after the last chaos step, with ${JSON.stringify(counts)}`);
        break;
      }
      if (Date.now() > deadline) {
        say(`timed out with ${JSON.stringify(counts)} and ${plan.length} chaos step(s) not run`);
        break;
      }
      await sleep(250);
    }

    // Every hub's outbox drains once the cloud has everything (bounded by the deadline and a minute).
    const drainBy = Math.min(deadline, Date.now() + 60_000);
    for (const hub of hubs) {
      for (;;) {
        const depth = await hub.call<{ outboxDepth: number }>('hub.status').then(
          (s) => s.outboxDepth,
          () => -1,
        );
        if (depth === 0 || Date.now() > drainBy) break;
        await sleep(250);
      }
    }
    refreshCounts();
    say(`cloud jobs at the end ${JSON.stringify(counts)}`);
  } finally {
    stopSweeper = true;
    await sweeper;
    await Promise.all(hubs.map((h) => h.stop()));
    await sandbox.stop();
    await proxy?.close();
  }

  const result = check(dbFile, hubs, o);
  Object.assign(result, {
    hubKills,
    sandboxRestarts,
    netCutS: o.netCutS > 0 ? Math.round((proxy?.cutMs() ?? 0) / 1000) : 0,
    bedsCleared,
    wallS: Math.round((Date.now() - began) / 1000),
  });
  if (result.violations.length > 0 || o.keep) {
    for (const v of result.violations.slice(0, 30)) say(`violation: ${v}`);
    say(`data kept in ${work}`);
  } else rmSync(work, { recursive: true, force: true });
  return result;
}

interface LocalJobRow {
  id: string;
  state: string;
  printer_id: string | null;
  cloud_job_id: string;
  cloud_printer_id: string | null;
  started_at: number | null;
  hub: string;
}

/** Reads the stopped sandbox's and hubs' databases and checks the soak's invariants. */
function check(dbFile: string, hubs: HubProc[], o: SoakOptions): SoakResult {
  const violations: string[] = [];
  const cloud = openReadOnly(dbFile);
  let cloudJobs: CloudJobRow[];
  let events: { event_id: string; hub_id: string; job_id: string; status: string; applied: number; reason: string | null }[];
  let printerHub: Map<string, string>;
  try {
    cloudJobs = cloud.prepare('SELECT id, status, printer_id, failure_reason FROM jobs').all() as CloudJobRow[];
    events = cloud.prepare('SELECT event_id, hub_id, job_id, status, applied, reason FROM job_events').all() as typeof events;
    printerHub = new Map((cloud.prepare('SELECT id, hub_id FROM printers').all() as { id: string; hub_id: string }[]).map((p) => [p.id, p.hub_id]));
  } finally {
    cloud.close();
  }

  let outboxLeft = 0;
  const local: LocalJobRow[] = [];
  for (const hub of hubs) {
    const db = openReadOnly(join(hub.dataDir, 'autoprintfarm.db'));
    try {
      const left = (db.prepare('SELECT COUNT(*) AS n FROM hub_outbox').get() as { n: number }).n;
      if (left > 0) violations.push(`${hub.name}: ${left} outbox entr${left === 1 ? 'y' : 'ies'} never acknowledged`);
      outboxLeft += left;
      const rows = db.prepare('SELECT id, state, printer_id, cloud_job_id, cloud_printer_id, started_at FROM jobs WHERE cloud_job_id IS NOT NULL').all() as Omit<
        LocalJobRow,
        'hub'
      >[];
      local.push(...rows.map((r) => ({ ...r, hub: hub.name })));
    } finally {
      db.close();
    }
  }

  const localOf = new Map<string, LocalJobRow[]>();
  for (const row of local) localOf.set(row.cloud_job_id, [...(localOf.get(row.cloud_job_id) ?? []), row]);
  const appliedOf = new Map<string, number>();
  for (const e of events) if (e.applied === 1) appliedOf.set(`${e.job_id} ${e.status}`, (appliedOf.get(`${e.job_id} ${e.status}`) ?? 0) + 1);

  let completed = 0;
  let failed = 0;
  let doubled = 0;
  let lost = 0;
  let eventsAppliedOnce = true;
  for (const [key, n] of appliedOf) {
    if (n > 1) {
      eventsAppliedOnce = false;
      violations.push(`job_event ${key} applied ${n} times`);
    }
  }
  const printed = local.filter((r) => r.state === 'completed').length;
  for (const job of cloudJobs) {
    const mine = localOf.get(job.id) ?? [];
    const started = mine.filter((r) => r.started_at !== null);
    if (mine.length > 1 || started.length > 1) {
      doubled++;
      violations.push(`job ${job.id} became ${mine.length} local jobs (${mine.map((r) => `${r.hub}:${r.state}`).join(', ')})`);
    }
    if (job.status === 'completed') {
      completed++;
      const done = mine.filter((r) => r.state === 'completed');
      if (done.length !== 1) {
        lost++;
        violations.push(`job ${job.id} completed in the cloud but printed ${done.length} times`);
      } else if (done[0]!.cloud_printer_id !== job.printer_id) {
        violations.push(`job ${job.id} is on printer ${job.printer_id} in the cloud but printed for ${done[0]!.cloud_printer_id}`);
      }
      if (appliedOf.get(`${job.id} completed`) !== 1) {
        eventsAppliedOnce = false;
        violations.push(`job ${job.id} completed without exactly one applied completed event`);
      }
    } else if (job.status === 'failed') {
      failed++;
      if (mine.some((r) => r.state === 'completed')) violations.push(`job ${job.id} failed in the cloud but completed on ${mine[0]!.hub}`);
    } else {
      lost++;
      const where = job.printer_id ? `printer ${job.printer_id} of ${printerHub.get(job.printer_id) ?? '?'}` : 'no printer';
      violations.push(`job ${job.id} never ended: ${job.status} on ${where}; local: ${mine.map((r) => `${r.hub}:${r.state}`).join(', ') || 'none'}`);
    }
  }
  if (cloudJobs.length !== o.jobs) violations.push(`${cloudJobs.length} jobs in the cloud, ${o.jobs} submitted`);
  if (printed !== completed) violations.push(`printed ${printed} times for ${completed} completed jobs`);
  const refused = events.filter((e) => e.applied === 0);
  const reasons = new Map<string, number>();
  for (const e of refused) {
    const why = `${e.status}: ${(e.reason ?? '').replace(/[0-9a-f-]{36}/g, '…')}`;
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  for (const [why, n] of reasons) violations.push(`${n} job_event(s) refused by the cloud: ${why}`);
  return {
    jobs: cloudJobs.length,
    completed,
    failed,
    doubled,
    lost,
    eventsAppliedOnce,
    eventsRefused: refused.length,
    outboxLeft,
    printed,
    hubKills: 0,
    sandboxRestarts: 0,
    netCutS: 0,
    bedsCleared: 0,
    wallS: 0,
    violations,
  };
}

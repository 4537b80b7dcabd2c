/**
 * Queue and dispatcher figures: `npm run bench:queue`.
 *
 * dispatch_ms: one dispatch decision (ready printers worked out from the fleet, then the pure decision over the
 * in-memory queue) with 10 000 queued jobs under ~50 distinct requirement sets and 200 printers, median of many.
 * dispatch_worst_ms: the same when no ready printer fits any job but the last (the decision walks the whole queue).
 * enqueue_per_s: jobs queued one call at a time through the real farm, each committed to SQLite (WAL) before its event.
 * Target: a decision under 10 ms. Prints one JSON object per line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrinterView } from '../../electron/core/contract';
import type { FarmProfile, JobTarget } from '../../electron/core/contract/jobs-types';
import { decideDispatch, type ReadyPrinter } from '../../electron/core/jobs/dispatch-decision';
import { defaultProfile } from '../../electron/core/jobs/profile-store';
import { QueueOrder } from '../../electron/core/jobs/queue-order';
import { targetKey } from '../../electron/core/jobs/requirements';
import { addReadyFile, createFarmHarness } from '../unit/jobs/farm-fixture';

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ bench: 'queue', metric, value: Math.round(value * 1000) / 1000, unit, ...extra }));
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const MODELS = ['MK4', 'MK3S', 'X1C', 'P1S', 'Voron 2.4'];
const NOZZLES = [0.4, 0.6, 0.25];
const MATERIALS = ['PLA', 'PETG', 'ABS', 'ASA', 'TPU', 'PA-CF'];
const GROUPS = ['Rack A', 'Rack B', 'Rack C', 'Rack D'];
const JOBS = 10_000;
const PRINTERS = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function dispatchBench(): void {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const profiles = new Map<string, FarmProfile>();
  const printers: PrinterView[] = [];
  const caps = { setTemperature: true, home: true, jog: true, extrude: true, fan: true, motorsOff: true, console: true, emergencyStop: true, print: true, light: false };
  for (let i = 0; i < PRINTERS; i++) {
    const id = `p${i}`;
    profiles.set(id, {
      ...defaultProfile(id),
      model: pick(MODELS),
      nozzleDiameter: pick(NOZZLES),
      material: pick(MATERIALS),
      group: pick(GROUPS),
      tags: r() < 0.3 ? ['enclosed'] : [],
    });
    // A busy farm: about one printer in ten is idle with a clear bed at any moment.
    const idle = r() < 0.1;
    printers.push({
      id,
      name: `Printer ${i}`,
      kind: 'virtual',
      notice: null,
      embedded: false,
      capabilities: caps,
      status: {
        state: idle ? { kind: 'idle' } : { kind: 'printing', job: { fileName: 'x', fraction: 0.5, linesSent: 0, linesTotal: null, startedAt: 0, remainingSeconds: null } },
        temperatures: { hotend: null, bed: null },
        position: null,
        firmware: null,
      },
    });
  }
  const queue = new QueueOrder();
  const targets: JobTarget[] = [];
  for (let i = 0; i < 48; i++) {
    targets.push({
      kind: 'any',
      requirements: { printerModel: pick(MODELS), ...(r() < 0.5 ? { material: pick(MATERIALS) } : {}), ...(r() < 0.3 ? { nozzleDiameter: pick(NOZZLES) } : {}) },
    });
  }
  targets.push({ kind: 'any', requirements: {} }, { kind: 'printer', printerId: 'p7' });
  for (let i = 0; i < JOBS; i++) {
    const target = pick(targets);
    queue.insert({ id: `j${i}`, target, key: targetKey(target), priority: Math.floor(r() * 4), position: i, seq: i });
  }
  const decide = (ready: ReadyPrinter[]) => decideDispatch(queue.values(), ready, 2);
  const readyFromFleet = (): ReadyPrinter[] =>
    printers.filter((p) => p.status.state.kind === 'idle' && profiles.get(p.id)?.bed === 'clear').map((p) => ({ id: p.id, profile: profiles.get(p.id) }));

  const time = (fn: () => unknown, runs: number) => {
    for (let i = 0; i < 20; i++) fn();
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      fn();
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return ms.sort((a, b) => a - b);
  };

  const typical = time(() => decide(readyFromFleet()), 500);
  const made = decide(readyFromFleet()).length;
  emit('dispatch_ms', percentile(typical, 0.5), 'ms', {
    p99_ms: Math.round(percentile(typical, 0.99) * 1000) / 1000,
    queued: JOBS,
    printers: PRINTERS,
    ready: readyFromFleet().length,
    assignments: made,
    target_ms: 10,
  });

  // Worst case: the one ready printer fits only the last job in the queue, so every job is looked at.
  const worstQueue = new QueueOrder();
  const modelTargets = targets.filter((t) => t.kind === 'any' && t.requirements.printerModel !== undefined);
  for (let i = 0; i < JOBS - 1; i++) {
    const target = pick(modelTargets);
    worstQueue.insert({ id: `w${i}`, target, key: targetKey(target), priority: Math.floor(r() * 4), position: i, seq: i });
  }
  const lonelyTarget: JobTarget = { kind: 'printer', printerId: 'lonely' };
  worstQueue.insert({ id: 'last', target: lonelyTarget, key: targetKey(lonelyTarget), priority: -1, position: JOBS, seq: JOBS });
  const lonely: ReadyPrinter[] = [{ id: 'lonely', profile: { ...defaultProfile('lonely'), model: 'Nobody-else' } }];
  const worst = time(() => decideDispatch(worstQueue.values(), lonely, 2), 200);
  if (decideDispatch(worstQueue.values(), lonely, 2)[0]?.jobId !== 'last') throw new Error('worst case set up wrongly');
  emit('dispatch_worst_ms', percentile(worst, 0.5), 'ms', { p99_ms: Math.round(percentile(worst, 0.99) * 1000) / 1000, queued: JOBS, target_ms: 10 });
}

async function enqueueBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'apf-bench-queue-'));
  const h = await createFarmHarness({ dir });
  try {
    const file = await addReadyFile(h);
    const n = 5000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    emit('enqueue_per_s', n / s, 'jobs/s', { jobs: n, each: 'one transaction per job, committed before its event' });

    const batches = 50;
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < batches; i++) h.farm.enqueue({ fileSha256: file.sha256, copies: 100, priority: 'high', target: { kind: 'any', requirements: { material: 'PLA' } } });
    const s1 = Number(process.hrtime.bigint() - t1) / 1e9;
    emit('enqueue_copies_per_s', (batches * 100) / s1, 'jobs/s', { jobs: batches * 100, each: '100 copies in one transaction' });
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

dispatchBench();
await enqueueBench();

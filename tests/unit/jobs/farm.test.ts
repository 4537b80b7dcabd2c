import { afterEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../../electron/core/contract/jobs-types';
import { addReadyFile, createFarmHarness, printing, printOne, type FarmHarness } from './farm-fixture';

let h: FarmHarness;
afterEach(async () => {
  await h?.close();
});

const jobs = () => h.farm.list();
const byState = (state: JobView['state']) => jobs().filter((j) => j.state === state);

describe('farm queue and dispatcher', () => {
  it('starts queued copies on idle printers, at most the stagger limit at a time', async () => {
    h = await createFarmHarness();
    for (const id of ['a', 'b', 'c']) h.fleet.add(id);
    const file = await addReadyFile(h);
    h.farm.enqueue({ fileSha256: file.sha256, copies: 3, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    expect(byState('starting')).toHaveLength(2);
    expect(byState('queued')).toHaveLength(1);

    const first = byState('starting')[0]!;
    h.fleet.warmUp(first.printerId!);
    await h.farm.settled();
    expect(byState('printing').map((j) => j.id)).toEqual([first.id]);
    expect(byState('starting')).toHaveLength(2);
    expect(byState('queued')).toHaveLength(0);
    expect(new Set(h.fleet.started.map((s) => s.printerId))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('holds a printer in "clear the bed" after a print until the operator confirms', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    h.farm.enqueue({ fileSha256: file.sha256, copies: 2, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.fleet.warmUp('a');
    h.fleet.end('a', { kind: 'completed' });
    await h.farm.settled();
    expect(byState('completed')).toHaveLength(1);
    expect(byState('queued')).toHaveLength(1);
    expect(h.farm.profileOf('a').bed).toBe('needs_clear');
    expect(h.fleet.started).toHaveLength(1);

    h.farm.confirmBedClear('a');
    await h.farm.settled();
    expect(h.fleet.started).toHaveLength(2);
    expect(byState('starting')).toHaveLength(1);
  });

  it('lets an auto-eject printer take the next job after a completed print without confirmation', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    h.farm.updateProfile('a', { autoEject: true });
    const file = await addReadyFile(h);
    h.farm.enqueue({ fileSha256: file.sha256, copies: 2, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.fleet.end('a', { kind: 'completed' });
    await h.farm.settled();
    expect(h.farm.profileOf('a').bed).toBe('clear');
    expect(h.fleet.started).toHaveLength(2);
  });

  it('asks for the bed to be cleared after a failed print even on an auto-eject printer', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    h.farm.updateProfile('a', { autoEject: true });
    const file = await addReadyFile(h);
    h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.fleet.end('a', { kind: 'failed', reason: 'Thermal runaway' });
    await h.farm.settled();
    expect(h.farm.profileOf('a').bed).toBe('needs_clear');
    expect(jobs()[0]).toMatchObject({ state: 'failed', reason: 'Thermal runaway' });
  });

  it('returns a job whose start failed to the queue with the reason, and tries another printer', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    h.fleet.failNextStart = 'SD card missing';
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    expect(h.farm.get(job!.id)).toMatchObject({ state: 'queued', printerId: null });
    expect(h.farm.get(job!.id).reason).toContain('SD card missing');
    h.fleet.add('b');
    await h.farm.settled();
    expect(h.farm.get(job!.id)).toMatchObject({ state: 'starting', printerId: 'b' });
  });

  it('only dispatches to printers whose profile meets the requirements, or to the fixed printer', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    h.fleet.add('b');
    h.farm.updateProfile('b', { model: 'MK4', nozzleDiameter: 0.4, material: 'PETG', tags: ['rack-a'] });
    const file = await addReadyFile(h);
    const [petg] = h.farm.enqueue({
      fileSha256: file.sha256,
      copies: 1,
      priority: 'normal',
      target: { kind: 'any', requirements: { printerModel: 'mk4', material: 'PETG', tags: ['Rack-A'] } },
    });
    const [abs] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: { material: 'ABS' } } });
    const [fixed] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'a' } });
    await h.farm.settled();
    expect(h.farm.get(petg!.id)).toMatchObject({ state: 'starting', printerId: 'b' });
    expect(h.farm.get(abs!.id).state).toBe('queued');
    expect(h.farm.get(fixed!.id)).toMatchObject({ state: 'starting', printerId: 'a' });
  });

  it('never starts on a printer that is offline, busy or printing', async () => {
    h = await createFarmHarness();
    h.fleet.add('off', { kind: 'offline', reason: null });
    h.fleet.add('busy', { kind: 'busy', what: 'Homing' });
    h.fleet.add('manual', printing(0.3));
    const file = await addReadyFile(h);
    h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    expect(h.fleet.started).toHaveLength(0);
    h.fleet.setState('busy', { kind: 'idle' });
    await h.farm.settled();
    expect(h.fleet.started.map((s) => s.printerId)).toEqual(['busy']);
  });

  it('dispatches urgent jobs before earlier normal ones', async () => {
    h = await createFarmHarness();
    const file = await addReadyFile(h);
    const [normal] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    const [urgent] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'urgent', target: { kind: 'any', requirements: {} } });
    expect(byState('queued').map((j) => j.id)).toEqual([urgent!.id, normal!.id]);
    h.fleet.add('a');
    await h.farm.settled();
    expect(h.farm.get(urgent!.id).state).toBe('starting');
    expect(h.farm.get(normal!.id).state).toBe('queued');
  });

  it('reorders the queue by drag (before another job) and by one step up or down', async () => {
    h = await createFarmHarness();
    const file = await addReadyFile(h);
    const made = h.farm.enqueue({ fileSha256: file.sha256, copies: 4, priority: 'normal', target: { kind: 'any', requirements: {} } });
    const [a, b, c, d] = made.map((j) => j.id) as [string, string, string, string];
    h.farm.reorder(d, b);
    expect(byState('queued').map((j) => j.id)).toEqual([a, d, b, c]);
    h.farm.move(a, 'down');
    expect(byState('queued').map((j) => j.id)).toEqual([d, a, b, c]);
    h.farm.move(c, 'up');
    expect(byState('queued').map((j) => j.id)).toEqual([d, a, c, b]);
    h.farm.reorder(d, null);
    expect(byState('queued').map((j) => j.id)).toEqual([a, c, b, d]);
    const reopened = await h.restart();
    h = reopened;
    expect(byState('queued').map((j) => j.id)).toEqual([a, c, b, d]);
  });

  it('cancels a queued job at once and a running one through the printer, and retries it as a new job', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    const [running, waiting] = h.farm.enqueue({ fileSha256: file.sha256, copies: 2, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    await h.farm.cancel(waiting!.id);
    expect(h.farm.get(waiting!.id).state).toBe('cancelled');
    await h.farm.cancel(running!.id);
    expect(h.fleet.cancelled).toEqual(['a']);
    expect(h.farm.get(running!.id).state).toBe('cancelled');
    expect(h.historyEvents.map((e) => [e.jobId, e.outcome])).toEqual([[running!.id, 'cancelled']]);

    const again = h.farm.retry(running!.id);
    expect(again).toMatchObject({ state: 'queued', retryOf: running!.id });
    expect(again.id).not.toBe(running!.id);
  });

  it('records history with outcome, duration, filament and printer when a print ends', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    h.farm.updateProfile('a', { material: 'PETG' });
    const file = await addReadyFile(h);
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.clock.advance(90_000);
    h.fleet.end('a', { kind: 'completed' }, h.clock.now());
    const [entry] = h.farm.history.list({ limit: 10 });
    expect(entry).toMatchObject({ jobId: job!.id, printerId: 'a', printerName: 'Printer a', outcome: 'completed', durationSeconds: 90, material: 'PETG' });
    expect(entry!.filamentG).toBe(file.filamentG);
  });

  it('commits every job change before announcing it', async () => {
    const seen: string[] = [];
    h = await createFarmHarness({
      onJobs: (changed, db) => {
        for (const j of changed) {
          const row = db.prepare('SELECT state FROM jobs WHERE id = ?').get(j.id) as { state: string } | undefined;
          seen.push(`${j.state}=${row?.state}`);
        }
      },
    });
    h.fleet.add('a');
    const file = await addReadyFile(h);
    h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.fleet.warmUp('a');
    h.fleet.end('a', { kind: 'completed' });
    expect(seen).toEqual(['queued=queued', 'starting=starting', 'printing=printing', 'completed=completed']);
  });

  it('stamps every announced job change with a higher version, and lists each job with the version last announced', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    const [first] = h.farm.enqueue({ fileSha256: file.sha256, copies: 3, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.fleet.warmUp('a');
    h.farm.setPriority(jobs().find((j) => j.state === 'queued')!.id, 'high');

    const announced = h.jobEvents.flat();
    const versions = announced.map((j) => j.version);
    expect(versions.every((v, i) => i === 0 || v > versions[i - 1]!)).toBe(true);
    const latest = new Map(announced.map((j) => [j.id, j]));
    expect(jobs()).toHaveLength(3);
    for (const j of jobs()) expect(j).toEqual(latest.get(j.id));
    expect(latest.get(first!.id)).toMatchObject({ state: 'printing' });
  });

  it('marks a print that was running when the app stopped as interrupted and keeps the queue', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    const [running, waiting] = h.farm.enqueue({ fileSha256: file.sha256, copies: 2, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.fleet.warmUp('a');
    expect(h.farm.get(running!.id).state).toBe('printing');
    // As after a crash: the printer is idle again and nothing reported the end.
    h.fleet.printers.get('a')!.status.state = { kind: 'idle' };
    h = await h.restart();
    await h.farm.settled();
    expect(h.farm.get(running!.id)).toMatchObject({ state: 'interrupted' });
    expect(h.farm.get(waiting!.id).state).toBe('queued');
    expect(h.farm.profileOf('a').bed).toBe('needs_clear');
    expect(h.farm.history.countForJob(running!.id)).toBe(1);
    expect(h.fleet.started).toHaveLength(1);
  });

  it('marks the job interrupted when its printer is removed mid-print', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.fleet.remove('a');
    expect(h.farm.get(job!.id).state).toBe('interrupted');
  });

  it('tracks pause and resume of a running job', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const { job } = await printOne(h, 'a');
    h.fleet.setState('a', { kind: 'paused', job: { fileName: 'x', fraction: 0.2, linesSent: 0, linesTotal: null, startedAt: 0, remainingSeconds: null } });
    expect(h.farm.get(job.id).state).toBe('paused');
    h.fleet.setState('a', printing(0.3));
    expect(h.farm.get(job.id).state).toBe('printing');
  });

  it('refuses to queue a file that is still being analysed or a printer that does not exist', async () => {
    h = await createFarmHarness();
    const { file } = await h.library.addFromPath(`${__dirname}/../../fixtures/gcode/cura.gcode`);
    expect(() => h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } })).toThrow(/still being analysed/);
    await h.library.analysesSettled();
    expect(() => h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'printer', printerId: 'nope' } })).toThrow(/no longer exists/);
  });
});

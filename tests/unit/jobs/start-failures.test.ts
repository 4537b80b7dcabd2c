import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialError } from '../../../electron/core/credentials/credential-error';
import { AppError } from '../../../electron/core/errors';
import { classifyFailure } from '../../../electron/core/printers/failure-class';
import { addReadyFile, createFarmHarness, printing, type FarmHarness } from './farm-fixture';

let h: FarmHarness;
afterEach(async () => {
  await h?.close();
});

async function queueOne(): Promise<string> {
  h = await createFarmHarness();
  h.fleet.add('a');
  const file = await addReadyFile(h);
  return h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } })[0]!.id;
}

describe('a start the printer refuses', () => {
  it("fails the job with the printer's own reason when asking again would get the same answer, and uploads nothing more", async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    h.fleet.failNextStart = new AppError('printer_error', 'PrusaLink at http://p answered HTTP 400: Forbidden Characters.', { httpStatus: 400 });
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    expect(h.farm.get(job!.id)).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('Printer a refused it: PrusaLink at http://p answered HTTP 400: Forbidden Characters.'),
    });
    // Nothing printed: no history entry, and the bed is still free for the next job.
    expect(h.farm.history.countForJob(job!.id)).toBe(0);
    expect(h.farm.profileOf('a').bed).toBe('clear');
    h.clock.advance(60_000);
    await h.farm.settled();
    expect(h.fleet.started).toHaveLength(0);
  });

  it('holds the job, saying so, when the printer refused its key', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    h.fleet.failNextStart = new CredentialError('refused', 'API key', 'OctoPrint at http://o refused the API key (HTTP 403: Invalid API key). Enter the API key again.');
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    expect(h.farm.get(job!.id)).toMatchObject({ state: 'queued', reason: expect.stringMatching(/^Waiting for Printer a's key: .*Invalid API key/) });
  });

  it('retries a refusal that may pass on the same printer with a growing pause, and says when', async () => {
    const jobId = await queueOne();
    h.fleet.failNextStart = new AppError('printer_error', 'PrusaLink at http://p answered HTTP 409: Printer is not in state to print.', { httpStatus: 409 });
    await h.farm.settled();
    expect(h.farm.get(jobId).reason).toMatch(/Could not start on Printer a: .*409.*Trying that printer again in 15 s\.$/);
    h.fleet.failNextStart = 'connect ECONNRESET';
    h.clock.advance(15_000);
    expect(h.farm.readyPrinters().map((p) => p.id)).toEqual(['a']);
  });
});

describe('classifying what a printer said', () => {
  it('sorts refusals into permanent, needs-key and transient in one place', () => {
    expect(classifyFailure(new AppError('printer_error', 'x', { httpStatus: 400 })).kind).toBe('permanent');
    expect(classifyFailure(new AppError('printer_error', 'x', { ftpCode: 553 })).kind).toBe('permanent');
    expect(classifyFailure(new AppError('unsupported', 'x')).kind).toBe('permanent');
    expect(classifyFailure(new AppError('printer_error', 'x', { httpStatus: 409 })).kind).toBe('transient');
    expect(classifyFailure(new AppError('printer_error', 'x', { httpStatus: 503 })).kind).toBe('transient');
    expect(classifyFailure(new AppError('printer_offline', 'x')).kind).toBe('transient');
    expect(classifyFailure(new Error('socket hang up')).kind).toBe('transient');
    expect(classifyFailure(new CredentialError('refused', 'API key', 'x')).kind).toBe('needs-key');
    expect(classifyFailure(new AppError('timeout', 'slow.')).reason).toBe('slow.');
  });
});

describe('leaving the starting state', () => {
  it('counts a job whose file switches no heater on as printing as soon as the printer says so', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const path = join(h.dir, 'plotter.gcode');
    writeFileSync(path, 'G28\nG1 X10 Y10 F3000\nG1 X20 Y20\nM104 S0\n');
    const { file } = await h.library.addFromPath(path);
    await h.library.analysesSettled();
    expect(h.library.get(file.sha256).heats).toBe(false);
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.fleet.setState('a', printing(0.01));
    expect(h.farm.get(job!.id).state).toBe('printing');
  });

  it('keeps a job that heats in starting until the heaters reach their targets', async () => {
    h = await createFarmHarness();
    h.fleet.add('a');
    const file = await addReadyFile(h);
    expect(file.heats).toBe(true);
    const [job] = h.farm.enqueue({ fileSha256: file.sha256, copies: 1, priority: 'normal', target: { kind: 'any', requirements: {} } });
    await h.farm.settled();
    h.fleet.setState('a', printing(0.01));
    expect(h.farm.get(job!.id).state).toBe('starting');
  });
});

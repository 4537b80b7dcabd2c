import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors';
import type { CoolDownReport } from '../../../electron/core/contract';
import { madeSafeMessage, RestartCoolDown } from '../../../electron/core/jobs/restart-cool-down';
import type { PrinterStatus } from '../../../electron/core/printers/model';
import { ManualClock } from '../../support/manual-clock';
import { addReadyFile, createFarmHarness, printing, type FarmHarness } from './farm-fixture';

let h: FarmHarness;
afterEach(async () => {
  await h?.close();
});

const HOT = { hotend: { actual: 200, target: 200 }, bed: { actual: 60, target: 60 } };

/** A print under way on printer `a`, then the app dies (no end reported) and starts again with `a` offline. */
async function crashMidPrint(): Promise<{ jobId: string; otherJobId: string }> {
  h = await createFarmHarness();
  h.fleet.add('a');
  const file = await addReadyFile(h);
  const [job, other] = h.farm.enqueue({ fileSha256: file.sha256, copies: 2, priority: 'normal', target: { kind: 'any', requirements: {} } });
  await h.farm.settled();
  h.fleet.setState('a', printing(0.4), HOT);
  h.fleet.printers.get('a')!.status.state = { kind: 'offline', reason: null };
  h = await h.restart();
  await h.farm.settled();
  return { jobId: job!.id, otherJobId: other!.id };
}

describe('a printer left hot by a crash', () => {
  it('is cooled down once it is back and idle, and the printer, the job and its history say so', async () => {
    const { jobId } = await crashMidPrint();
    expect(h.fleet.cooledDown).toEqual([]); // offline: nothing to send to yet
    h.fleet.setState('a', { kind: 'idle' }, HOT);
    await h.farm.settled();
    await Promise.resolve();

    expect(h.fleet.cooledDown).toEqual(['a']);
    const said = 'Heaters (hotend 200 °C, bed 60 °C) and part fan switched off and motors released when AutoPrintFarm started again.';
    expect(h.farm.get(jobId).reason).toContain(said);
    expect(h.farm.get(jobId).reason).toMatch(/^AutoPrintFarm stopped while this print was running/);
    const entry = h.historyEvents.at(-1)!;
    expect(entry.jobId).toBe(jobId);
    expect(entry.reason).toContain(said);
    expect(h.fleet.printers.get('a')!.notice).toMatchObject({ kind: 'made-safe', message: expect.stringContaining(said) });
  });

  it('is cooled down only once, however often its status changes', async () => {
    await crashMidPrint();
    h.fleet.setState('a', { kind: 'idle' }, HOT);
    h.fleet.setState('a', { kind: 'idle' }, HOT);
    await Promise.resolve();
    h.fleet.setState('a', { kind: 'offline', reason: null });
    h.fleet.setState('a', { kind: 'idle' });
    await Promise.resolve();
    expect(h.fleet.cooledDown).toEqual(['a']);
  });

  it('gets no new print until it has been made safe, then takes the next job once the bed is cleared', async () => {
    const { otherJobId } = await crashMidPrint();
    h.fleet.refuseCoolDown.set('a', new AppError('printer_offline', 'Printer a is not connected.'));
    h.fleet.setState('a', { kind: 'idle' }, HOT);
    await h.farm.settled();
    h.farm.confirmBedClear('a');
    await h.farm.settled();
    expect(h.farm.get(otherJobId).state).toBe('queued');

    h.fleet.refuseCoolDown.delete('a');
    h.fleet.setState('a', { kind: 'idle' }, HOT);
    await Promise.resolve();
    await h.farm.settled();
    expect(h.fleet.cooledDown).toEqual(['a']);
    expect(h.farm.get(otherJobId).state).not.toBe('queued');
  });

  it('is left alone when it is still printing on its own (a LAN printer carries on without the app), and that is recorded', async () => {
    const { jobId } = await crashMidPrint();
    h.fleet.setState('a', printing(0.5), HOT);
    await Promise.resolve();
    expect(h.fleet.cooledDown).toEqual([]);
    expect(h.farm.get(jobId).reason).toMatch(/still printing x on its own, so its heaters were left on/);
  });

  it('records a cool-down the printer refuses, with what to do', async () => {
    const { jobId } = await crashMidPrint();
    h.fleet.refuseCoolDown.set('a', new AppError('unsupported', 'Printer a does not let the app switch its heaters off. Switch them off on the printer itself.'));
    h.fleet.setState('a', { kind: 'idle' }, HOT);
    await Promise.resolve();
    await Promise.resolve();
    expect(h.farm.get(jobId).reason).toMatch(/could not switch the heaters off when it started again: Printer a does not let the app/);
  });

  it('leaves printers alone after a clean restart', async () => {
    h = await createFarmHarness();
    h.fleet.add('a', { kind: 'idle' });
    h.fleet.setState('a', { kind: 'idle' }, HOT);
    h = await h.restart();
    h.fleet.setState('a', { kind: 'idle' }, HOT);
    await Promise.resolve();
    expect(h.fleet.cooledDown).toEqual([]);
  });
});

describe('the made-safe message', () => {
  it('names the temperatures the printer had and only what was switched off', () => {
    expect(madeSafeMessage({ hotend: { actual: 199.6, target: 200 }, bed: null, fanOff: false, motorsOff: false })).toBe(
      'Heaters (hotend 200 °C) switched off when AutoPrintFarm started again.',
    );
  });
});

describe('waiting for the first temperature report', () => {
  const idle = (temps: boolean): PrinterStatus => ({
    state: { kind: 'idle' },
    temperatures: temps ? { hotend: { actual: 200, target: 200 }, bed: { actual: 60, target: 60 } } : { hotend: null, bed: null },
    position: null,
    firmware: null,
  });

  function setup() {
    const clock = new ManualClock();
    let status = idle(false);
    const listeners = new Set<(id: string, s: PrinterStatus) => void>();
    const cooled: CoolDownReport[] = [];
    const recorded: string[] = [];
    const watcher = new RestartCoolDown(
      {
        statusOf: () => status,
        onPrinterStatus: (l) => (listeners.add(l), () => void listeners.delete(l)),
        coolDown: async () => {
          const report = { hotend: status.temperatures.hotend, bed: status.temperatures.bed, fanOff: true, motorsOff: true };
          cooled.push(report);
          return report;
        },
        setNotice: () => {},
      },
      (_left, outcome) => recorded.push(outcome.message),
      clock,
    );
    const report = (s: PrinterStatus) => {
      status = s;
      for (const l of listeners) l('a', s);
    };
    return { clock, watcher, cooled, recorded, report };
  }

  it('cools a printer that connected without temperatures as soon as they arrive, so the message says how hot it was', async () => {
    const t = setup();
    t.watcher.watch([{ printerId: 'a', jobId: 'j', fileName: 'x.gcode' }]);
    expect(t.cooled).toHaveLength(0);
    t.report(idle(true));
    await Promise.resolve();
    await Promise.resolve();
    expect(t.recorded[0]).toMatch(/^Heaters \(hotend 200 °C, bed 60 °C\)/);
  });

  it('does not wait more than 5 s for them', async () => {
    const t = setup();
    t.watcher.watch([{ printerId: 'a', jobId: 'j', fileName: 'x.gcode' }]);
    t.clock.advance(4_999);
    expect(t.cooled).toHaveLength(0);
    t.clock.advance(1);
    expect(t.cooled).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../../electron/core/contract';
import type { HistoryEntry } from '../../../electron/core/contract/jobs-types';
import { PrintNotifications } from '../../../electron/core/native-shell/print-notifications';

const status = (printerId: string, state: EventPayloads['printer.status']['status']['state']): EventPayloads['printer.status'] => ({
  printerId,
  status: { state, temperatures: { hotend: null, bed: null }, position: null, firmware: null },
  sample: null,
});
const entry = (outcome: HistoryEntry['outcome'], reason: string | null = null): EventPayloads['history.added'] => ({
  entry: {
    id: 1,
    jobId: 'j',
    source: 'queue',
    printerId: 'p1',
    printerName: 'Prusa 1',
    fileName: 'benchy.gcode',
    fileSha256: null,
    outcome,
    reason,
    startedAt: 0,
    endedAt: 0,
    durationSeconds: 5400,
    filamentMm: null,
    filamentG: null,
    material: null,
    cost: null,
  },
});
const profile = (bed: 'clear' | 'needs_clear'): EventPayloads['farm.profile'] => ({
  profile: { printerId: 'p1', model: null, nozzleDiameter: null, material: null, group: null, tags: [], autoEject: false, bed, bedJobId: null },
});

describe('print notifications', () => {
  it('tell of a finished, failed or interrupted print with the printer to open, and not of a cancelled one', () => {
    const n = new PrintNotifications();
    expect(n.next('history.added', entry('completed'))).toEqual({ title: 'Prusa 1: print finished', body: 'benchy.gcode finished in 1 h 30 min.', printerId: 'p1' });
    expect(n.next('history.added', entry('failed', 'thermal runaway'))).toMatchObject({ title: 'Prusa 1: print failed', body: 'benchy.gcode: thermal runaway' });
    expect(n.next('history.added', entry('interrupted', 'USB unplugged at line 300'))).toMatchObject({ title: 'Prusa 1: print interrupted' });
    expect(n.next('history.added', entry('cancelled'))).toBeNull();
  });

  it('tell of a printer going into error once, not with every status report while it stays there', () => {
    const n = new PrintNotifications();
    n.next('printers.changed', {
      printers: [{ id: 'p1', name: 'Ender', kind: 'marlin', embedded: false, capabilities: {} as never, status: status('p1', { kind: 'idle' }).status, notice: null }],
    });
    expect(n.next('printer.status', status('p1', { kind: 'error', message: 'MAXTEMP triggered' }))).toEqual({
      title: 'Ender: printer error',
      body: 'MAXTEMP triggered',
      printerId: 'p1',
    });
    expect(n.next('printer.status', status('p1', { kind: 'error', message: 'MAXTEMP triggered' }))).toBeNull();
    n.next('printer.status', status('p1', { kind: 'idle' }));
    expect(n.next('printer.status', status('p1', { kind: 'error', message: 'again' }))).not.toBeNull();
  });

  it('ask for the bed to be cleared, but not right after a print-finished notice for the same printer said it', () => {
    let now = 0;
    const n = new PrintNotifications(() => now);
    n.next('history.added', entry('completed'));
    expect(n.next('farm.profile', profile('needs_clear'))).toBeNull();
    n.next('farm.profile', profile('clear'));
    now = 60_000;
    expect(n.next('farm.profile', profile('needs_clear'))).toEqual({
      title: 'Prusa 1: clear the bed',
      body: 'The next job waits until you confirm the bed is clear.',
      printerId: 'p1',
    });
    expect(n.next('farm.profile', profile('needs_clear'))).toBeNull();
  });
});

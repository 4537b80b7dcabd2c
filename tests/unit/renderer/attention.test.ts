import { describe, expect, it } from 'vitest';
import type { PrinterView } from '../../../electron/core/contract';
import type { FarmProfile } from '../../../electron/core/contract/jobs-types';
import { NO_PRINTER_CAPABILITIES, type PrinterState, type PrinterStatus } from '../../../electron/core/printers/model';
import { attentionOf, wallOrder } from '../../../renderer/src/screens/wall/attention';

const job = (fileName: string, remainingSeconds: number | null) => ({ fileName, fraction: 0.5, linesSent: 0, linesTotal: null, startedAt: 0, remainingSeconds });

function printer(name: string, state: PrinterState, extra: Partial<PrinterStatus> = {}): PrinterView {
  return {
    id: name,
    name,
    kind: 'virtual',
    embedded: false,
    capabilities: NO_PRINTER_CAPABILITIES,
    notice: null,
    status: { state, temperatures: { hotend: null, bed: null }, position: null, firmware: null, ...extra },
  };
}

const profile = (printerId: string, bed: FarmProfile['bed']): FarmProfile => ({
  printerId,
  model: null,
  nozzleDiameter: null,
  material: null,
  group: null,
  tags: [],
  autoEject: false,
  bed,
  bedJobId: null,
});

describe('what the wall says a printer needs from a person', () => {
  it('names each need in a word: error, sign-in, certificate, filament out, clear bed, paused, offline', () => {
    expect(attentionOf(printer('a', { kind: 'error', message: 'Thermal runaway' }), undefined)).toMatchObject({ word: 'Error', tone: 'alert', detail: 'Thermal runaway' });
    expect(attentionOf(printer('a', { kind: 'offline', reason: 'x', credential: { problem: 'refused', what: 'API key' } }), undefined).word).toBe('Sign-in');
    const certificate = { problem: 'changed' as const, sha256: 'AA', subject: 's', issuer: 'i', validTo: '2030-01-01T00:00:00.000Z' };
    expect(attentionOf(printer('a', { kind: 'offline', reason: 'x', certificate }), undefined).word).toBe('Certificate');
    expect(attentionOf(printer('a', { kind: 'printing', job: job('f', 60) }, { attention: { kind: 'filament', message: 'Load filament' } }), undefined)).toMatchObject({
      word: 'Filament out',
      tone: 'action',
    });
    expect(attentionOf(printer('a', { kind: 'idle' }), profile('a', 'needs_clear'))).toMatchObject({ word: 'Clear bed', tone: 'action' });
    expect(attentionOf(printer('a', { kind: 'paused', job: job('f', 60) }), undefined).word).toBe('Paused');
    expect(attentionOf(printer('a', { kind: 'offline', reason: 'Unplugged' }), undefined)).toMatchObject({ word: 'Offline', tone: 'off' });
    expect(attentionOf(printer('a', { kind: 'idle' }), profile('a', 'clear'))).toMatchObject({ word: 'Ready', tone: 'ok' });
  });

  it('puts the printers that need someone first, then prints finishing soonest, then the ready ones', () => {
    const list = [
      printer('ready', { kind: 'idle' }),
      printer('long print', { kind: 'printing', job: job('a', 7200) }),
      printer('bed to clear', { kind: 'idle' }),
      printer('short print', { kind: 'printing', job: job('b', 300) }),
      printer('broken', { kind: 'error', message: 'MINTEMP' }),
      printer('unplugged', { kind: 'offline', reason: null }),
    ];
    const order = wallOrder(list, new Map([['bed to clear', profile('bed to clear', 'needs_clear')]])).map((t) => t.printer.name);
    expect(order).toEqual(['broken', 'bed to clear', 'unplugged', 'short print', 'long print', 'ready']);
  });

  it('says Maintenance for a printer due between prints; a held one ranks with a bed to clear, one merely due after paused', () => {
    const held = { text: 'nozzle change due (212 h of 200 h)', holding: true };
    const due = { text: 'cleaning due (25 of 25 prints)', holding: false };
    expect(attentionOf(printer('a', { kind: 'idle' }), undefined, held)).toEqual({
      rank: 1,
      tone: 'action',
      word: 'Maintenance',
      detail: "Held: nozzle change due (212 h of 200 h). Mark it done on the printer's page to release it.",
    });
    expect(attentionOf(printer('a', { kind: 'idle' }), undefined, due)).toMatchObject({ rank: 2, word: 'Maintenance', detail: 'Due: cleaning due (25 of 25 prints).' });
    // A print under way, or a bed still to clear, is said first: the task waits for the print to end and the bed to be free.
    expect(attentionOf(printer('a', { kind: 'printing', job: job('f', 60) }), undefined, held).word).toBe('Printing');
    expect(attentionOf(printer('a', { kind: 'idle' }), profile('a', 'needs_clear'), held).word).toBe('Clear bed');
    const order = wallOrder(
      [printer('due', { kind: 'idle' }), printer('ready', { kind: 'idle' }), printer('held', { kind: 'idle' }), printer('paused', { kind: 'paused', job: job('f', 60) })],
      new Map(),
      new Map([
        ['due', due],
        ['held', held],
      ]),
    ).map((t) => [t.printer.name, t.attention.word]);
    expect(order).toEqual([
      ['held', 'Maintenance'],
      ['due', 'Maintenance'],
      ['paused', 'Paused'],
      ['ready', 'Ready'],
    ]);
  });
});

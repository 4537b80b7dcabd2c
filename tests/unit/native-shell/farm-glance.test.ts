import { describe, expect, it } from 'vitest';
import { farmGlance, type GlancePrinter } from '../../../electron/core/native-shell/farm-glance';

const job = { fileName: 'a.gcode', fraction: 0.5, linesSent: 1, linesTotal: 2, startedAt: 0, remainingSeconds: null };
const p = (id: string, state: GlancePrinter['state']): GlancePrinter => ({ id, name: `Printer ${id}`, state });
const beds = (entries: [string, 'clear' | 'needs_clear'][]) => new Map(entries.map(([id, bed]) => [id, { bed }]));

describe('the farm at a glance', () => {
  it('is idle when nothing prints and nothing waits for someone, offline printers included', () => {
    const g = farmGlance([p('a', { kind: 'idle' }), p('b', { kind: 'offline', reason: 'switched off' })], beds([['a', 'clear']]));
    expect(g).toMatchObject({ state: 'idle', printing: 0, attention: [], summary: 'AutoPrintFarm — all idle' });
  });

  it('is printing while any printer prints or is paused mid-job', () => {
    const g = farmGlance([p('a', { kind: 'printing', job }), p('b', { kind: 'paused', job }), p('c', { kind: 'idle' })], new Map());
    expect(g).toMatchObject({ state: 'printing', printing: 2, summary: 'AutoPrintFarm — 2 printing' });
  });

  it('needs attention for a printer in error, a bed to clear or a refused key, even while others print', () => {
    const g = farmGlance(
      [
        p('a', { kind: 'printing', job }),
        p('b', { kind: 'error', message: 'MAXTEMP' }),
        p('c', { kind: 'idle' }),
        p('d', { kind: 'offline', reason: null, credential: { problem: 'refused', what: 'access code' } }),
      ],
      beds([['c', 'needs_clear']]),
    );
    expect(g.state).toBe('attention');
    expect(g.attention).toEqual([
      { printerId: 'b', name: 'Printer b', why: 'error: MAXTEMP' },
      { printerId: 'c', name: 'Printer c', why: 'bed needs clearing' },
      { printerId: 'd', name: 'Printer d', why: 'its access code is refused' },
    ]);
    expect(g.summary).toBe('AutoPrintFarm — 1 printing, 3 need attention');
  });

  it('a printer held for maintenance needs attention; one merely due is listed without changing the icon', () => {
    const maintenance = new Map([
      ['a', { due: ['nozzle change due (212 h of 200 h)'], holding: true }],
      ['b', { due: ['cleaning due (25 of 25 prints)', 'belt tension due (300 h of 300 h)'], holding: false }],
    ]);
    const g = farmGlance([p('a', { kind: 'idle' }), p('b', { kind: 'printing', job }), p('c', { kind: 'idle' })], new Map(), maintenance);
    expect(g.state).toBe('attention');
    expect(g.attention).toEqual([{ printerId: 'a', name: 'Printer a', why: 'held for maintenance: nozzle change due (212 h of 200 h)' }]);
    expect(g.maintenance).toEqual([{ printerId: 'b', name: 'Printer b', why: 'maintenance: cleaning due (25 of 25 prints), belt tension due (300 h of 300 h)' }]);
    expect(g.summary).toBe('AutoPrintFarm — 1 printing, 1 needs attention, 1 due for maintenance');
    const dueOnly = farmGlance([p('b', { kind: 'printing', job })], new Map(), new Map([['b', { due: ['cleaning due (25 of 25 prints)'], holding: false }]]));
    expect(dueOnly.state).toBe('printing');
  });

  it('says so when there are no printers', () => {
    expect(farmGlance([], new Map()).summary).toBe('AutoPrintFarm — no printers');
  });
});

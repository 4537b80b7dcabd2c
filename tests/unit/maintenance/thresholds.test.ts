import { describe, expect, it } from 'vitest';
import { assess, describeProgress, inSentence } from '../../../electron/core/maintenance/thresholds';

const task = (t: { everyHours?: number; everyGrams?: number; everyPrints?: number; name?: string }) => ({
  name: t.name ?? 'Nozzle change',
  everyHours: t.everyHours ?? null,
  everyGrams: t.everyGrams ?? null,
  everyPrints: t.everyPrints ?? null,
});

describe('a task is due when any one of its thresholds is reached', () => {
  it('is ok below 90 % of every threshold, soon from 90 %, due at 100 %', () => {
    expect(assess(task({ everyHours: 200 }), { hours: 179, grams: 0, prints: 0 }).state).toBe('ok');
    expect(assess(task({ everyHours: 200 }), { hours: 180, grams: 0, prints: 0 }).state).toBe('soon');
    expect(assess(task({ everyHours: 200 }), { hours: 200, grams: 0, prints: 0 })).toMatchObject({ state: 'due', dueText: 'nozzle change due (200 h of 200 h)' });
  });

  it('names only the thresholds reached, with their numbers', () => {
    const a = assess(task({ everyHours: 200, everyGrams: 1000, everyPrints: 50 }), { hours: 212.4, grams: 1250, prints: 10 });
    expect(a.dueText).toBe('nozzle change due (212 h of 200 h, 1.2 kg of 1 kg)');
    expect(a.progress.map((p) => [p.measure, Math.round(p.fraction * 100)])).toEqual([
      ['hours', 106],
      ['grams', 125],
      ['prints', 20],
    ]);
  });

  it('is not due on a threshold it does not have', () => {
    expect(assess(task({ everyPrints: 10 }), { hours: 10_000, grams: 1e6, prints: 9 })).toMatchObject({ state: 'soon', dueText: null });
  });

  it('says prints and small numbers the way a person reads them', () => {
    expect(describeProgress({ measure: 'prints', used: 1, limit: 1 })).toBe('1 of 1 print');
    expect(describeProgress({ measure: 'prints', used: 3, limit: 2 })).toBe('3 of 2 prints');
    expect(describeProgress({ measure: 'hours', used: 2.46, limit: 2 })).toBe('2.4 h of 2 h');
    expect(describeProgress({ measure: 'grams', used: 512.7, limit: 500 })).toBe('512 g of 500 g');
    expect(inSentence('Belt tension')).toBe('belt tension');
    expect(inSentence('PTFE tube')).toBe('PTFE tube');
  });
});

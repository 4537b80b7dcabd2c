import { describe, expect, it } from 'vitest';
import { maintenanceFixture } from './maintenance-fixture';

describe("a task's counters come from the print history since it was last done", () => {
  it('adds up hours start to end, and counts completed, failed and interrupted prints but not cancelled ones', () => {
    const f = maintenanceFixture();
    const t = f.task({ everyHours: 100 });
    f.print({ hours: 2, outcome: 'completed' });
    f.print({ hours: 1.5, outcome: 'failed' });
    f.print({ hours: 0.5, outcome: 'interrupted' });
    f.print({ hours: 0.25, outcome: 'cancelled' });
    expect(f.maintenance.list('p1').find((v) => v.id === t.id)!.counters).toEqual({ hours: 4.25, grams: 0, prints: 3 });
  });

  it("weighs a print by the grams taken off its spool where known, else by the history's file grams × progress", () => {
    const f = maintenanceFixture();
    f.task({ everyGrams: 1000 });
    // The spool's figure wins over the file's; a spool that recorded 0 g (figures unknown) falls back to the file's.
    f.print({ spoolG: 40, filamentG: 35 });
    f.print({ spoolG: 0, filamentG: 12.5 });
    f.print({ spoolG: null, filamentG: 7.25 });
    f.print({ spoolG: null, filamentG: null });
    expect(f.maintenance.list('p1')[0]!.counters.grams).toBe(59.75);
  });

  it("counts only this printer's prints, and from now unless asked to count its whole history", () => {
    const f = maintenanceFixture();
    f.print({ printerId: 'p1', hours: 10 });
    const fresh = f.task({ everyPrints: 10 });
    const whole = f.task({ kind: 'belts', everyPrints: 10, countFrom: 'history' });
    f.print({ printerId: 'p1', hours: 1 });
    f.print({ printerId: 'p2', hours: 5 });
    const byId = new Map(f.maintenance.list('p1').map((v) => [v.id, v]));
    expect(byId.get(fresh.id)!.counters).toEqual({ hours: 1, grams: 0, prints: 1 });
    expect(byId.get(whole.id)!.counters).toEqual({ hours: 11, grams: 0, prints: 2 });
  });

  it('starts again from zero when the task is marked done, and the log keeps the counters it had', () => {
    const f = maintenanceFixture();
    const t = f.task({ everyHours: 3 });
    f.print({ hours: 2, filamentG: 10 });
    f.print({ hours: 2, filamentG: 5 });
    const { task, entry } = f.maintenance.markDone(t.id, 'Sam', 'new 0.4 brass');
    expect(task.counters).toEqual({ hours: 0, grams: 0, prints: 0 });
    expect(entry).toMatchObject({ taskId: t.id, doneBy: 'Sam', note: 'new 0.4 brass', counters: { hours: 4, grams: 15, prints: 2 }, name: 'Nozzle change' });
    f.print({ hours: 1 });
    expect(f.maintenance.list('p1')[0]!.counters).toEqual({ hours: 1, grams: 0, prints: 1 });
  });

  it('a print ending in the same millisecond as a completion is counted once, after it (history ids, not times)', () => {
    const f = maintenanceFixture();
    const t = f.task({ everyPrints: 5 });
    f.print({ hours: 0 });
    f.maintenance.markDone(t.id, 'Sam', '');
    f.print({ hours: 0 });
    expect(f.maintenance.list('p1')[0]!.counters.prints).toBe(1);
    expect(f.maintenance.log('p1')[0]!.counters.prints).toBe(1);
  });
});

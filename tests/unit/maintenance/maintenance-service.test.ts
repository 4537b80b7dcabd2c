import { describe, expect, it } from 'vitest';
import { MaintenanceService } from '../../../electron/core/maintenance/maintenance-service';
import { maintenanceFixture } from './maintenance-fixture';

describe('maintenance tasks', () => {
  it('a standard task takes its kind as its name; a custom one must be named', () => {
    const f = maintenanceFixture();
    expect(f.task({ kind: 'lubrication', everyHours: 200 }).name).toBe('Lubrication');
    expect(f.task({ kind: 'custom', name: '  PTFE tube ', everyHours: 800 }).name).toBe('PTFE tube');
    expect(() => f.task({ kind: 'custom', everyHours: 800 })).toThrow(/Name the task/);
  });

  it('refuses a task with no threshold, on creation and when an edit would clear the last one, and keeps the task as it was', () => {
    const f = maintenanceFixture();
    expect(() => f.task({})).toThrow(/at least one threshold/);
    const t = f.task({ everyHours: 200 });
    expect(() => f.maintenance.update(t.id, { everyHours: null })).toThrow(/at least one threshold/);
    expect(f.maintenance.list('p1')).toEqual([expect.objectContaining({ everyHours: 200 })]);
    expect(f.db.prepare('SELECT every_hours FROM maintenance_tasks').all()).toEqual([{ every_hours: 200 }]);
  });

  it('refuses a task for a printer that is not in the fleet', () => {
    expect(() => maintenanceFixture().task({ printerId: 'gone', everyHours: 1 })).toThrow(/no longer exists/);
  });

  it('an edit changes thresholds and hold but not the counters; a left-out field keeps its value', () => {
    const f = maintenanceFixture();
    const t = f.task({ everyHours: 10 });
    f.print({ hours: 3 });
    const edited = f.maintenance.update(t.id, { everyPrints: 1, holdWhenDue: true, name: undefined });
    expect(edited).toMatchObject({ everyHours: 10, everyPrints: 1, holdWhenDue: true, name: 'Nozzle change', state: 'due', holding: true, counters: { hours: 3, prints: 1 } });
  });

  it('a removed task leaves its log behind: history keeps what was done when', () => {
    const f = maintenanceFixture();
    const t = f.task({ kind: 'belts', everyPrints: 2 });
    f.print({});
    f.maintenance.markDone(t.id, 'Ana', 'retensioned to 110 Hz');
    f.maintenance.remove(t.id);
    expect(f.maintenance.list('p1')).toEqual([]);
    expect(f.maintenance.log('p1')).toEqual([
      expect.objectContaining({ taskId: t.id, kind: 'belts', name: 'Belt tension', doneBy: 'Ana', note: 'retensioned to 110 Hz', doneAt: f.clock.now() }),
    ]);
    expect(() => f.maintenance.markDone(t.id, 'Ana', '')).toThrow(/no longer exists/);
  });

  it('tells listeners of every change and of counters that moved, not of prints that changed nothing', () => {
    const f = maintenanceFixture();
    const t = f.task({ everyPrints: 2 });
    f.print({});
    f.print({ printerId: 'p2' });
    f.print({ outcome: 'cancelled', hours: 0 });
    expect(f.changes.map((c) => [c.printerId, c.tasks[0]?.counters.prints])).toEqual([
      ['p1', 0],
      ['p1', 1],
    ]);
    f.maintenance.remove(t.id);
    expect(f.changes.at(-1)).toEqual({ printerId: 'p1', tasks: [] });
  });

  it('holds a printer only while a task set to hold is due, and says why', () => {
    const f = maintenanceFixture();
    const hold = f.task({ everyPrints: 1, holdWhenDue: true });
    f.task({ kind: 'cleaning', everyPrints: 1 });
    expect(f.maintenance.heldReason('p1')).toBeNull();
    f.print({});
    expect(f.maintenance.list('p1').map((v) => v.state)).toEqual(['due', 'due']);
    expect(f.maintenance.heldReason('p1')).toBe('nozzle change due (1 of 1 print)');
    expect(f.maintenance.heldReason('p2')).toBeNull();
    f.maintenance.markDone(hold.id, 'Sam', '');
    expect(f.maintenance.heldReason('p1')).toBeNull();
  });

  it('comes back after a restart with its tasks, counters and holds', () => {
    const f = maintenanceFixture();
    f.task({ everyHours: 1, holdWhenDue: true });
    f.print({ hours: 2 });
    const again = new MaintenanceService({ db: f.db, clock: f.clock, printerName: () => 'Printer p1' });
    expect(again.list()).toEqual(f.maintenance.list());
    expect(again.heldReason('p1')).toBe('nozzle change due (2 h of 1 h)');
  });
});

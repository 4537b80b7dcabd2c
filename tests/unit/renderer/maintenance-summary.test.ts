import { describe, expect, it } from 'vitest';
import type { MaintenanceTaskView } from '../../../electron/core/contract/maintenance-types';
import { groupByPrinter, maintenanceDue, progressLabel, withPrinterTasks } from '../../../renderer/src/screens/maintenance/maintenance-summary';

const task = (printerId: string, id: string, dueText: string | null, holding = false) =>
  ({ printerId, id, dueText, holding, state: dueText ? 'due' : 'ok' }) as MaintenanceTaskView;

describe("a printer's maintenance on its card and tile", () => {
  it('says nothing until a task is due, then every due task, and whether one holds the queue', () => {
    expect(maintenanceDue(undefined)).toBeNull();
    expect(maintenanceDue([task('a', '1', null)])).toBeNull();
    expect(maintenanceDue([task('a', '1', 'nozzle change due (212 h of 200 h)'), task('a', '2', null), task('a', '3', 'cleaning due (25 of 25 prints)', true)])).toEqual({
      text: 'nozzle change due (212 h of 200 h), cleaning due (25 of 25 prints)',
      holding: true,
    });
  });

  it("an event replaces one printer's tasks and leaves the others' lists as they were", () => {
    const before = groupByPrinter([task('a', '1', null), task('b', '2', null), task('a', '3', null)]);
    expect([...before.keys()]).toEqual(['a', 'b']);
    expect(before.get('a')!.map((t) => t.id)).toEqual(['1', '3']);
    const after = withPrinterTasks(before, 'a', [task('a', '3', 'x due (1 of 1 print)', true)]);
    expect(after.get('a')!.map((t) => t.id)).toEqual(['3']);
    expect(after.get('b')).toBe(before.get('b'));
    expect(withPrinterTasks(after, 'a', []).has('a')).toBe(false);
    expect(before.get('a')).toHaveLength(2);
  });

  it('labels a progress bar with what was used against the threshold', () => {
    expect(progressLabel({ measure: 'hours', used: 212.7, limit: 200 })).toBe('212 h / 200 h');
    expect(progressLabel({ measure: 'hours', used: 0.25, limit: 2.5 })).toBe('0.2 h / 2.5 h');
    expect(progressLabel({ measure: 'grams', used: 3.68, limit: 1000 })).toBe('3.6 g / 1000 g');
    expect(progressLabel({ measure: 'prints', used: 1, limit: 1 })).toBe('1 / 1 print');
  });
});

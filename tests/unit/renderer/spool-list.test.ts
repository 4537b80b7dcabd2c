import { expect, it } from 'vitest';
import type { SpoolView } from '../../../electron/core/contract/materials-types';
import { applySpoolChanges, spoolOn } from '../../../renderer/src/screens/spools/spool-list';

const spool = (id: string, p: Partial<SpoolView> = {}): SpoolView => ({
  id,
  material: 'PLA',
  brand: '',
  colourHex: '#000000',
  colourName: '',
  diameterMm: 1.75,
  densityGCm3: 1.24,
  netWeightG: 1000,
  remainingG: 1000,
  cost: null,
  lot: '',
  archived: false,
  createdAt: 0,
  updatedAt: 0,
  loadedOn: null,
  spoolman: null,
  ...p,
});

it('a spools.updated event replaces changed spools in place and adds new ones', () => {
  const list = [spool('a'), spool('b')];
  const next = applySpoolChanges(list, [spool('b', { remainingG: 5 }), spool('c')]);
  expect(next.map((s) => [s.id, s.remainingG])).toEqual([
    ['a', 1000],
    ['b', 5],
    ['c', 1000],
  ]);
  expect(list[1]!.remainingG).toBe(1000);
});

it("finds the spool on a printer's slot after a move", () => {
  let list = [spool('a', { loadedOn: { printerId: 'p1', slot: 0 } })];
  expect(spoolOn(list, 'p1')?.id).toBe('a');
  list = applySpoolChanges(list, [spool('a', { loadedOn: { printerId: 'p2', slot: 0 } })]);
  expect(spoolOn(list, 'p1')).toBeNull();
  expect(spoolOn(list, 'p2')?.id).toBe('a');
});

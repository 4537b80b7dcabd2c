import type { SpoolFields } from '../../../electron/core/contract/materials-types';
import { SpoolInventory } from '../../../electron/core/materials/spool-inventory';
import type { SpoolView } from '../../../electron/core/contract/materials-types';
import { openDatabase, type Db } from '../../../electron/core/store/database';
import { stepClock } from '../jobs/farm-fixture';

export const PLA_BLACK: SpoolFields = {
  material: 'PLA',
  brand: 'Prusament',
  colourHex: '#000000',
  colourName: 'Jet black',
  diameterMm: 1.75,
  densityGCm3: 1.24,
  netWeightG: 1000,
  remainingG: 1000,
  cost: 24.99,
  lot: 'L-1',
};

export function inventoryFixture(printers: string[] = ['p1', 'p2']): { db: Db; spools: SpoolInventory; changes: SpoolView[][]; clock: ReturnType<typeof stepClock> } {
  const db = openDatabase('', { file: ':memory:' });
  const clock = stepClock();
  const changes: SpoolView[][] = [];
  const spools = new SpoolInventory({ db, clock, printerName: (id) => (printers.includes(id) ? `Printer ${id}` : null), onChange: (s) => changes.push(s) });
  return { db, spools, changes, clock };
}

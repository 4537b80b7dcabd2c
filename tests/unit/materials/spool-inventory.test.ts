import { describe, expect, it } from 'vitest';
import { SpoolInventory } from '../../../electron/core/materials/spool-inventory';
import { inventoryFixture, PLA_BLACK } from './spool-fixture';

describe('spools', () => {
  it('a created spool is listed, survives a reopen of the database, and its change is announced', () => {
    const { db, spools, changes, clock } = inventoryFixture();
    const s = spools.create(PLA_BLACK);
    expect(s).toMatchObject({ ...PLA_BLACK, archived: false, loadedOn: null });
    expect(changes.at(-1)!.map((c) => c.id)).toEqual([s.id]);
    const again = new SpoolInventory({ db, clock, printerName: () => 'x' });
    expect(again.list()).toEqual([s]);
  });

  it('an edit changes only the fields given and refuses more remaining than the net weight', () => {
    const { spools } = inventoryFixture();
    const s = spools.create(PLA_BLACK);
    expect(spools.update(s.id, { remainingG: 400, colourName: 'Black' })).toMatchObject({ remainingG: 400, colourName: 'Black', material: 'PLA' });
    expect(() => spools.update(s.id, { remainingG: 2000 })).toThrow(/cannot be more than the net weight/);
    expect(spools.require(s.id).remainingG).toBe(400);
  });

  it('archiving hides a spool from the list but keeps it; a loaded spool must be unloaded first', () => {
    const { spools } = inventoryFixture();
    const s = spools.create(PLA_BLACK);
    spools.load(s.id, { printerId: 'p1', slot: 0 });
    expect(() => spools.archive(s.id)).toThrow(/loaded on Printer p1\. Unload it first/);
    spools.unload({ printerId: 'p1', slot: 0 });
    expect(spools.archive(s.id).archived).toBe(true);
    expect(spools.list()).toEqual([]);
    expect(spools.list(true).map((x) => x.id)).toEqual([s.id]);
    expect(() => spools.load(s.id, { printerId: 'p1', slot: 0 })).toThrow(/archived\. Restore it/);
    expect(spools.restore(s.id).archived).toBe(false);
  });

  it('loading a spool replaces the one in that slot and moves the spool off any other printer', () => {
    const { spools, changes } = inventoryFixture();
    const a = spools.create(PLA_BLACK);
    const b = spools.create({ ...PLA_BLACK, colourHex: '#FFFFFF', colourName: 'White' });
    spools.load(a.id, { printerId: 'p1', slot: 0 });
    spools.load(b.id, { printerId: 'p1', slot: 0 });
    expect(spools.loadedOn('p1')?.id).toBe(b.id);
    expect(spools.require(a.id).loadedOn).toBeNull();
    expect(
      changes
        .at(-1)!
        .map((c) => c.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    spools.load(b.id, { printerId: 'p2', slot: 0 });
    expect(spools.loadedOn('p1')).toBeNull();
    expect(spools.loadedOn('p2')?.id).toBe(b.id);
  });

  it('loading onto a printer that does not exist, or a slot a single extruder lacks, is refused with what to do', () => {
    const { spools } = inventoryFixture();
    const a = spools.create(PLA_BLACK);
    expect(() => spools.load(a.id, { printerId: 'gone', slot: 0 })).toThrow(/no longer exists/);
    expect(() => spools.load(a.id, { printerId: 'p1', slot: 2 })).toThrow(
      'Printer p1 reports no AMS tray for slot 2: a spool goes into a tray the printer reports (or slot 0, its one spool holder).',
    );
  });

  it('a job deducts its grams times its progress from the spool loaded at its start, once however often its end is reported', () => {
    const { db, spools } = inventoryFixture();
    const a = spools.create(PLA_BLACK);
    spools.load(a.id, { printerId: 'p1', slot: 0 });
    db.transaction(() => spools.claimInTx('job-1', 'p1', 1))();
    // The spool is swapped mid-print: the job still takes from the one it started with.
    const b = spools.create(PLA_BLACK);
    spools.load(b.id, { printerId: 'p1', slot: 0 });
    const need = { material: 'PLA', colourHex: null, colourName: null, grams: 50, mm: null, edited: false };
    const first = db.transaction(() => spools.deductInTx('job-1', need, 0.4, 2))();
    spools.committed(first);
    const second = db.transaction(() => spools.deductInTx('job-1', need, 0.4, 3))();
    expect(first).toEqual([a.id]);
    expect(second).toEqual([]);
    expect(spools.require(a.id).remainingG).toBe(980);
    expect(spools.require(b.id).remainingG).toBe(1000);
    expect(spools.usage(a.id)).toEqual([{ jobId: 'job-1', spoolId: a.id, printerId: 'p1', grams: 20, fraction: 0.4, at: 2 }]);
  });

  it('a file stating only millimetres is converted with the spool’s own diameter and density', () => {
    const { db, spools } = inventoryFixture();
    const a = spools.create({ ...PLA_BLACK, densityGCm3: 1.27, material: 'PETG' });
    spools.load(a.id, { printerId: 'p1', slot: 0 });
    db.transaction(() => spools.claimInTx('j', 'p1', 1))();
    // 1000 mm of 1.75 mm filament is 2.405 cm³; at 1.27 g/cm³ that is 3.05 g.
    db.transaction(() => spools.deductInTx('j', { material: 'PETG', colourHex: null, colourName: null, grams: null, mm: 1000, edited: false }, 1, 2))();
    spools.committed([a.id]);
    expect(spools.require(a.id).remainingG).toBeCloseTo(1000 - 3.05, 2);
  });

  it('a print that used more than the spool held leaves it at 0 g, and records what it really used', () => {
    const { db, spools } = inventoryFixture();
    const a = spools.create({ ...PLA_BLACK, remainingG: 10 });
    spools.load(a.id, { printerId: 'p1', slot: 0 });
    db.transaction(() => spools.claimInTx('j', 'p1', 1))();
    db.transaction(() => spools.deductInTx('j', { material: null, colourHex: null, colourName: null, grams: 25, mm: null, edited: false }, 1, 2))();
    spools.committed([a.id]);
    expect(spools.require(a.id).remainingG).toBe(0);
    expect(spools.usage(a.id)[0]!.grams).toBe(25);
  });
});

import { describe, expect, it } from 'vitest';
import type { FarmProfile, JobTarget } from '../../../electron/core/contract/jobs-types';
import { decideDispatch, type QueuedRef, type ReadyPrinter } from '../../../electron/core/jobs/dispatch-decision';
import { defaultProfile } from '../../../electron/core/jobs/profile-store';
import { QueueOrder } from '../../../electron/core/jobs/queue-order';
import { describeTarget, fileFormatOf, formatRefusal, meetsRequirements, printerTakesFormat, targetKey } from '../../../electron/core/jobs/requirements';

const any: JobTarget = { kind: 'any', requirements: {} };
const job = (id: string, target: JobTarget = any): QueuedRef => ({ id, target, key: targetKey(target) });
const printer = (id: string, p: Partial<FarmProfile> = {}): ReadyPrinter => ({ id, profile: { ...defaultProfile(id), ...p } });

describe('dispatch decision', () => {
  it('gives jobs in queue order the first compatible ready printer', () => {
    expect(decideDispatch([job('j1'), job('j2'), job('j3')], [printer('a'), printer('b')], 5)).toEqual([
      { jobId: 'j1', printerId: 'a' },
      { jobId: 'j2', printerId: 'b' },
    ]);
  });

  it('starts no more jobs than there are start slots', () => {
    expect(decideDispatch([job('j1'), job('j2')], [printer('a'), printer('b')], 1)).toHaveLength(1);
    expect(decideDispatch([job('j1')], [printer('a')], 0)).toEqual([]);
  });

  it('lets a later job through when an earlier one fits no ready printer', () => {
    const petg: JobTarget = { kind: 'any', requirements: { material: 'PETG' } };
    expect(decideDispatch([job('j1', petg), job('j2')], [printer('a', { material: 'PLA' })], 2)).toEqual([{ jobId: 'j2', printerId: 'a' }]);
  });

  it('gives a fixed-printer job only to that printer', () => {
    const fixed: JobTarget = { kind: 'printer', printerId: 'b' };
    expect(decideDispatch([job('j1', fixed), job('j2')], [printer('a'), printer('b')], 5)).toEqual([
      { jobId: 'j1', printerId: 'b' },
      { jobId: 'j2', printerId: 'a' },
    ]);
  });

  it('does not give two jobs with the same requirements the same printer', () => {
    const mk4: JobTarget = { kind: 'any', requirements: { printerModel: 'MK4' } };
    const out = decideDispatch([job('j1', mk4), job('j2', mk4), job('j3', mk4)], [printer('a', { model: 'MK4' }), printer('b'), printer('c', { model: 'mk4' })], 5);
    expect(out).toEqual([
      { jobId: 'j1', printerId: 'a' },
      { jobId: 'j2', printerId: 'c' },
    ]);
  });
});

describe('requirements', () => {
  const p = { ...defaultProfile('x'), model: 'MK4', nozzleDiameter: 0.4, material: 'PETG', group: 'Rack A', tags: ['fast', 'enclosed'] };
  it('matches model, material and group ignoring case, nozzle within a rounding error, and every tag', () => {
    expect(meetsRequirements(p, { printerModel: 'mk4', material: 'petg', group: 'rack a', nozzleDiameter: 0.40000001, tags: ['Fast'] })).toBe(true);
    expect(meetsRequirements(p, { nozzleDiameter: 0.6 })).toBe(false);
    expect(meetsRequirements(p, { tags: ['fast', 'ams'] })).toBe(false);
    expect(meetsRequirements(undefined, { material: 'PLA' })).toBe(false);
    expect(meetsRequirements(undefined, {})).toBe(true);
  });
  it('gives requirements that match the same printers the same key', () => {
    expect(targetKey({ kind: 'any', requirements: { tags: ['b', 'A'], material: 'PLA' } })).toBe(targetKey({ kind: 'any', requirements: { material: 'pla', tags: ['a', 'b'] } }));
  });
  it('describes a target in plain words', () => {
    expect(describeTarget(any, () => '')).toBe('any printer');
    expect(describeTarget({ kind: 'any', requirements: { printerModel: 'MK4', nozzleDiameter: 0.4 } }, () => '')).toBe('MK4 · 0.4 mm nozzle');
  });
});

describe('queue order', () => {
  it('keeps higher priority first, then position, then the order queued', () => {
    const q = new QueueOrder();
    q.insert({ ...job('low'), priority: 0, position: 1, seq: 1 });
    q.insert({ ...job('n2'), priority: 1, position: 3, seq: 3 });
    q.insert({ ...job('n1'), priority: 1, position: 2, seq: 2 });
    q.insert({ ...job('urgent'), priority: 3, position: 9, seq: 9 });
    expect(q.values().map((e) => e.id)).toEqual(['urgent', 'n1', 'n2', 'low']);
    q.remove('n1');
    expect(q.values().map((e) => e.id)).toEqual(['urgent', 'n2', 'low']);
  });
});

describe('file formats in dispatch', () => {
  const kinded = (id: string, kind: ReadyPrinter['kind']): ReadyPrinter => ({ ...printer(id), kind });
  const threeMf = (id: string, target: JobTarget = any): QueuedRef => ({ ...job(id, target), format: fileFormatOf('cube.gcode.3mf') });

  it('never gives a .gcode.3mf to a Marlin, OctoPrint, Moonraker, PrusaLink or virtual printer', () => {
    const others = (['virtual', 'marlin', 'octoprint', 'moonraker', 'prusalink'] as const).map((k) => kinded(k, k));
    expect(decideDispatch([threeMf('j1')], others, 5)).toEqual([]);
    expect(decideDispatch([threeMf('j1')], [...others, kinded('p1s', 'bambu')], 5)).toEqual([{ jobId: 'j1', printerId: 'p1s' }]);
  });

  it('keeps a .gcode.3mf fixed to a non-Bambu printer queued instead of sending it there', () => {
    const fixed: JobTarget = { kind: 'printer', printerId: 'octo' };
    expect(decideDispatch([threeMf('j1', fixed)], [kinded('octo', 'octoprint')], 5)).toEqual([]);
  });

  it('sends a .gcode.3mf to no printer whose kind it does not know', () => {
    expect(decideDispatch([threeMf('j1')], [printer('a')], 5)).toEqual([]);
  });

  it('still gives plain G-code to any printer, a Bambu one included, next to 3MF jobs with the same target', () => {
    const out = decideDispatch([threeMf('j1'), job('j2'), job('j3')], [kinded('octo', 'octoprint'), kinded('p1s', 'bambu')], 5);
    expect(out).toEqual([
      { jobId: 'j1', printerId: 'p1s' },
      { jobId: 'j2', printerId: 'octo' },
    ]);
    expect(decideDispatch([job('j1')], [kinded('p1s', 'bambu')], 5)).toEqual([{ jobId: 'j1', printerId: 'p1s' }]);
  });

  it('explains why a printer cannot take a .gcode.3mf, and says nothing when it can', () => {
    expect(formatRefusal('moonraker', 'gcode.3mf', 'Voron')).toMatch(/^Voron cannot print a \.gcode\.3mf.*only Bambu Lab printers/);
    expect(formatRefusal('bambu', 'gcode.3mf', 'P1S')).toBeNull();
    expect(formatRefusal('marlin', 'gcode', 'MK3')).toBeNull();
    expect(printerTakesFormat('bambu', 'gcode')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { MaterialNeed } from '../../../electron/core/contract/materials-types';
import { colourDistance, COLOUR_TOLERANCE, describeNeed, materialFamily, misfit, mmToGrams, sameMaterial, type LoadedFilament } from '../../../electron/core/materials/matching';

const need = (n: Partial<MaterialNeed>): MaterialNeed => ({ material: null, colourHex: null, colourName: null, grams: null, mm: null, edited: false, ...n });
const spool = (s: Partial<Extract<LoadedFilament, { kind: 'spool' }>> = {}): LoadedFilament => ({
  kind: 'spool',
  spoolId: 's',
  material: 'PLA',
  colourHex: '#000000',
  colourName: '',
  remainingG: 500,
  diameterMm: 1.75,
  densityGCm3: 1.24,
  ...s,
});

describe('material names', () => {
  it('compare by family: case, separators, a trailing + and finish words do not matter', () => {
    for (const m of ['PLA+', 'pla', 'PLA Matte', 'Silk PLA', 'PLA Basic', 'pla_plus', 'PLA-HS']) expect(sameMaterial(m, 'PLA'), m).toBe(true);
  });
  it('keep fillers and different polymers apart', () => {
    expect(sameMaterial('PETG-CF', 'PETG')).toBe(false);
    expect(sameMaterial('PETG', 'PLA')).toBe(false);
    expect(sameMaterial('ABS', 'ASA')).toBe(false);
  });
  it('read a multi-material file by its first material', () => {
    expect(materialFamily('PLA, ABS')).toBe('PLA');
  });
});

describe('colours', () => {
  it('count a different batch of the same colour as the same, and another colour as different', () => {
    expect(colourDistance('#FFFFFF', '#FFF2EC')).toBeLessThan(COLOUR_TOLERANCE);
    expect(colourDistance('#000000', '#101010')).toBeLessThan(COLOUR_TOLERANCE);
    expect(colourDistance('#FF8000', '#E02020')).toBeGreaterThan(COLOUR_TOLERANCE);
    expect(colourDistance('#000000', '#FFFFFF')).toBeGreaterThan(COLOUR_TOLERANCE);
  });
});

describe('whether a printer’s filament fits a job', () => {
  it('a job stating nothing fits any spool', () => {
    expect(misfit(null, spool(), 'when-known')).toBeNull();
    expect(misfit(need({}), spool(), 'require-spool')).toBeNull();
  });
  it('a spool of another material does not fit, and says what is loaded', () => {
    expect(misfit(need({ material: 'PETG' }), spool({ material: 'PLA' }), 'when-known')).toBe('has PLA loaded');
  });
  it('a spool of another colour does not fit; a colour asked by name matches the spool’s name or the everyday name of its code', () => {
    expect(misfit(need({ colourHex: '#FFFFFF' }), spool({ colourHex: '#000000' }), 'when-known')).toBe('has black loaded');
    expect(misfit(need({ colourName: 'Black' }), spool({ colourHex: '#050505' }), 'when-known')).toBeNull();
    expect(misfit(need({ colourName: 'galaxy' }), spool({ colourName: 'Galaxy' }), 'when-known')).toBeNull();
  });
  it('a spool holding fewer grams than the file states does not fit', () => {
    expect(misfit(need({ grams: 35 }), spool({ remainingG: 12 }), 'when-known')).toBe('has 12 g left');
    expect(misfit(need({ grams: 35 }), spool({ remainingG: 35 }), 'when-known')).toBeNull();
  });
  it('a file stating only millimetres is weighed on the spool’s own diameter and density', () => {
    expect(mmToGrams(1000, 1.75, 1.24)).toBeCloseTo(2.98, 2);
    expect(misfit(need({ mm: 10_000 }), spool({ remainingG: 29 }), 'when-known')).toBe('has 29 g left');
    expect(misfit(need({ mm: 10_000 }), spool({ remainingG: 30 }), 'when-known')).toBeNull();
  });
  it('a printer with no spool loaded takes any job unless spools are required', () => {
    expect(misfit(need({ material: 'PETG', grams: 5 }), { kind: 'unknown' }, 'when-known')).toBeNull();
    expect(misfit(need({ material: 'PETG' }), { kind: 'unknown' }, 'require-spool')).toBe('has no spool loaded');
    expect(misfit(need({ grams: 5 }), { kind: 'unknown' }, 'require-spool')).toBeNull();
  });
  it('matching turned off fits everything', () => {
    expect(misfit(need({ material: 'PETG' }), spool(), 'off')).toBeNull();
  });
});

it('a need reads as words: material, colour and grams', () => {
  expect(describeNeed(need({ material: 'PETG', colourHex: '#0A0A0A', grams: 35 }))).toBe('PETG black with ≥ 35 g');
  expect(describeNeed(need({ material: 'PLA' }))).toBe('PLA');
  expect(describeNeed(need({ grams: 3.68 }))).toBe('filament with ≥ 3.7 g');
});

import { describe, expect, it } from 'vitest';
import type { Filament } from '../../../../electron/core/cloud/schemas';
import { describeChanges, fromFilament, parseDiameter, syncedOf, toFilamentBody } from '../../../../electron/core/materials/cloud-sync/filament-mapping';
import { isDirty } from '../../../../electron/core/materials/cloud-sync/sync-store';
import { PETG_BLACK } from './sync-world';

const record = (extra: Partial<Filament> = {}): Filament => ({
  id: 'fil_1',
  type: 'PETG',
  color: 'Galaxy black',
  hex_code: '#000000',
  brand: 'Prusament',
  diameter: '1.75mm',
  remaining_grams: 512,
  spool_weight_grams: 1000,
  low_threshold: 100,
  status: 'in_stock',
  location: null,
  created_at: '2025-01-15T10:00:00.000Z',
  updated_at: '2025-01-15T10:02:00.000Z',
  ...extra,
});

describe('spool ↔ filament record', () => {
  it('sends material, colour name and code, brand, diameter, remaining and net weight, and never cost or lot', () => {
    const body = toFilamentBody(PETG_BLACK);
    expect(body).toEqual({ type: 'PETG', color: 'Galaxy black', hex_code: '#000000', brand: 'Prusament', diameter: '1.75', remaining_grams: 640, spool_weight_grams: 1000 });
  });

  it('names a colour the user left unnamed by its code, since the cloud requires a colour', () => {
    expect(toFilamentBody({ ...PETG_BLACK, colourName: '', colourHex: '#F0F0F0' }).color).toBe('white');
  });

  it('reads a record into the fields of the spool here, keeping its cost, lot and density', () => {
    expect(fromFilament(record(), PETG_BLACK)).toEqual({ ...PETG_BLACK, remainingG: 512 });
  });

  it('a record first seen in the cloud gets its material’s density and a colour code from its name when it has none', () => {
    const f = fromFilament(record({ type: 'ABS', color: 'Signal red', hex_code: null, diameter: '2.85 mm' }), null);
    expect(f).toMatchObject({ material: 'ABS', colourHex: '#E02020', colourName: 'Signal red', diameterMm: 2.85, densityGCm3: 1.04, cost: null, lot: '' });
  });

  it('keeps remaining within the net weight, which the app requires and the cloud does not', () => {
    expect(fromFilament(record({ remaining_grams: 1200, spool_weight_grams: 1000 }), null)).toMatchObject({ remainingG: 1200, netWeightG: 1200 });
    expect(fromFilament(record({ spool_weight_grams: 0 }), null).netWeightG).toBe(1000);
  });

  it('reads a diameter however the cloud writes it, and refuses what no spool has', () => {
    expect([parseDiameter('1.75mm'), parseDiameter('1,75'), parseDiameter(2.85), parseDiameter('abc'), parseDiameter('17.5')]).toEqual([1.75, 1.75, 2.85, null, null]);
  });

  it('describes what the winning edit changed of the losing one, field by field', () => {
    const loser = { ...syncedOf(PETG_BLACK), archived: false };
    const winner = { ...syncedOf(PETG_BLACK), remainingG: 512, colourName: 'Black', archived: true };
    expect(describeChanges(loser, winner)).toEqual([
      { field: 'colourName', label: 'colour name', from: 'Galaxy black', to: 'Black' },
      { field: 'remainingG', label: 'remaining', from: '640 g', to: '512 g' },
      { field: 'archived', label: 'state', from: 'in use', to: 'archived' },
    ]);
  });

  it('a spool has something to send when new, edited since in step, archived or restored; not when archived and gone there', () => {
    const link = { spoolId: 's', cloudId: 'c', localSyncedAt: 100, cloudUpdatedAt: 'x', goneAt: null, goneBy: null };
    expect(isDirty({ updatedAt: 50, archived: false }, null)).toBe(true);
    expect(isDirty({ updatedAt: 50, archived: true }, null)).toBe(false);
    expect(isDirty({ updatedAt: 100, archived: false }, link)).toBe(false);
    expect(isDirty({ updatedAt: 101, archived: false }, link)).toBe(true);
    expect(isDirty({ updatedAt: 101, archived: true }, { ...link, goneAt: 101, goneBy: 'local' as const })).toBe(false);
    expect(isDirty({ updatedAt: 90, archived: false }, { ...link, goneAt: 95, goneBy: 'cloud' as const })).toBe(true);
  });
});

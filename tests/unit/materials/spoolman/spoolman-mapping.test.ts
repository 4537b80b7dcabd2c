import { describe, expect, it } from 'vitest';
import type { SmSpool } from '../../../../electron/core/materials/spoolman/spoolman-api';
import { spoolmanBaseUrl, spoolmanWords } from '../../../../electron/core/materials/spoolman/spoolman-client';
import { fieldsFromSpoolman, filamentSideChanged, findFilament, spoolWrite, UNSTATED_COLOUR } from '../../../../electron/core/materials/spoolman/spoolman-mapping';

const spool = (p: Partial<SmSpool> = {}, f: Partial<SmSpool['filament']> = {}): SmSpool => ({
  id: 7,
  registered: '2025-01-01T00:00:00Z',
  used_weight: 0,
  used_length: 0,
  archived: false,
  extra: {},
  ...p,
  filament: { id: 3, registered: '2025-01-01T00:00:00Z', density: 1.24, diameter: 1.75, extra: {}, ...f },
});

describe("Spoolman's filament and spool map onto one spool of ours", () => {
  it('material, vendor, colour, diameter, density from the filament; weights, price and lot from the spool', () => {
    const s = spool(
      { initial_weight: 1000, remaining_weight: 640.5, used_weight: 359.5, price: 19.5, lot_nr: 'A-1' },
      { material: 'PETG', name: 'Jet Black', color_hex: '0a0b0c', vendor: { id: 1, registered: '', name: 'Prusament', extra: {} }, diameter: 2.85, density: 1.27, price: 30 },
    );
    expect(fieldsFromSpoolman(s)).toEqual({
      fields: {
        material: 'PETG',
        brand: 'Prusament',
        colourHex: '#0A0B0C',
        colourName: 'Jet Black',
        diameterMm: 2.85,
        densityGCm3: 1.27,
        netWeightG: 1000,
        remainingG: 640.5,
        cost: 19.5,
        lot: 'A-1',
      },
      archived: false,
    });
  });

  it("the filament's weight and price stand in when the spool states none; the alpha channel is dropped", () => {
    const mapped = fieldsFromSpoolman(spool({ used_weight: 250, archived: true }, { weight: 750, price: 21, color_hex: 'FF8000CC' }))!;
    expect(mapped.fields).toMatchObject({ netWeightG: 750, remainingG: 500, cost: 21, colourHex: '#FF8000', material: '', brand: '', lot: '' });
    expect(mapped.archived).toBe(true);
  });

  it('a multi-colour filament takes its first colour; a filament with no colour is shown grey', () => {
    expect(fieldsFromSpoolman(spool({ initial_weight: 1000 }, { multi_color_hexes: '00FF00,0000FF' }))!.fields.colourHex).toBe('#00FF00');
    expect(fieldsFromSpoolman(spool({ initial_weight: 1000 }))!.fields.colourHex).toBe(UNSTATED_COLOUR);
  });

  it('a spool whose weight Spoolman does not know is left out rather than given a made-up one', () => {
    expect(fieldsFromSpoolman(spool({ used_weight: 12 }))).toBeNull();
  });

  it('uses not yet sent to Spoolman come off its remaining weight, never below zero', () => {
    const s = spool({ initial_weight: 1000, remaining_weight: 10, used_weight: 990 });
    expect(fieldsFromSpoolman(s, 3.68)!.fields.remainingG).toBe(6.32);
    expect(fieldsFromSpoolman(s, 25)!.fields.remainingG).toBe(0);
  });

  it('an edited remaining weight is sent plus the uses still queued, so Spoolman shows it once they arrive', () => {
    const f = fieldsFromSpoolman(spool({ initial_weight: 1000, remaining_weight: 500 }, { material: 'PLA' }))!.fields;
    expect(spoolWrite({ ...f, remainingG: 400 }, 3.5)).toEqual({ initial_weight: 1000, remaining_weight: 403.5, price: null, lot_nr: null });
  });

  it('a spool is put on the filament with the same vendor, material, colour, size, density and name; a changed colour means another filament', () => {
    const fil = {
      id: 3,
      registered: '',
      material: 'pla',
      name: 'Black',
      color_hex: '000000',
      diameter: 1.75,
      density: 1.24,
      vendor: { id: 1, registered: '', name: 'prusament', extra: {} },
      extra: {},
    };
    const ours = {
      material: 'PLA',
      brand: 'Prusament',
      colourHex: '#000000' as const,
      colourName: 'Black',
      diameterMm: 1.75,
      densityGCm3: 1.24,
      netWeightG: 1000,
      remainingG: 1000,
      cost: null,
      lot: '',
    };
    expect(findFilament([fil], ours)?.id).toBe(3);
    expect(findFilament([fil], { ...ours, colourHex: '#FFFFFF' })).toBeNull();
    expect(filamentSideChanged(ours, { ...ours, remainingG: 10, lot: 'x' })).toBe(false);
    expect(filamentSideChanged(ours, { ...ours, brand: 'Polymaker' })).toBe(true);
  });
});

describe("Spoolman's address and its error bodies", () => {
  it('an address is kept as scheme, host, port and path, without /api/v1 or a trailing slash', () => {
    expect(spoolmanBaseUrl(' http://192.168.1.20:7912/ ')).toBe('http://192.168.1.20:7912');
    expect(spoolmanBaseUrl('https://farm.lan/spoolman/api/v1/')).toBe('https://farm.lan/spoolman');
    expect(() => spoolmanBaseUrl('ftp://x')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => spoolmanBaseUrl('http://user:pw@x:7912')).toThrow(/without a user name/);
  });

  it("Spoolman's own message and FastAPI's validation detail are both turned into words", () => {
    expect(spoolmanWords({ message: 'No spool with ID 5 found.' })).toBe('No spool with ID 5 found.');
    expect(spoolmanWords({ detail: [{ type: 'greater_than', loc: ['body', 'density'], msg: 'Input should be greater than 0', input: 0 }] })).toBe(
      'density: Input should be greater than 0',
    );
    expect(spoolmanWords('<html>')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { AmsState } from '../../../electron/core/printers/bambu/ams';

const full = {
  ams: {
    ams: [
      { id: '0', tray: [{ id: '0', tray_type: 'PLA', tray_color: 'FF0000FF', remain: 35, tray_sub_brands: 'PLA Matte' }, { id: '1' }] },
      { id: '1', tray: [{ id: '0', tray_type: 'PETG-CF', tray_color: '2850E0FF', remain: -1 }] },
    ],
    tray_now: '4',
  },
  vt_tray: { id: '254', tray_type: 'TPU', tray_color: '00FF00FF', remain: 0 },
};

describe("a Bambu printer's AMS report", () => {
  it('lists every tray with its material, colour, what is left when the AMS knows, and the one in use', () => {
    const ams = new AmsState();
    expect(ams.merge(full)).toBe(true);
    expect(ams.trays()).toEqual([
      { slot: 'AMS 1 · tray 1', amsUnit: 0, tray: 0, material: 'PLA', name: 'PLA Matte', colorHex: '#FF0000', remainingPct: 35, active: false },
      { slot: 'AMS 1 · tray 2', amsUnit: 0, tray: 1, material: null, name: null, colorHex: null, remainingPct: null, active: false },
      // Unit 1's first tray is tray 4 in Bambu's numbering: the one feeding now. No tag: nothing known left.
      { slot: 'AMS 2 · tray 1', amsUnit: 1, tray: 0, material: 'PETG-CF', name: null, colorHex: '#2850E0', remainingPct: null, active: true },
      { slot: 'External spool', amsUnit: null, tray: 254, material: 'TPU', name: null, colorHex: '#00FF00', remainingPct: 0, active: false },
    ]);
  });

  it('keeps the trays through reports without an AMS section, and follows tray_now alone', () => {
    const ams = new AmsState();
    ams.merge(full);
    expect(ams.merge({ mc_percent: 40 })).toBe(false);
    expect(ams.merge({ ams: { tray_now: '255' } })).toBe(true);
    expect(ams.trays().filter((t) => t.active)).toEqual([]);
    expect(ams.trays()).toHaveLength(4);
  });
});

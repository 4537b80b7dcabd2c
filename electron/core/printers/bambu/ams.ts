import type { ReportedTray } from '../model';

/**
 * The filament a Bambu printer reports loaded: each AMS unit's trays (`print.ams.ams[].tray[]`) and the external
 * spool holder (`print.vt_tray`, id 254). `tray_now` is the tray feeding the nozzle ("255" when none).
 * Reports carry the AMS whole when anything in it changed; a report without it leaves the kept list alone.
 */
export class AmsState {
  private units: ReportedTray[] | null = null;
  private external: ReportedTray | null = null;
  private trayNow: string | null = null;

  /** Takes what a report says; true when anything changed. */
  merge(print: Record<string, unknown>): boolean {
    const before = JSON.stringify(this.trays());
    const ams = print.ams as { ams?: unknown; tray_now?: unknown } | undefined;
    if (ams && typeof ams === 'object') {
      if (Array.isArray(ams.ams)) this.units = ams.ams.flatMap((unit, u) => unitTrays(unit, u));
      if (typeof ams.tray_now === 'string') this.trayNow = ams.tray_now;
    }
    if (print.vt_tray && typeof print.vt_tray === 'object') this.external = tray(print.vt_tray, null, 254);
    return JSON.stringify(this.trays()) !== before;
  }

  /** Every tray with what is in it; `active` marks the one feeding the nozzle. */
  trays(): ReportedTray[] {
    const list = [...(this.units ?? []), ...(this.external ? [this.external] : [])];
    return list.map((t) => ({ ...t, active: this.trayNow !== null && trayIndex(t) === this.trayNow }));
  }
}

interface RawTray {
  id?: unknown;
  tray_type?: unknown;
  tray_color?: unknown;
  remain?: unknown;
  tray_sub_brands?: unknown;
}

function unitTrays(unit: unknown, position: number): ReportedTray[] {
  const u = unit as { id?: unknown; tray?: unknown };
  const unitId = Number.isInteger(Number(u?.id)) ? Number(u.id) : position;
  return Array.isArray(u?.tray) ? (u.tray as RawTray[]).map((t, i) => tray(t, unitId, Number.isInteger(Number(t?.id)) ? Number(t.id) : i)) : [];
}

function tray(t: RawTray, unit: number | null, index: number): ReportedTray {
  const material = typeof t.tray_type === 'string' && t.tray_type.trim() ? t.tray_type.trim() : null;
  // RRGGBBAA; an empty tray reports "00000000" with no type.
  const color = typeof t.tray_color === 'string' && /^[0-9A-Fa-f]{6}/.test(t.tray_color) && material ? `#${t.tray_color.slice(0, 6).toUpperCase()}` : null;
  const remain = typeof t.remain === 'number' && t.remain >= 0 && t.remain <= 100 ? t.remain : null;
  const brand = typeof t.tray_sub_brands === 'string' && t.tray_sub_brands.trim() ? t.tray_sub_brands.trim() : null;
  return {
    slot: unit === null ? 'External spool' : `AMS ${unit + 1} · tray ${index + 1}`,
    amsUnit: unit,
    tray: index,
    material,
    name: brand,
    colorHex: color,
    remainingPct: material ? remain : null,
    active: false,
  };
}

/** Bambu numbers trays across units: unit 0 trays 0–3, unit 1 trays 4–7 …; the external holder is 254. */
function trayIndex(t: ReportedTray): string {
  return t.amsUnit === null ? '254' : String(t.amsUnit * 4 + t.tray);
}

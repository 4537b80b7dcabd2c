/**
 * The small text files Bambu Studio and OrcaSlicer write next to the G-code in a `.gcode.3mf`:
 * - `Metadata/slice_info.config`: XML, one `<plate>` per sliced plate with `<metadata key=… value=…/>` items
 *   (index, printer_model_id, nozzle_diameters, prediction in seconds, weight in g), one `<filament …/>` per
 *   filament used (type, color, used_m, used_g) and `<warning msg=…/>`; a `<header>` with the client version.
 * - `Metadata/project_settings.config`: JSON of the whole print/filament/printer configuration (string values,
 *   arrays for per-extruder settings).
 * - `3D/3dmodel.model`: the 3MF model, whose first lines carry `<metadata name="Application">BambuStudio-…`.
 * These files are machine-written, so a small tolerant tag reader is enough; nothing here trusts them to be
 * well-formed beyond that, and missing or odd values come out as null.
 */
import type { SlicerInfo } from './types';

export interface SliceInfoPlate {
  index: number;
  printerModelId: string | null;
  nozzleDiameter: number | null;
  predictionSeconds: number | null;
  weightG: number | null;
  outside: boolean;
  filaments: { type: string | null; color: string | null; usedM: number | null; usedG: number | null }[];
  warnings: string[];
}

export interface SliceInfo {
  clientVersion: string | null;
  plates: SliceInfoPlate[];
}

const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === 'apos') return "'";
    const code = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(ATTR)) out.set(m[1]!, unescapeXml(m[2] ?? m[3] ?? ''));
  return out;
}

function num(v: string | undefined | null): number | null {
  if (v === undefined || v === null || v.trim() === '') return null;
  const n = Number(v.trim().split(/[\s,;]+/)[0]);
  return Number.isFinite(n) ? n : null;
}

const text = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);

export function parseSliceInfo(xml: string): SliceInfo {
  const info: SliceInfo = { clientVersion: null, plates: [] };
  let plate: SliceInfoPlate | null = null;
  let inHeader = false;
  for (const m of xml.matchAll(TAG)) {
    const [, closing, name, attrText = '', selfClosing] = m;
    if (closing) {
      if (name === 'plate' && plate) {
        info.plates.push(plate);
        plate = null;
      }
      if (name === 'header') inHeader = false;
      continue;
    }
    const a = attributes(attrText);
    if (name === 'header') inHeader = !selfClosing;
    else if (name === 'header_item' && inHeader && a.get('key') === 'X-BBL-Client-Version') info.clientVersion = text(a.get('value'));
    else if (name === 'plate' && !selfClosing) {
      plate = { index: 0, printerModelId: null, nozzleDiameter: null, predictionSeconds: null, weightG: null, outside: false, filaments: [], warnings: [] };
    } else if (plate && name === 'metadata') {
      const value = a.get('value');
      switch (a.get('key')) {
        case 'index':
          plate.index = num(value) ?? 0;
          break;
        case 'printer_model_id':
          plate.printerModelId = text(value);
          break;
        case 'nozzle_diameters':
          plate.nozzleDiameter = num(value);
          break;
        case 'prediction':
          plate.predictionSeconds = num(value);
          break;
        case 'weight':
          plate.weightG = num(value);
          break;
        case 'outside':
          plate.outside = value === 'true';
          break;
      }
    } else if (plate && name === 'filament') {
      plate.filaments.push({ type: text(a.get('type')), color: text(a.get('color')), usedM: num(a.get('used_m')), usedG: num(a.get('used_g')) });
    } else if (plate && name === 'warning') {
      const msg = text(a.get('msg'));
      if (msg) plate.warnings.push(msg);
    }
  }
  return info;
}

export interface ProjectSettings {
  printerModel: string | null;
  layerHeight: number | null;
  nozzleDiameter: number | null;
  filamentTypes: string[];
  version: string | null;
}

/** The first value of a setting that is either a string or a per-extruder array of strings. */
function first(v: unknown): string | null {
  if (typeof v === 'string') return text(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return first(v[0]);
  return null;
}

/** Null when the text is not a JSON object (an old or foreign project): the other sources still apply. */
export function parseProjectSettings(json: string): ProjectSettings | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  const types = Array.isArray(o.filament_type) ? o.filament_type : [o.filament_type];
  return {
    printerModel: first(o.printer_model) ?? first(o.printer_settings_id),
    layerHeight: num(first(o.layer_height)),
    nozzleDiameter: num(first(o.nozzle_diameter)),
    filamentTypes: types.map(first).filter((t): t is string => t !== null),
    version: first(o.version),
  };
}

/** "BambuStudio-01.09.01.66" or "OrcaSlicer-2.1.1" from the model's Application metadata. */
export function applicationFromModel(head: string): SlicerInfo | null {
  const m = /<metadata\s+name\s*=\s*"Application"\s*>([^<]*)<\/metadata>/i.exec(head);
  if (!m) return null;
  return slicerFromApplication(unescapeXml(m[1]!.trim()));
}

export function slicerFromApplication(app: string): SlicerInfo | null {
  const m = /^(BambuStudio|Bambu Studio|OrcaSlicer|Orca Slicer)[-\s]*(\S+)?/i.exec(app);
  if (!m) return null;
  const name = /orca/i.test(m[1]!) ? 'OrcaSlicer' : 'BambuStudio';
  return { name, version: m[2] ?? null };
}

import { z } from 'zod';
import { spoolFields } from '../contract/methods/materials';
import type { SpoolFields, SpoolView } from '../contract/materials-types';
import { AppError } from '../errors';
import { csvField, CsvSyntaxError, parseCsv } from './csv';

/** The columns, in the order written; an import finds them by header name, in any order. */
export const SPOOL_CSV_COLUMNS = [
  'id',
  'material',
  'brand',
  'colour_hex',
  'colour_name',
  'diameter_mm',
  'density_g_cm3',
  'net_weight_g',
  'remaining_g',
  'cost',
  'lot',
  'archived',
] as const;
type Column = (typeof SPOOL_CSV_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['material', 'colour_hex', 'diameter_mm', 'density_g_cm3', 'net_weight_g', 'remaining_g'];

export function spoolsCsv(spools: readonly SpoolView[]): string {
  const lines = [SPOOL_CSV_COLUMNS.join(',')];
  for (const s of spools) {
    lines.push(
      [s.id, s.material, s.brand, s.colourHex, s.colourName, s.diameterMm, s.densityGCm3, s.netWeightG, s.remainingG, s.cost, s.lot, s.archived ? 'yes' : 'no']
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export interface ImportRow {
  line: number;
  id: string | null;
  fields: SpoolFields;
  /** From the `archived` column (yes/no); null when the file does not say, which leaves a spool as it is. */
  archived: boolean | null;
}

const MAX_ROWS = 10_000;

/**
 * Reads a spool CSV. All or nothing: the first bad row throws with its line number and what to fix, and nothing
 * is imported. Our own export undoes its formula guard (a leading ' before = + - @), so an export imports back as it was.
 */
export function readSpoolsCsv(text: string): ImportRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new AppError('invalid_input', `The CSV cannot be read. ${err.message} Nothing was imported.`);
    throw err;
  }
  const header = records.shift();
  if (!header) throw new AppError('invalid_input', 'The CSV is empty. Export the spools once to see the columns it needs.');
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !names.includes(c));
  if (missing.length)
    throw new AppError(
      'invalid_input',
      `The CSV has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}. The first line must name the columns (${SPOOL_CSV_COLUMNS.join(', ')}).`,
    );
  if (records.length > MAX_ROWS) throw new AppError('invalid_input', `The CSV has ${records.length} rows; import at most ${MAX_ROWS} at a time.`);
  const seen = new Set<string>();
  return records.map((r) => {
    const cell = (c: Column): string => {
      const i = names.indexOf(c);
      const v = i < 0 ? '' : (r.fields[i] ?? '').trim();
      return /^'[=+\-@]/.test(v) ? v.slice(1) : v;
    };
    const bad = (why: string) => new AppError('invalid_input', `Line ${r.line}: ${why} Nothing was imported; fix the row and import again.`);
    if (r.fields.length !== names.length) throw bad(`it has ${r.fields.length} fields where the header has ${names.length} (a comma inside a value needs quotes).`);
    const id = cell('id') || null;
    if (id !== null) {
      if (!z.string().uuid().safeParse(id).success) throw bad(`"${id}" is not a spool id; leave id empty for a new spool.`);
      if (seen.has(id)) throw bad(`spool ${id} appears twice.`);
      seen.add(id);
    }
    const num = (c: Column) => {
      const v = cell(c);
      if (v === '') return undefined;
      const n = Number(v.replace(',', '.'));
      if (!Number.isFinite(n)) throw bad(`${c} "${v}" is not a number.`);
      return n;
    };
    const cost = num('cost');
    const parsed = spoolFields.safeParse({
      material: cell('material'),
      brand: cell('brand'),
      colourHex: cell('colour_hex'),
      colourName: cell('colour_name'),
      diameterMm: num('diameter_mm'),
      densityGCm3: num('density_g_cm3'),
      netWeightG: num('net_weight_g'),
      remainingG: num('remaining_g'),
      cost: cost ?? null,
      lot: cell('lot'),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? '');
      const message = issue.code === 'invalid_type' ? 'a value is needed.' : issue.message;
      throw bad(`${columnOf(field) ?? field}: ${message}`);
    }
    if (parsed.data.remainingG > parsed.data.netWeightG) throw bad('remaining_g is more than net_weight_g.');
    const flag = cell('archived').toLowerCase();
    if (!['', 'yes', 'no', 'true', 'false'].includes(flag)) throw bad(`archived "${flag}" is not yes or no.`);
    return { line: r.line, id, fields: parsed.data, archived: flag === '' ? null : flag === 'yes' || flag === 'true' };
  });
}

const FIELD_COLUMNS: Record<keyof SpoolFields, Column> = {
  material: 'material',
  brand: 'brand',
  colourHex: 'colour_hex',
  colourName: 'colour_name',
  diameterMm: 'diameter_mm',
  densityGCm3: 'density_g_cm3',
  netWeightG: 'net_weight_g',
  remainingG: 'remaining_g',
  cost: 'cost',
  lot: 'lot',
};

function columnOf(field: string): Column | null {
  return (FIELD_COLUMNS as Record<string, Column>)[field] ?? null;
}

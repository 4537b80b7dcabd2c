/**
 * A small RFC 4180 reader: comma-separated, fields in double quotes may hold commas, quotes ("") and line breaks,
 * lines end in CRLF or LF. Each record keeps the line it starts on, so an import can say where a bad row is.
 * (The project has no CSV dependency and the spool import is its only reader; this is all it needs.)
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`Line ${line}: ${message}`);
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a BOM from a spreadsheet's "CSV UTF-8"
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  /** The current field was quoted (so `""` is an empty field, and a line holding only it is not blank). */
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    // A blank line is no record (a trailing newline, a spreadsheet's empty rows).
    if (!(fields.length === 1 && fields[0] === '' && !quoted)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    quoted = false;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"' && field === '' && !quoted) {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new CsvSyntaxError(startLine, 'a quoted field is never closed (a " is missing).');
        const q = src[i]!;
        if (q === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = src[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new CsvSyntaxError(line, 'text follows a closing quote; put the whole field in quotes.');
      quoted = true;
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      quoted = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (c === '"') throw new CsvSyntaxError(line, 'a " inside an unquoted field; put the field in quotes and double the quote ("").');
    field += c;
    i++;
  }
  if (field !== '' || fields.length || quoted) {
    endRecord();
  }
  return records;
}

/** One field, quoted when it must be (RFC 4180); a leading =, +, -, @, tab or CR is defused so spreadsheets never run it as a formula. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

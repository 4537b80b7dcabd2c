import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../electron/core/materials/csv';
import { readSpoolsCsv, spoolsCsv } from '../../../electron/core/materials/spool-csv';
import { inventoryFixture, PLA_BLACK } from './spool-fixture';

const HEADER = 'material,brand,colour_hex,colour_name,diameter_mm,density_g_cm3,net_weight_g,remaining_g,cost,lot';

describe('CSV reader', () => {
  it('reads quoted commas, doubled quotes, line breaks inside quotes, CRLF and a BOM, with the line each record starts on', () => {
    const recs = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n"two\nlines",""\n\n3,4');
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['two\nlines', ''] },
      { line: 6, fields: ['3', '4'] },
    ]);
  });

  it('names the line of an unclosed quote and of a stray quote', () => {
    expect(() => parseCsv('a\n"open,b\nc')).toThrow(/Line 2: a quoted field is never closed/);
    expect(() => parseCsv('a\nb"c')).toThrow(/Line 2: a " inside an unquoted field/);
  });
});

describe('spool CSV', () => {
  it('an export imports back as the same spools, quotes and formula-looking text included', () => {
    const { spools } = inventoryFixture();
    spools.create({ ...PLA_BLACK, brand: 'Acme, "Pro" line', lot: '=HYPERLINK("http://x")', colourName: '-dark\ngrey' });
    const csv = spoolsCsv(spools.list());
    const rows = readSpoolsCsv(csv);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fields).toEqual({ ...PLA_BLACK, brand: 'Acme, "Pro" line', lot: '=HYPERLINK("http://x")', colourName: '-dark\ngrey' });
  });

  it('an export defuses cells a spreadsheet would run as a formula (= + - @)', () => {
    const { spools } = inventoryFixture();
    spools.create({ ...PLA_BLACK, brand: '@SUM(A1)', lot: '+1', colourName: '=cmd' });
    const line = spoolsCsv(spools.list()).split('\r\n')[1]!;
    expect(line).toContain(",'@SUM(A1),");
    expect(line).toContain(",'=cmd,");
    expect(line).toContain(",'+1,");
    expect(line).not.toMatch(/,[=+@]/);
  });

  it('a bad row is reported with its line number and reason, and nothing is imported', () => {
    const { spools } = inventoryFixture();
    const csv = `${HEADER}\nPLA,A,#000000,black,1.75,1.24,1000,900,,\nPETG,B,not-a-colour,red,1.75,1.27,1000,900,,\n`;
    expect(() => spools.applyImport(readSpoolsCsv(csv))).toThrow(/Line 3: colour_hex: A colour is a code like #1A2B3C\. Nothing was imported/);
    expect(spools.list(true)).toEqual([]);
  });

  it('says which column is missing, which value is not a number, and when a row has too many fields', () => {
    expect(() => readSpoolsCsv('material,brand\nPLA,x\n')).toThrow(/no colour_hex, diameter_mm, density_g_cm3, net_weight_g, remaining_g columns/);
    expect(() => readSpoolsCsv(`${HEADER}\nPLA,A,#000000,black,1.75,heavy,1000,900,,\n`)).toThrow(/Line 2: density_g_cm3 "heavy" is not a number/);
    expect(() => readSpoolsCsv(`${HEADER}\nPLA,A,#000000,black,1.75,1.24,1000,900,,,extra\n`)).toThrow(/Line 2: it has 11 fields where the header has 10/);
    expect(() => readSpoolsCsv(`${HEADER}\nPLA,A,#000000,black,1.75,1.24,1000,1900,,\n`)).toThrow(/Line 2: remaining_g is more than net_weight_g/);
    expect(() => readSpoolsCsv(`${HEADER}\nPLA,A,#000000,black,1.75,1.24,,900,,\n`)).toThrow(/Line 2: net_weight_g: a value is needed/);
  });

  it('an archived spool exports and imports back archived; archiving a loaded spool by import is refused and nothing is imported', () => {
    const { spools } = inventoryFixture();
    const gone = spools.create({ ...PLA_BLACK, remainingG: 0 });
    spools.archive(gone.id);
    const loaded = spools.create(PLA_BLACK);
    spools.load(loaded.id, { printerId: 'p1', slot: 0 });
    const csv = spoolsCsv(spools.list(true));
    const other = inventoryFixture();
    other.spools.applyImport(readSpoolsCsv(csv));
    expect(other.spools.list(true).map((s) => [s.id, s.archived])).toEqual([
      [gone.id, true],
      [loaded.id, false],
    ]);
    const archiveLoaded = csv.replace(/,no\r\n$/, ',yes\r\n');
    expect(() => spools.applyImport(readSpoolsCsv(archiveLoaded))).toThrow(/Line 3: this spool is loaded on Printer p1, so it cannot be archived\. Nothing was imported/);
    expect(spools.require(loaded.id).archived).toBe(false);
    expect(() => readSpoolsCsv(csv.replace(/,no\r\n$/, ',maybe\r\n'))).toThrow(/Line 3: archived "maybe" is not yes or no/);
  });

  it('a row with the id of an existing spool updates it; rows without an id are new spools', () => {
    const { spools } = inventoryFixture();
    const s = spools.create(PLA_BLACK);
    const csv = `id,${HEADER}\n${s.id},PLA,A,#000000,black,1.75,1.24,1000,500,,\n,PETG,B,#FF0000,red,1.75,1.27,750,750,19.5,L9\n`;
    expect(spools.applyImport(readSpoolsCsv(csv))).toEqual({ created: 1, updated: 1 });
    expect(spools.require(s.id).remainingG).toBe(500);
    expect(spools.list().find((x) => x.material === 'PETG')).toMatchObject({ colourHex: '#FF0000', cost: 19.5, lot: 'L9' });
  });
});

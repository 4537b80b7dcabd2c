/**
 * Slicers state their figures in comment lines of three shapes: "; key = value" (Slic3r family, KISSlicer,
 * Kiri:Moto), ";KEY:value" (Cura, ideaMaker, Bambu's header) and ";   key,value" (Simplify3D). This index reads
 * the comment lines of the head and tail text once, so each slicer parser is a handful of map look-ups.
 */
export class CommentIndex {
  private readonly values = new Map<string, string>();
  /** Every comment line, without its leading ';' marks, trimmed. */
  readonly lines: string[] = [];

  constructor(texts: readonly string[]) {
    for (const text of texts) this.read(text);
  }

  /** The first value stated for `key` (case and spacing of the key do not matter). */
  get(key: string): string | undefined {
    return this.values.get(normalizeKey(key));
  }

  /** The first comment line that starts with `prefix`. */
  lineStartingWith(prefix: string): string | undefined {
    return this.lines.find((l) => l.startsWith(prefix));
  }

  private read(text: string): void {
    let start = 0;
    const len = text.length;
    while (start < len) {
      let nl = text.indexOf('\n', start);
      if (nl === -1) nl = len;
      let i = start;
      while (i < nl && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (text.charCodeAt(i) === 59) {
        while (i < nl && text.charCodeAt(i) === 59) i++;
        const line = text.slice(i, nl).trim();
        if (line) {
          this.lines.push(line);
          this.add(line);
        }
      }
      start = nl + 1;
    }
  }

  private add(line: string): void {
    let sep = line.indexOf(' = ');
    let width = 3;
    if (sep === -1) {
      sep = line.indexOf(':');
      width = 1;
    }
    if (sep === -1) {
      sep = line.indexOf(',');
      width = 1;
    }
    if (sep <= 0) return;
    const key = normalizeKey(line.slice(0, sep));
    if (!key || this.values.has(key)) return;
    this.values.set(key, line.slice(sep + width).trim());
  }
}

export function normalizeKey(key: string): string {
  return key.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The leading number of a value such as "1.25m" or "0.4,0.4"; null when there is none. */
export function leadingNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^\s*\[?\s*([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)/.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
}

/** All numbers of a list value ("12.5, 3.1" or "12.5;3.1"). */
export function numberList(value: string | undefined): number[] {
  if (value === undefined) return [];
  return (value.match(/[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?/g) ?? []).map(Number).filter(Number.isFinite);
}

export function sumOrNull(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

/** A text value without surrounding quotes; multi-value lists ("PLA;PLA;PETG") collapse to their distinct entries. */
export function textValue(value: string | undefined): string | null {
  if (value === undefined) return null;
  const parts = value
    .split(/[;,]/)
    .map((p) =>
      p
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim(),
    )
    .filter(Boolean);
  const distinct = [...new Set(parts)];
  return distinct.length ? distinct.join(', ') : null;
}

/** A single text value (quotes removed, not split on separators). */
export function plainText(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
  return v || null;
}

/**
 * The first extruder's colour from a per-extruder list ("#FF8000;#DB5182", `""` when unset), as `#RRGGBB`; null
 * when the first entry is not a colour code.
 */
export function firstColour(value: string | undefined): string | null {
  if (value === undefined) return null;
  const first =
    value
      .split(/[;,]/)[0]
      ?.trim()
      .replace(/^"(.*)"$/, '$1')
      .trim() ?? '';
  return /^#[0-9a-fA-F]{6}$/.test(first) ? first.toUpperCase() : null;
}

import type { HexColour } from './materials-types';

/**
 * How materials and colours compare: pure functions the queue (materials/matching.ts) and the screens share.
 *
 * Materials compare by family: upper case, separators ignored, a trailing "+" and finish words (Basic, Matte, Silk,
 * Pro, Plus, HS, Tough) dropped, so "PLA+", "pla", "PLA Matte" and "Silk PLA" are all PLA. Fillers and blends stay
 * part of the name: "PETG-CF" is not "PETG" (it needs a hardened nozzle), "PLA, ABS" (a multi-material file) is
 * read as its first material.
 */
const FINISHES = new Set(['BASIC', 'MATTE', 'SILK', 'PRO', 'PLUS', 'HS', 'HIGHSPEED', 'TOUGH', 'HF']);

export function materialFamily(material: string): string {
  const first = material.split(',')[0] ?? '';
  const tokens = first
    .toUpperCase()
    .replace(/\+/g, ' PLUS ')
    .replace(/HIGH[\s_-]*SPEED/g, 'HIGHSPEED')
    .split(/[\s_\-/]+/)
    .filter((t) => t && !FINISHES.has(t));
  return tokens.join('-');
}

export function sameMaterial(a: string, b: string): boolean {
  return materialFamily(a) === materialFamily(b);
}

/** The largest CIE76 ΔE between two colours still called the same (≈ "a different batch of the same colour"). */
export const COLOUR_TOLERANCE = 12;

export function parseHex(hex: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** `#rrggbb`, `rrggbb` → `#RRGGBB`; null for anything else. */
export function normaliseHex(hex: string): HexColour | null {
  const rgb = parseHex(hex);
  return rgb ? `#${hex.trim().replace(/^#/, '').toUpperCase()}` : null;
}

function toLab([r, g, b]: [number, number, number]): [number, number, number] {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [R, G, B] = [lin(r), lin(g), lin(b)];
  const x = (R * 0.4124 + G * 0.3576 + B * 0.1805) / 0.95047;
  const y = R * 0.2126 + G * 0.7152 + B * 0.0722;
  const z = (R * 0.0193 + G * 0.1192 + B * 0.9505) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** Perceptual distance (CIE76 ΔE) between two hex colours; Infinity when either is not a colour. */
export function colourDistance(a: string, b: string): number {
  const pa = parseHex(a);
  const pb = parseHex(b);
  if (!pa || !pb) return Infinity;
  const [l1, a1, b1] = toLab(pa);
  const [l2, a2, b2] = toLab(pb);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

const BASIC_COLOURS: [string, HexColour][] = [
  ['black', '#000000'],
  ['white', '#FFFFFF'],
  ['grey', '#808080'],
  ['red', '#E02020'],
  ['orange', '#FF8000'],
  ['yellow', '#FFE000'],
  ['green', '#00A040'],
  ['blue', '#2040E0'],
  ['purple', '#8020C0'],
  ['pink', '#FF70B0'],
  ['brown', '#804020'],
];

/** The nearest everyday name of a colour, for messages ("PETG black"). */
export function colourWord(hex: string): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const [name, h] of BASIC_COLOURS) {
    const d = colourDistance(hex, h);
    if (d < bestD) [best, bestD] = [name, d];
  }
  return best;
}

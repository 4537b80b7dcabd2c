// What `npm run icons` makes from resources/icon.svg, as data and pure functions (tests read the same plan).
// Tray icons are built from the SVG's <g id="mark">: the tile behind the mark would be a blob at 16 px.
import { TRAY_STATES, TRAY_VARIANTS, trayFileName, type TrayIconState, type TrayVariant } from '../../electron/core/native-shell/tray-icons';

export { TRAY_STATES, TRAY_VARIANTS, trayFileName, type TrayIconState, type TrayVariant };

/** Linux PNG set (electron-builder's linux.icon folder of NxN.png) and the sizes packed into .ico / .icns. */
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
/** Windows shows 16–48 in Explorer and the taskbar and 256 in large views; each is stored as PNG inside the .ico. */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** The PNG-bearing ICNS types macOS reads since 10.7, with their pixel size (the @2x ones are the Retina variants). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
] as const;

/** 16 px at 1x; Electron picks the @2x file on HiDPI screens by its name. */
export const TRAY_SIZE = 16;

const GLYPH = { 'on-light': '#1b1f24', 'on-dark': '#f2f4f7', Template: '#000000' } as const;
/** Printing is green, needs-attention amber; a template icon cannot have colour, so there the badge's shape says it. */
const BADGE = { printing: '#22a35a', attention: '#f59e0b' } as const;

/** The group id="mark" of the source SVG, exactly as written there. */
export function extractMark(iconSvg: string): string {
  const match = /<g id="mark"[\s\S]*?<\/g>/.exec(iconSvg);
  if (!match) throw new Error('resources/icon.svg has no <g id="mark"> … </g>: the tray icons are made from it.');
  return match[0];
}

/**
 * A tray icon as SVG: the mark in one colour (fills replaced), cropped to its own bounds, with a status badge
 * in the lower right for printing (a dot) and attention (a dot with an exclamation mark cut out). The mark is
 * cut away around the badge so the two read apart at 16 px.
 */
export function traySvg(iconSvg: string, state: TrayIconState, variant: TrayVariant): string {
  const glyph = GLYPH[variant];
  const mark = extractMark(iconSvg)
    .replace(/\sfill="[^"]*"/g, '')
    .replace('<g id="mark"', `<g id="mark" fill="${glyph}" mask="url(#cut)"`);
  // The mark spans x 212–812, y 250–770 in the source; a square box around it with a little air.
  const view = '192 190 640 640';
  const cx = 712;
  const cy = 710;
  const r = 120;
  const badgeColour = variant === 'Template' ? glyph : state === 'idle' ? glyph : BADGE[state];
  const badge =
    state === 'idle'
      ? ''
      : state === 'printing'
        ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${badgeColour}"/>`
        : `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${badgeColour}" mask="url(#bang)"/>`;
  const cut = state === 'idle' ? '' : `<circle cx="${cx}" cy="${cy}" r="${r + 44}" fill="#000"/>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${view}">`,
    '<defs>',
    `<mask id="cut" maskUnits="userSpaceOnUse" x="0" y="0" width="1024" height="1024"><rect width="1024" height="1024" fill="#fff"/>${cut}</mask>`,
    state === 'attention'
      ? `<mask id="bang" maskUnits="userSpaceOnUse" x="0" y="0" width="1024" height="1024"><rect width="1024" height="1024" fill="#fff"/>` +
        `<rect x="${cx - 18}" y="${cy - 82}" width="36" height="104" rx="18" fill="#000"/><circle cx="${cx}" cy="${cy + 58}" r="20" fill="#000"/></mask>`
      : '',
    '</defs>',
    mark,
    badge,
    '</svg>',
  ].join('');
}

/** Every file the script writes, relative to the project root (the test checks each is committed). */
export function iconOutputs(): string[] {
  const tray = TRAY_STATES.flatMap((s) => TRAY_VARIANTS.flatMap((v) => [1, 2].map((scale) => `resources/tray/${trayFileName(s, v, scale as 1 | 2)}`)));
  return [
    'resources/icon.png',
    'resources/icon.ico',
    'resources/icon.icns',
    ...LINUX_SIZES.map((n) => `resources/icons/${n}x${n}.png`),
    ...tray,
    'renderer/public/favicon.svg',
    'resources/icons.manifest.json',
  ];
}

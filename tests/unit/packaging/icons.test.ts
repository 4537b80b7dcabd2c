import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ICNS_TYPES, ICO_SIZES, LINUX_SIZES, TRAY_SIZE, TRAY_STATES, extractMark, iconOutputs, trayFileName, traySvg } from '../../../scripts/lib/icon-plan';

// The icons are committed; these checks read the files themselves (no sharp, no network), so a package never
// ships a stale, missing or wrongly sized icon.
const root = join(__dirname, '../../..');
const read = (p: string) => readFileSync(join(root, p));
const config = parse(read('electron-builder.yml').toString('utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a YAML/JSON document whose shape each test asserts;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('the icons made from resources/icon.svg', () => {
  it('are all committed', () => {
    expect(iconOutputs().filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });

  it('were made from the current icon.svg (run `npm run icons` after editing it)', () => {
    const manifest = JSON.parse(read('resources/icons.manifest.json').toString('utf8')) as { sha256: string };
    expect(manifest.sha256).toBe(createHash('sha256').update(read('resources/icon.svg')).digest('hex'));
  });

  it('has a Linux PNG set where each file is the size its name says', () => {
    for (const n of LINUX_SIZES) expect(pngSize(read(`resources/icons/${n}x${n}.png`)), `${n}`).toEqual([n, n]);
    expect(pngSize(read('resources/icon.png'))).toEqual([1024, 1024]);
  });

  it('has a Windows .ico holding every size from 16 to 256', () => {
    const ico = read('resources/icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]); // reserved, type 1 = icon
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => {
      const entry = 6 + i * 16;
      const image = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8));
      // png-to-ico stores small sizes as BMP (a 40-byte BITMAPINFOHEADER, height doubled for the AND mask) and
      // large ones as PNG, as Windows' own icons do; the directory's width byte says 0 for 256.
      const size = image.readUInt32LE(0) === 40 ? image.readInt32LE(4) : pngSize(image)[0];
      expect(ico[entry] || 256).toBe(size);
      return size;
    });
    expect(sizes.sort((a, b) => a - b)).toEqual([...ICO_SIZES]);
  });

  it('has a macOS .icns whose entries are PNGs of the size their type stands for', () => {
    const icns = read('resources/icon.icns');
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found = new Map<string, number>();
    for (let at = 8; at < icns.length;) {
      const type = icns.subarray(at, at + 4).toString('latin1');
      const length = icns.readUInt32BE(at + 4);
      if (type !== 'TOC ') found.set(type, pngSize(icns.subarray(at + 8, at + length))[0]);
      at += length;
    }
    expect(Object.fromEntries(found)).toEqual(Object.fromEntries(ICNS_TYPES));
  });

  it('has tray icons for each farm state, for light and dark menus and as macOS templates, at 1x and 2x', () => {
    for (const state of TRAY_STATES) {
      for (const variant of ['on-light', 'on-dark', 'Template'] as const) {
        expect(pngSize(read(`resources/tray/${trayFileName(state, variant, 1)}`))).toEqual([TRAY_SIZE, TRAY_SIZE]);
        expect(pngSize(read(`resources/tray/${trayFileName(state, variant, 2)}`))).toEqual([TRAY_SIZE * 2, TRAY_SIZE * 2]);
      }
    }
    // macOS only treats an image as a template when its name ends in Template (before @2x).
    expect(trayFileName('idle', 'Template', 2)).toBe('idleTemplate@2x.png');
  });

  it('gives the renderer the same mark as its favicon', () => {
    expect(read('renderer/public/favicon.svg').toString('utf8')).toContain(extractMark(read('resources/icon.svg').toString('utf8')));
    expect(read('renderer/index.html').toString('utf8')).toContain('<link rel="icon" type="image/svg+xml" href="./favicon.svg" />');
  });
});

describe('tray icon drawing', () => {
  const source = read('resources/icon.svg').toString('utf8');

  it('draws the mark in one colour, so a template icon is pure black with alpha', () => {
    const svg = traySvg(source, 'attention', 'Template');
    const colours = new Set([...svg.matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1]!.toLowerCase()));
    // #fff and #000 are the masks' own colours; everything drawn is black.
    expect([...colours].filter((c) => c !== '#ffffff')).toEqual(['#000000']);
    expect(svg).not.toContain('url(#layers)');
  });

  it('marks printing and attention with a badge and leaves idle without one', () => {
    expect(traySvg(source, 'idle', 'on-light')).not.toContain('<circle');
    expect(traySvg(source, 'printing', 'on-light')).toContain('#22a35a');
    expect(traySvg(source, 'attention', 'on-dark')).toContain('#f59e0b');
  });

  it('refuses a source without the mark group rather than drawing an empty tray icon', () => {
    expect(() => traySvg('<svg></svg>', 'idle', 'on-light')).toThrow(/id="mark"/);
  });
});

describe('electron-builder.yml uses the icons', () => {
  it('points each platform at its icon', () => {
    expect(config.mac.icon).toBe('resources/icon.icns');
    expect(config.win.icon).toBe('resources/icon.ico');
    expect(config.linux.icon).toBe('resources/icons');
    for (const p of [config.mac.icon, config.win.icon, config.linux.icon]) expect(existsSync(join(root, p as string)), p).toBe(true);
  });

  it('copies the tray icons and the window icon into the package, where the running app finds them', () => {
    expect(config.extraResources).toEqual(
      expect.arrayContaining([
        { from: 'resources/tray', to: 'tray' },
        { from: 'resources/icons/512x512.png', to: 'icons/512x512.png' },
      ]),
    );
  });

  it("ships the Bambu CA folder where the desktop's printer checks read it", () => {
    expect(config.extraResources).toEqual(expect.arrayContaining([{ from: 'resources/bambu-ca', to: 'bambu-ca' }]));
    expect(existsSync(join(root, 'resources/bambu-ca/README.md'))).toBe(true);
  });
});

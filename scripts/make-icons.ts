// `npm run icons`: renders every icon from resources/icon.svg (see scripts/lib/icon-plan.ts for the list).
// sharp (libvips + librsvg) draws the SVG at each size; png-to-ico and @fiahfy/icns pack the PNGs into the
// Windows and macOS containers. The outputs are committed, so packaging and the app never need sharp.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Icns, IcnsImage } from '@fiahfy/icns';
import pngToIco from 'png-to-ico';
import sharp from 'sharp';
import { ICNS_TYPES, ICO_SIZES, LINUX_SIZES, TRAY_SIZE, TRAY_STATES, TRAY_VARIANTS, trayFileName, traySvg } from './lib/icon-plan';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceFile = join(root, 'resources/icon.svg');
const source = readFileSync(sourceFile, 'utf8');

function write(relative: string, data: Buffer | string): void {
  const file = join(root, relative);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
  console.log(`wrote ${relative}`);
}

/** Renders an SVG at size×size. The density makes librsvg draw at the target size instead of scaling a bitmap. */
async function png(svg: string, size: number): Promise<Buffer> {
  const viewBoxWidth = Number(/viewBox="[\d.]+ [\d.]+ ([\d.]+)/.exec(svg)?.[1] ?? size);
  return sharp(Buffer.from(svg), { density: Math.max(1, (72 * size) / viewBoxWidth) })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toBuffer();
}

const bySize = new Map<number, Buffer>();
const appPng = async (size: number) => bySize.get(size) ?? bySize.set(size, await png(source, size)).get(size)!;

for (const size of LINUX_SIZES) write(`resources/icons/${size}x${size}.png`, await appPng(size));
write('resources/icon.png', await appPng(1024));
write('resources/icon.ico', await pngToIco(await Promise.all(ICO_SIZES.map(appPng))));

const icns = new Icns();
for (const [type, size] of ICNS_TYPES) icns.append(IcnsImage.fromPNG(await appPng(size), type));
write('resources/icon.icns', icns.data);

for (const state of TRAY_STATES) {
  for (const variant of TRAY_VARIANTS) {
    const svg = traySvg(source, state, variant);
    for (const scale of [1, 2] as const) write(`resources/tray/${trayFileName(state, variant, scale)}`, await png(svg, TRAY_SIZE * scale));
  }
}

// The favicon is the same mark, as the vector itself (minus the comment, which is for editors of the source).
write('renderer/public/favicon.svg', source.replace(/<!--[\s\S]*?-->\s*/, ''));
// Lets a test tell when icon.svg changed and the icons were not made again.
write('resources/icons.manifest.json', `${JSON.stringify({ source: 'resources/icon.svg', sha256: createHash('sha256').update(source).digest('hex') }, null, 2)}\n`);

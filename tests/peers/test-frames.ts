import sharp from 'sharp';

/** How many distinct frames a stand-in camera cycles through. */
export const FRAME_COUNT = 12;
let cached: Promise<Buffer[]> | null = null;

/**
 * Real, small JPEGs a browser can draw (sharp, already a dev dependency for the icons): a colour that turns
 * through the hue circle and the frame number in large digits, so a moving stream is visible in a screenshot
 * and two frames never compare equal. Made once per test process.
 */
export function testFrames(): Promise<Buffer[]> {
  cached ??= Promise.all(
    Array.from({ length: FRAME_COUNT }, (_, n) => {
      const hue = Math.round((n * 360) / FRAME_COUNT);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240">
        <rect width="320" height="240" fill="hsl(${hue},60%,35%)"/>
        <rect x="${20 + n * 20}" y="180" width="40" height="40" fill="#fff"/>
        <text x="160" y="130" font-family="sans-serif" font-size="72" text-anchor="middle" fill="#fff">${n + 1}</text>
      </svg>`;
      return sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
    }),
  );
  return cached;
}

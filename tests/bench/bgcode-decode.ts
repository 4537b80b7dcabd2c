/**
 * Binary G-code decoding throughput, for `npm run bench:gcode`: PrusaSlicer's real .bgcode files
 * (../shared/fixtures/gcode relative to the project root: heatshrink 11/4 and 12/4, MeatPack, uncompressed)
 * decoded to G-code text by the product's own reader (`bgcodeText`: file read, CRC32, decompression, MeatPack,
 * the text layout), in real time. The figure is MB of G-code text out per second, best of five rounds over all
 * the files; skipped, saying so, where the folder is absent.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bgcodeText } from '../../electron/core/gcode/bgcode/reader';

type Emit = (metric: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

const DIR = process.env.APF_REAL_GCODE_DIR ?? fileURLToPath(new URL('../../../shared/fixtures/gcode', import.meta.url));

export async function benchBgcodeDecode(emit: Emit): Promise<void> {
  const files = existsSync(DIR)
    ? readdirSync(DIR)
        .filter((f) => f.endsWith('.bgcode'))
        .sort()
    : [];
  if (!files.length) {
    console.log(JSON.stringify({ bench: 'gcode', metric: 'bgcode_decode_mb_per_s', value: null, unit: 'MB/s', skipped: `no .bgcode files at ${DIR}` }));
    return;
  }
  const inputBytes = files.reduce((n, f) => n + statSync(join(DIR, f)).size, 0);
  let textBytes = 0;
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    textBytes = 0;
    for (const f of files) for await (const piece of bgcodeText(join(DIR, f))) textBytes += piece.length;
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  const mib = 1024 * 1024;
  emit('bgcode_decode_mb_per_s', textBytes / mib / best, 'MB/s', {
    files: files.length,
    text_mb: Math.round((textBytes / mib) * 10) / 10,
    bgcode_mb: Math.round((inputBytes / mib) * 10) / 10,
    bgcode_in_mb_per_s: Math.round((inputBytes / mib / best) * 10) / 10,
    seconds: Math.round(best * 1000) / 1000,
  });
}

import { createReadStream, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeGcodeFile, analyzeGcodeStream, toAnalyzeJson } from '../../../electron/core/gcode/index';
import { fixture } from './helpers';

describe('streaming', () => {
  it('reports progress chunk by chunk up to the file size', async () => {
    const path = fixture('bambustudio.gcode');
    const size = statSync(path).size;
    const seen: [number, number][] = [];
    await analyzeGcodeFile(path, { chunkBytes: 4096, onProgress: (read, total) => seen.push([read, total]) });
    expect(seen.length).toBe(Math.ceil(size / 4096));
    expect(seen.every(([, total]) => total === size)).toBe(true);
    expect(seen.map(([read]) => read)).toEqual([...seen.map(([read]) => read)].sort((a, b) => a - b));
    expect(seen.at(-1)![0]).toBe(size);
  });

  it('gives the same analysis for a stream as for the file', async () => {
    for (const name of ['prusaslicer.gcode', 'kirimoto.gcode']) {
      const path = fixture(name);
      const fromFile = toAnalyzeJson(await analyzeGcodeFile(path));
      const fromStream = toAnalyzeJson(await analyzeGcodeStream(createReadStream(path, { highWaterMark: 1000 })));
      expect(fromStream).toEqual(fromFile);
    }
  });

  it('reads head and tail metadata from a stream longer than both windows', async () => {
    const text = readFileSync(fixture('prusaslicer.gcode'), 'utf8');
    const cut = text.indexOf(';LAYER_CHANGE');
    const filler = Array.from({ length: 40000 }, (_, i) => `G1 X${100 + (i % 50)} Y100 E0.01`).join('\n') + '\n';
    const big = text.slice(0, cut) + filler + text.slice(cut);
    async function* pieces() {
      const buf = Buffer.from(big);
      for (let i = 0; i < buf.length; i += 65536) yield buf.subarray(i, i + 65536);
    }
    const a = await analyzeGcodeStream(pieces());
    expect(a.metadata.sizeBytes).toBe(Buffer.byteLength(big));
    expect(a.metadata.estimatedSeconds).toBe(754);
    expect(a.metadata.thumbnails).toHaveLength(3);
    expect(a.layers).toBe(20);
    expect(a.warnings).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeGcodeFile, toAnalyzeJson } from '../../../electron/core/gcode/index';
import { fixture, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const comparable = (j: ReturnType<typeof toAnalyzeJson>) => ({ ...j, size_bytes: 0 });

describe('line endings', () => {
  it.each(['prusaslicer.gcode', 'cura.gcode', 'bambustudio.gcode', 'ideamaker.gcode'])('gives the same result for %s with LF, CRLF and no final newline', async (name) => {
    const lf = readFileSync(fixture(name), 'utf8').replace(/\n+$/, '\n');
    const crlf = lf.replace(/\n/g, '\r\n');
    const noFinal = lf.replace(/\n$/, '');
    const noFinalCrlf = crlf.replace(/\r\n$/, '');
    const base = comparable(toAnalyzeJson(await analyzeGcodeFile(tmp.write(`lf-${name}`, lf))));
    for (const [label, text] of [
      ['crlf', crlf],
      ['nofinal', noFinal],
      ['nofinal-crlf', noFinalCrlf],
    ] as const) {
      const got = toAnalyzeJson(await analyzeGcodeFile(tmp.write(`${label}-${name}`, text)));
      expect(comparable(got), label).toEqual(base);
    }
  });

  it('gives the same result whatever the chunk size cuts through', async () => {
    const path = fixture('orcaslicer.gcode');
    const base = toAnalyzeJson(await analyzeGcodeFile(path));
    for (const chunkBytes of [5, 13, 4096]) {
      expect(toAnalyzeJson(await analyzeGcodeFile(path, { chunkBytes }))).toEqual(base);
    }
  });
});

import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors';
import { analyzeGcodeFile, readGcodeMetadata } from '../../../electron/core/gcode/index';
import { fixture, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected the analysis to fail');
}

describe('files that are not usable G-code', () => {
  it('refuses an empty file', async () => {
    const err = await failure(analyzeGcodeFile(tmp.write('empty.gcode', '')));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/empty/);
  });

  it('refuses a binary file', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) % 256;
    const err = await failure(readGcodeMetadata(tmp.write('binary.gcode', bytes)));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/binary/);
  });

  it('names binary G-code and ZIP archives for what they are', async () => {
    expect((await failure(readGcodeMetadata(tmp.write('a.bgcode', Buffer.from('GCDE\x01\x00\x00\x00'))))).message).toMatch(/\.bgcode/);
    expect((await failure(readGcodeMetadata(tmp.write('a.gcode.3mf', Buffer.from('PK\x03\x04rest'))))).message).toMatch(/ZIP/);
  });

  it('refuses text that is not G-code', async () => {
    const err = await failure(analyzeGcodeFile(tmp.write('readme.gcode', '# Notes\n\nThis is a README, not a print.\n')));
    expect(err.message).toMatch(/does not look like G-code/);
  });

  it('refuses a file over the size cap, saying how big it is and what the cap is', async () => {
    const err = await failure(analyzeGcodeFile(fixture('cura.gcode'), { maxBytes: 1024 }));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/over the 1\.0 KB limit/);
    expect(err.details).toMatchObject({ maxBytes: 1024 });
  });

  it('reports a missing file as not found and a folder as invalid', async () => {
    expect((await failure(analyzeGcodeFile(tmp.path('nope.gcode')))).code).toBe('not_found');
    mkdirSync(tmp.path('dir.gcode'));
    expect((await failure(readGcodeMetadata(tmp.path('dir.gcode')))).code).toBe('invalid_input');
  });

  it('warns when a file is cut short before the slicer summary', async () => {
    const text = readFileSync(fixture('prusaslicer.gcode'), 'utf8');
    const cut = text.slice(0, Math.floor(text.length * 0.6));
    const a = await analyzeGcodeFile(tmp.write('cut.gcode', cut));
    expect(a.metadata.footerFound).toBe(false);
    expect(a.warnings.join('\n')).toMatch(/cut short/);
  });

  it('warns when fewer layers arrive than the slicer announced', async () => {
    const text = readFileSync(fixture('bambustudio.gcode'), 'utf8');
    const layer12 = text.indexOf('; layer num/total_layer_count: 12/20');
    const cut = text.slice(0, layer12) + '; EXECUTABLE_BLOCK_END\n';
    const a = await analyzeGcodeFile(tmp.write('few-layers.gcode', cut));
    expect(a.warnings.join('\n')).toMatch(/announced 20 layers but the file holds 12/);
  });

  it('warns when the end of the file is NUL bytes (an interrupted copy)', async () => {
    const text = readFileSync(fixture('cura.gcode'));
    const a = await analyzeGcodeFile(tmp.write('zeros.gcode', Buffer.concat([text.subarray(0, 12000), Buffer.alloc(8000)])));
    expect(a.warnings.join('\n')).toMatch(/NUL bytes/);
  });

  it('stops when its AbortSignal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(analyzeGcodeFile(fixture('cura.gcode'), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

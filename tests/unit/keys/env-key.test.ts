import { describe, expect, it } from 'vitest';
import { loadEnvKey, parseDotEnv } from '../../../electron/core/keys/env-key';

const KEY = `apf_live_${'a1b2c3d4'.repeat(8)}`;
const OTHER = `apf_test_${'f9e8d7c6'.repeat(8)}`;

describe('parseDotEnv', () => {
  it('reads KEY=VALUE lines with comments, export, quotes and inline comments', () => {
    const text = [
      '# AutoPrintFarm',
      '',
      'export A=plain value  # trailing comment',
      "B='single # not a comment \\n'",
      'C="double \\"quoted\\"\\nnext"',
      'D = spaced',
      'E=',
      'not a line',
      'F=x#y',
    ].join('\r\n');
    expect(parseDotEnv(text)).toEqual({
      A: 'plain value',
      B: 'single # not a comment \\n',
      C: 'double "quoted"\nnext',
      D: 'spaced',
      E: '',
      F: 'x#y',
    });
  });

  it('lets a later line override an earlier one', () => {
    expect(parseDotEnv('K=1\nK=2')).toEqual({ K: '2' });
  });
});

describe('loadEnvKey', () => {
  it('finds AUTOPRINTFARM_API_KEY in the process environment and reports where it came from', () => {
    const result = loadEnvKey({ env: { AUTOPRINTFARM_API_KEY: KEY } });
    expect(result).toMatchObject({ state: 'found', source: 'environment', baseUrl: null, problems: [] });
    if (result.state === 'found') expect(result.key).toMatchObject({ key: KEY, environment: 'live', mask: 'apf_live_…c3d4' });
  });

  it('reads the key and the server address from .env text', () => {
    const result = loadEnvKey({
      env: {},
      envFileText: `AUTOPRINTFARM_API_KEY="${OTHER}"\nAUTOPRINTFARM_API_URL=http://127.0.0.1:8787/v1/\n`,
    });
    expect(result).toMatchObject({ state: 'found', source: 'env_file', baseUrl: 'http://127.0.0.1:8787/v1' });
  });

  it('prefers the process environment over the .env file', () => {
    const result = loadEnvKey({ env: { AUTOPRINTFARM_API_KEY: KEY }, envFileText: `AUTOPRINTFARM_API_KEY=${OTHER}` });
    expect(result.state === 'found' && result.key.key).toBe(KEY);
  });

  it('trims a key with a trailing newline, as shells and editors add', () => {
    const result = loadEnvKey({ env: { AUTOPRINTFARM_API_KEY: `${KEY}\n` } });
    expect(result.state === 'found' && result.key.trimmed).toBe(true);
  });

  it('reports a malformed key as invalid without repeating it', () => {
    const bad = `apf_live_${'a1b2c3d4'.repeat(2)}-oops`;
    const result = loadEnvKey({ env: { AUTOPRINTFARM_API_KEY: bad } });
    expect(result.state).toBe('invalid');
    expect(result.problems.join('\n')).toMatch(/AUTOPRINTFARM_API_KEY is ignored: After apf_live_/);
    expect(result.problems.join('\n')).not.toContain('a1b2c3d4');
  });

  it('ignores a plain-http server address outside this computer and says why', () => {
    const result = loadEnvKey({ env: { AUTOPRINTFARM_API_KEY: KEY, AUTOPRINTFARM_API_URL: 'http://farm.example.com/v1' } });
    expect(result).toMatchObject({ state: 'found', baseUrl: null });
    expect(result.problems[0]).toMatch(/AUTOPRINTFARM_API_URL is ignored: .*https/);
  });

  it('returns none when no key is set anywhere', () => {
    expect(loadEnvKey({ env: { AUTOPRINTFARM_API_KEY: '' }, envFileText: '# nothing' })).toEqual({
      state: 'none',
      baseUrl: null,
      problems: [],
    });
  });
});

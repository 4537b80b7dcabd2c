import { describe, expect, it } from 'vitest';
import {
  DEVELOPMENT_BASE_URL,
  PRODUCTION_BASE_URL,
  checkBaseUrl,
  checkKeyFitsTarget,
  defaultBaseUrl,
  maskKey,
  parseApiKey,
  redactKeys,
  type ParsedKey,
} from '../../../electron/core/keys/key-format';

const HEX64 = '0123456789abcdef'.repeat(4);
const LIVE = `apf_live_${HEX64}`;
const TEST = `apf_test_${HEX64}`;
const DEV = `apf_dev_${HEX64}`;

function parsed(key: string): ParsedKey {
  const result = parseApiKey(key);
  if (!result.ok) throw new Error(`fixture ${key} should parse: ${result.message}`);
  return result;
}

describe('parseApiKey', () => {
  it.each([
    [LIVE, 'live', 'apf_live_'],
    [TEST, 'test', 'apf_test_'],
    [DEV, 'dev', 'apf_dev_'],
  ] as const)('reads the environment from the prefix of %s', (key, environment, prefix) => {
    expect(parseApiKey(key)).toEqual({ ok: true, key, environment, prefix, mask: `${prefix}…cdef`, trimmed: false });
  });

  it('accepts any letters and digits in the body, not only hex, from 16 to 128 characters', () => {
    expect(parseApiKey(`apf_live_${'A'.repeat(16)}`).ok).toBe(true);
    expect(parseApiKey(`apf_live_${'aZ9'.repeat(42)}xy`).ok).toBe(true);
  });

  it('trims surrounding whitespace and line breaks and says that it did', () => {
    const result = parseApiKey(`  ${LIVE}\r\n`);
    expect(result).toMatchObject({ ok: true, key: LIVE, trimmed: true });
  });

  it.each([
    ['', 'empty', /No API key was entered/],
    ['   \n', 'empty', /No API key was entered/],
    [`apf_live_${HEX64.slice(0, 20)} ${HEX64.slice(20)}`, 'inner_whitespace', /space or line break inside/],
    [`apf_live_${HEX64.slice(0, 20)}\n${HEX64.slice(20)}`, 'inner_whitespace', /space or line break inside/],
    [`sk_live_${HEX64}`, 'unknown_prefix', /start with apf_live_, apf_test_ or apf_dev_/],
    [`apf_prod_${HEX64}`, 'unknown_prefix', /start with apf_live_/],
    [`APF_LIVE_${HEX64}`, 'unknown_prefix', /must be lower case/],
    [`apf_live_${HEX64.slice(0, 30)}-${HEX64.slice(30)}`, 'bad_characters', /character 40 is "-"/],
    [`apf_live_${HEX64.slice(0, 10)}\u0430${HEX64.slice(10)}`, 'bad_characters', /non-ASCII character \(U\+0430/],
    [`apf_live_${HEX64.slice(0, 10)}\u0000${HEX64.slice(10)}`, 'bad_characters', /invisible control character/],
    [`apf_live_${'a'.repeat(15)}`, 'too_short', /it has 15 characters, at least 16/],
    ['apf_dev_', 'too_short', /it has 0 characters/],
    [`apf_test_${'a'.repeat(129)}`, 'too_long', /it has 129 characters, at most 128/],
  ] as const)('refuses %j as %s with a message saying what to do', (input, problem, message) => {
    const result = parseApiKey(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toBe(problem);
    expect(result.message).toMatch(message);
  });

  it('never repeats the pasted key in a failure message', () => {
    const body = 'Zq8rT2mW9xYv4LpK';
    for (const input of [`apf_live_${body}-x`, `sk_live_${body}`, `apf_live_${body} ${body}`, `apf_live_${body.repeat(9)}`]) {
      const result = parseApiKey(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).not.toContain(body);
    }
  });
});

describe('maskKey', () => {
  it('keeps the prefix and the last four characters', () => {
    expect(maskKey(`apf_live_${'0'.repeat(60)}9f2c`)).toBe('apf_live_…9f2c');
    expect(maskKey(DEV)).toBe('apf_dev_…cdef');
  });

  it('hides the whole body when it is too short for four characters to be a small share', () => {
    expect(maskKey('apf_test_abc')).toBe('apf_test_…');
    expect(maskKey('short')).toBe('…');
  });
});

describe('redactKeys', () => {
  it('replaces every key in a text by its mask', () => {
    expect(redactKeys(`old ${LIVE}, new ${TEST}; dev=${DEV}.`)).toBe('old apf_live_…cdef, new apf_test_…cdef; dev=apf_dev_…cdef.');
  });

  it('also redacts a key whose prefix was upper-cased and one inside a URL or JSON', () => {
    const out = redactKeys(`{"key":"APF_LIVE_${HEX64}"} https://x/?k=${TEST}&y=1`);
    expect(out).not.toContain(HEX64);
    expect(out).toContain('&y=1');
  });

  it('redacts HTTP Basic credentials that encode a key', () => {
    const basic = Buffer.from(`${LIVE}:`).toString('base64');
    expect(redactKeys(`Authorization: Basic ${basic}`)).toBe('Authorization: Basic [redacted credentials]');
  });

  it('leaves text without keys unchanged', () => {
    const text = 'apf_live_ is the production prefix; printer prt_123 is idle';
    expect(redactKeys(text)).toBe(text);
  });
});

describe('environments and base URLs', () => {
  it('sends live and test keys to production and dev keys to the local sandbox', () => {
    expect(defaultBaseUrl('live')).toBe(PRODUCTION_BASE_URL);
    expect(defaultBaseUrl('test')).toBe('https://api.autoprintfarm.com/v1');
    expect(defaultBaseUrl('dev')).toBe(DEVELOPMENT_BASE_URL);
    expect(DEVELOPMENT_BASE_URL).toBe('http://127.0.0.1:8787/v1');
  });

  it('refuses a key of another environment and names the prefix it expected', () => {
    const check = checkKeyFitsTarget(parsed(TEST), { environment: 'live' });
    expect(check).toMatchObject({ ok: false, expectedPrefixes: ['apf_live_'] });
    if (!check.ok) expect(check.message).toMatch(/test key \(apf_test_\).*expects a key starting with apf_live_/);
    expect(checkKeyFitsTarget(parsed(LIVE), { environment: 'live' })).toEqual({ ok: true });
  });

  it('infers the expected prefixes from the base URL when no environment is configured', () => {
    const onProd = checkKeyFitsTarget(parsed(DEV), { baseUrl: PRODUCTION_BASE_URL });
    expect(onProd).toMatchObject({ ok: false, expectedPrefixes: ['apf_live_', 'apf_test_'] });
    if (!onProd.ok) expect(onProd.message).toContain('api.autoprintfarm.com expects a key starting with apf_live_ or apf_test_');
    expect(checkKeyFitsTarget(parsed(LIVE), { baseUrl: 'http://127.0.0.1:9999/v1' })).toMatchObject({
      ok: false,
      expectedPrefixes: ['apf_dev_'],
    });
    expect(checkKeyFitsTarget(parsed(TEST), { baseUrl: PRODUCTION_BASE_URL })).toEqual({ ok: true });
    expect(checkKeyFitsTarget(parsed(DEV), { baseUrl: 'https://farm.example.com/v1' })).toEqual({ ok: true });
  });

  it('lets an explicit environment override what the base URL suggests (a sandbox minting live keys)', () => {
    expect(checkKeyFitsTarget(parsed(LIVE), { environment: 'live', baseUrl: 'http://127.0.0.1:9999/v1' })).toEqual({ ok: true });
  });

  it('accepts https anywhere and plain http only on this computer', () => {
    expect(checkBaseUrl('https://api.autoprintfarm.com/public/v1/')).toEqual({
      ok: true,
      url: 'https://api.autoprintfarm.com/public/v1',
    });
    expect(checkBaseUrl('http://localhost:8787/v1').ok).toBe(true);
    expect(checkBaseUrl('http://127.0.0.1:8787/v1').ok).toBe(true);
    expect(checkBaseUrl('http://farm.lan/v1')).toMatchObject({ ok: false, message: expect.stringMatching(/must use https/) });
    expect(checkBaseUrl('not a url')).toMatchObject({ ok: false, message: expect.stringMatching(/not a valid URL/) });
    expect(checkBaseUrl('https://user:pw@api.autoprintfarm.com/v1').ok).toBe(false);
  });
});

/**
 * The shape of an AutoPrintFarm API key: `apf_<environment>_<body>`. Everything that reads, shows or logs a
 * key goes through this module, so the rules (what a pasted key may look like, how it is masked, which
 * server it belongs to) live in one place.
 */

export const KEY_ENVIRONMENTS = ['live', 'test', 'dev'] as const;
export type KeyEnvironment = (typeof KEY_ENVIRONMENTS)[number];
export type KeyPrefix = `apf_${KeyEnvironment}_`;

export const KEY_PREFIXES: Readonly<Record<KeyEnvironment, KeyPrefix>> = {
  live: 'apf_live_',
  test: 'apf_test_',
  dev: 'apf_dev_',
};

/** Real keys today are 64 hex characters; the body range leaves room for a format change on the server. */
export const KEY_BODY_MIN = 16;
export const KEY_BODY_MAX = 128;

export const PRODUCTION_BASE_URL = 'https://api.autoprintfarm.com/v1';
export const DEVELOPMENT_BASE_URL = 'http://127.0.0.1:8787/v1';

export interface ParsedKey {
  ok: true;
  key: string;
  environment: KeyEnvironment;
  prefix: KeyPrefix;
  mask: string;
  /** Whitespace around the pasted text was removed; tell the user, since the copy was not exact. */
  trimmed: boolean;
}

export type KeyProblem = 'empty' | 'inner_whitespace' | 'unknown_prefix' | 'bad_characters' | 'too_short' | 'too_long';

export interface KeyParseFailure {
  ok: false;
  problem: KeyProblem;
  /** What went wrong and what to do, ready to show. Never contains the key itself. */
  message: string;
  trimmed: boolean;
}

export type KeyParseResult = ParsedKey | KeyParseFailure;

export const TRIMMED_NOTICE = 'Spaces or line breaks around the pasted key were removed.';

const BODY_CHAR = /^[A-Za-z0-9]$/;

export function parseApiKey(input: string): KeyParseResult {
  const key = input.trim();
  const trimmed = key.length !== input.length;
  const fail = (problem: KeyProblem, message: string): KeyParseFailure => ({ ok: false, problem, message, trimmed });

  if (key === '') {
    return fail('empty', 'No API key was entered. Paste the key from Settings → API Keys in your AutoPrintFarm dashboard.');
  }
  if (/\s/.test(key)) {
    return fail('inner_whitespace', 'The key has a space or line break inside it. Copy it again in one piece; keys never contain spaces.');
  }
  const environment = KEY_ENVIRONMENTS.find((env) => key.startsWith(KEY_PREFIXES[env]));
  if (environment === undefined) {
    const caseOnly = KEY_ENVIRONMENTS.some((env) => key.toLowerCase().startsWith(KEY_PREFIXES[env]));
    return fail(
      'unknown_prefix',
      caseOnly
        ? 'The key prefix must be lower case (apf_live_, apf_test_ or apf_dev_). Copy the key again exactly as shown.'
        : 'This does not look like an AutoPrintFarm key: those start with apf_live_, apf_test_ or apf_dev_. ' +
            'Check that you copied the AutoPrintFarm key and not one from another service.',
    );
  }
  const prefix = KEY_PREFIXES[environment];
  const body = key.slice(prefix.length);
  const badIndex = [...body].findIndex((ch) => !BODY_CHAR.test(ch));
  if (badIndex !== -1) {
    return fail(
      'bad_characters',
      `After ${prefix} a key has only letters A–Z, a–z and digits, but character ${prefix.length + badIndex + 1} is ` +
        `${describeChar([...body][badIndex] ?? '')}. Copy the key again; some editors replace characters.`,
    );
  }
  if (body.length < KEY_BODY_MIN) {
    return fail(
      'too_short',
      `The key is too short: after ${prefix} it has ${body.length} characters, at least ${KEY_BODY_MIN} are needed. ` + 'It was probably cut off while copying.',
    );
  }
  if (body.length > KEY_BODY_MAX) {
    return fail('too_long', `The key is too long: after ${prefix} it has ${body.length} characters, at most ${KEY_BODY_MAX} are allowed. ` + 'Check that only one key was pasted.');
  }
  return { ok: true, key, environment, prefix, mask: maskKey(key), trimmed };
}

// Names the offending character without echoing anything that could be part of the secret alphabet.
function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code > 0x7e) return `a non-ASCII character (U+${code.toString(16).toUpperCase().padStart(4, '0')}, perhaps a look-alike letter)`;
  if (code < 0x20) return 'an invisible control character';
  return `"${ch}"`;
}

/** `apf_live_…9f2c`: enough to tell keys apart, never enough to use one. */
export function maskKey(key: string): string {
  const lower = key.toLowerCase();
  const env = KEY_ENVIRONMENTS.find((e) => lower.startsWith(KEY_PREFIXES[e]));
  const prefix = env === undefined ? '' : key.slice(0, KEY_PREFIXES[env].length);
  const body = key.slice(prefix.length);
  // Showing the last 4 of a very short body would reveal too large a share of it.
  return body.length >= 12 ? `${prefix}…${body.slice(-4)}` : `${prefix}…`;
}

// Case-insensitive on purpose: a mangled APF_LIVE_ key is still a secret. The base64 branch catches
// HTTP Basic credentials (`apf_…:` encoded), which all start with the encoding of "apf_".
const KEY_LIKE = /apf_(?:live|test|dev)_[A-Za-z0-9]+/gi;
const BASIC_KEY_LIKE = /YXBmX[A-Za-z0-9+/]{8,}={0,2}/g;

/** Replaces everything that looks like a key with its mask. Apply to every message that may leave the core. */
export function redactKeys(text: string): string {
  return text.replace(KEY_LIKE, (match) => maskKey(match)).replace(BASIC_KEY_LIKE, '[redacted credentials]');
}

export function defaultBaseUrl(environment: KeyEnvironment): string {
  return environment === 'dev' ? DEVELOPMENT_BASE_URL : PRODUCTION_BASE_URL;
}

export type KeyTargetCheck = { ok: true } | { ok: false; expectedPrefixes: KeyPrefix[]; message: string };

/**
 * Does this key belong to the configured target? With an explicit environment the prefix must match it;
 * otherwise the production host takes live and test keys and a loopback URL takes dev keys. Any other
 * host is the user's own choice and accepts every prefix.
 */
export function checkKeyFitsTarget(key: ParsedKey, target: { environment?: KeyEnvironment | undefined; baseUrl?: string | undefined }): KeyTargetCheck {
  const allowed: KeyEnvironment[] | null = target.environment !== undefined ? [target.environment] : target.baseUrl !== undefined ? environmentsForBaseUrl(target.baseUrl) : null;
  if (allowed === null || allowed.includes(key.environment)) return { ok: true };
  const expectedPrefixes = allowed.map((env) => KEY_PREFIXES[env]);
  const where = target.environment !== undefined ? `the ${target.environment} environment` : hostOf(target.baseUrl);
  return {
    ok: false,
    expectedPrefixes,
    message:
      `This is a ${key.environment} key (${key.prefix}), but ${where} expects a key starting with ` +
      `${expectedPrefixes.join(' or ')}. Use a key from the matching environment, or change the server in Settings.`,
  };
}

function environmentsForBaseUrl(baseUrl: string): KeyEnvironment[] | null {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return null;
  }
  if (url.hostname === new URL(PRODUCTION_BASE_URL).hostname) return ['live', 'test'];
  if (isLoopbackHost(url.hostname)) return ['dev'];
  return null;
}

function hostOf(baseUrl: string | undefined): string {
  try {
    return new URL(baseUrl ?? '').host;
  } catch {
    return 'the configured server';
  }
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

export type BaseUrlCheck = { ok: true; url: string } | { ok: false; message: string };

/** Keys travel in a header, so the cloud must be reached over HTTPS; plain HTTP only to this machine. */
export function checkBaseUrl(baseUrl: string): BaseUrlCheck {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { ok: false, message: `The server address "${redactKeys(baseUrl)}" is not a valid URL (for example ${PRODUCTION_BASE_URL}).` };
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    return { ok: false, message: 'The server address must not contain credentials, a query or a fragment.' };
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return { ok: true, url: url.href.replace(/\/+$/, '') };
  }
  return {
    ok: false,
    message: `The server address must use https:// (plain http:// is allowed only for this computer, e.g. ${DEVELOPMENT_BASE_URL}).`,
  };
}

/**
 * A key from the environment (AUTOPRINTFARM_API_KEY, as the AutoPrintFarm docs recommend) or from a .env
 * file. Such a key lives in memory only: it already has a home, and copying it into settings would leave a
 * second copy behind when the user rotates it.
 */
import { checkBaseUrl, parseApiKey, type KeyParseFailure, type ParsedKey } from './key-format';

export const ENV_KEY_VAR = 'AUTOPRINTFARM_API_KEY';
export const ENV_URL_VAR = 'AUTOPRINTFARM_API_URL';

export type EnvSource = 'environment' | 'env_file';

export type EnvKeyResult =
  | { state: 'none'; baseUrl: string | null; problems: string[] }
  | { state: 'found'; key: ParsedKey; source: EnvSource; baseUrl: string | null; problems: string[] }
  | { state: 'invalid'; error: KeyParseFailure; source: EnvSource; baseUrl: string | null; problems: string[] };

/** The process environment wins over the .env file, as with every dotenv loader. */
export function loadEnvKey(opts: { env: Record<string, string | undefined>; envFileText?: string }): EnvKeyResult {
  const file = opts.envFileText === undefined ? {} : parseDotEnv(opts.envFileText);
  const pick = (name: string): { value: string; source: EnvSource } | null => {
    const fromEnv = opts.env[name];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: 'environment' };
    const fromFile = file[name];
    if (fromFile !== undefined && fromFile !== '') return { value: fromFile, source: 'env_file' };
    return null;
  };

  const problems: string[] = [];
  let baseUrl: string | null = null;
  const url = pick(ENV_URL_VAR);
  if (url !== null) {
    const checked = checkBaseUrl(url.value.trim());
    if (checked.ok) baseUrl = checked.url;
    else problems.push(`${ENV_URL_VAR} is ignored: ${checked.message}`);
  }

  const raw = pick(ENV_KEY_VAR);
  if (raw === null) return { state: 'none', baseUrl, problems };
  const parsed = parseApiKey(raw.value);
  if (!parsed.ok) {
    problems.push(`${ENV_KEY_VAR} is ignored: ${parsed.message}`);
    return { state: 'invalid', error: parsed, source: raw.source, baseUrl, problems };
  }
  return { state: 'found', key: parsed, source: raw.source, baseUrl, problems };
}

/**
 * A small .env reader: `KEY=VALUE` lines, optional `export `, `#` comments, single quotes taken literally,
 * double quotes with \n \t \" \\ escapes, unquoted values trimmed and cut at ` #`. Later lines win.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) continue;
    const [, name, rest] = match as unknown as [string, string, string];
    out[name] = readValue(rest);
  }
  return out;
}

function readValue(rest: string): string {
  const quote = rest[0];
  if (quote === "'" || quote === '"') {
    const end = findClosingQuote(rest, quote);
    if (end !== -1) {
      const inner = rest.slice(1, end);
      return quote === "'" ? inner : unescapeDouble(inner);
    }
  }
  const comment = rest.search(/\s#/);
  return (comment === -1 ? rest : rest.slice(0, comment)).trim();
}

function findClosingQuote(s: string, quote: string): number {
  for (let i = 1; i < s.length; i++) {
    if (quote === '"' && s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === quote) return i;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([nrt"\\])/g, (_m, ch: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[ch] ?? ch);
}

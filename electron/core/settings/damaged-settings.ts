import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { SettingsRecovery } from '../ports/settings-store';

/**
 * Checks the settings file before conf (or electron-store) opens it. A file that is not a JSON object —
 * truncated by a crash or a full disk, hand-edited into invalid JSON, or valid JSON of another shape — would
 * make conf throw (we never let it reset silently: `clearInvalidConfig: false`). It is renamed
 * `<name>.corrupt-<time>.json` next to where it was, so it can be repaired by hand, and the caller opens a
 * fresh file with defaults. Only that one file is touched; the database, library and keys stay as they are.
 */
export function setAsideDamagedSettings(dir: string, configName = 'config', now: () => number = Date.now): SettingsRecovery | null {
  const file = join(dir, `${configName}.json`);
  if (!existsSync(file)) return null;
  const reason = damage(file);
  if (!reason) return null;
  const at = now();
  const movedTo = freeName(dir, `${configName}.corrupt-${new Date(at).toISOString().replace(/[:.]/g, '-')}`);
  renameSync(file, movedTo);
  return { movedTo, reason, at };
}

/** Why the file cannot be used, in the user's words, or null when it is a settings object. */
export function damage(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return `it could not be read (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
  if (text.trim() === '') return 'it is empty (probably cut short while it was being written)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return looksTruncated(text) ? 'it is cut short (probably while it was being written)' : 'it is not valid JSON';
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? null : 'it does not hold a settings object';
}

/** JSON that opens more objects and arrays than it closes ends early; anything else invalid is just wrong. */
function looksTruncated(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth > 0 || inString;
}

/** Never overwrites an earlier copy set aside in the same millisecond. */
function freeName(dir: string, base: string): string {
  for (let n = 0; ; n++) {
    const candidate = join(dir, `${base}${n === 0 ? '' : `-${n}`}.json`);
    if (!existsSync(candidate)) return candidate;
  }
}

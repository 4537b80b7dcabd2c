/** Helpers for the keys e2e: find every place a full key could have leaked to. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The key as written, and as it would look inside an HTTP Basic header. */
export function leakForms(key: string): string[] {
  return [key, Buffer.from(`${key}:`).toString('base64').replace(/=+$/, '')];
}

/** Every file under `dir` (recursively) whose bytes contain one of the keys, in any leak form. */
export function filesContaining(dir: string, keys: string[]): string[] {
  const forms = keys.flatMap(leakForms);
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const text = readFileSync(p).toString('latin1');
        if (forms.some((f) => text.includes(f))) hits.push(p);
      }
    }
  };
  walk(dir);
  return hits;
}

/** Lines of `text` that contain one of the keys, in any leak form. */
export function linesContaining(text: string, keys: string[]): string[] {
  const forms = keys.flatMap(leakForms);
  return text.split('\n').filter((line) => forms.some((f) => line.includes(f)));
}

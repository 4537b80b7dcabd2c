import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('architecture rules', () => {
  it('nothing under electron/core imports electron (rule 1)', () => {
    const offenders = sources(join(root, 'electron/core')).filter((f) => importsOf(f).some((s) => s === 'electron' || s.startsWith('electron/')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('the headless host never imports electron either', () => {
    const offenders = sources(join(root, 'electron/headless')).filter((f) => importsOf(f).some((s) => s === 'electron' || s.startsWith('electron/')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('the renderer imports no Node built-ins and no host code beyond the shared contract and model', () => {
    const offenders: string[] = [];
    for (const f of sources(join(root, 'renderer/src'))) {
      for (const spec of importsOf(f)) {
        if (spec.startsWith('node:') || ['fs', 'path', 'child_process', 'electron', 'serialport', 'better-sqlite3'].includes(spec)) offenders.push(`${relative(root, f)} → ${spec}`);
        if (spec.includes('electron/') && !/electron\/core\/(contract|printers\/model|errors)/.test(spec)) offenders.push(`${relative(root, f)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

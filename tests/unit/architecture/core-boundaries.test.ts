import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';
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

/** Where a relative import lands: the .ts file or the folder's index.ts; null for packages and built-ins. */
function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return null;
}

/** Every cycle among a folder's modules (type-only imports included: a cycle of types is still a knot). */
function importCycles(dir: string): string[] {
  const files = sources(dir);
  const edges = new Map(
    files.map((f) => [
      f,
      importsOf(f)
        .map((s) => resolveImport(f, s))
        .filter((t): t is string => t !== null),
    ]),
  );
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    path.push(f);
    for (const to of edges.get(f) ?? []) {
      if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), to].map((x) => relative(root, x)).join(' → '));
      else if (!state.has(to)) visit(to);
    }
    path.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles;
}

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
        if (spec.startsWith('node:') || ['fs', 'path', 'child_process', 'electron', 'serialport', 'better-sqlite3'].includes(spec))
          offenders.push(`${relative(root, f)} → ${spec}`);
        if (spec.includes('electron/') && !/electron\/core\/(contract|printers\/model|errors)/.test(spec)) offenders.push(`${relative(root, f)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the contract owns the shared types and imports nothing from the printers or any other core module (errors.ts, a leaf, aside)', () => {
    const offenders: string[] = [];
    const allowed = join(root, 'electron/core/errors.ts');
    expect(importsOf(allowed).filter((s) => s.startsWith('.'))).toEqual([]);
    for (const f of sources(join(root, 'electron/core/contract'))) {
      for (const spec of importsOf(f)) {
        const target = resolveImport(f, spec);
        if (target && target !== allowed && !target.startsWith(join(root, 'electron/core/contract'))) offenders.push(`${relative(root, f)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no module of the core imports itself back through others (no import cycles)', () => {
    expect(importCycles(join(root, 'electron/core'))).toEqual([]);
  });
});

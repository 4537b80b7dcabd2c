import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(__dirname, '../../..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, any>;

// Packaging downloads Electron, so it cannot run here; these are the invariants a broken package would violate.
describe('electron-builder.yml', () => {
  it('builds Windows nsis, macOS dmg and Linux AppImage and deb', () => {
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });

  it('packs the built app into an asar and unpacks the native modules', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'package.json']));
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/@serialport/bindings-cpp/**', '**/node_modules/better-sqlite3/**']));
    expect(config.npmRebuild).toBe(false);
  });

  it('sets the fuses that close Node-level back doors', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('keeps a stable product name, which macOS keychain entries and data folders depend on', () => {
    expect(config.productName).toBe('AutoPrintFarm');
    expect(pkg.productName).toBe('AutoPrintFarm');
  });

  it('points the package at the built ESM main and keeps native modules in runtime dependencies', () => {
    expect(pkg.main).toBe('dist/electron/main.mjs');
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['serialport', 'better-sqlite3']));
    expect(Object.keys(pkg.devDependencies)).toContain('electron');
  });
});

describe('the built bundles', () => {
  const dist = join(root, 'dist');
  const read = (p: string) => {
    try {
      return readFileSync(join(dist, p), 'utf8');
    } catch {
      throw new Error(`dist/${p} is missing: run \`npm run build\` before the tests (npm test does).`);
    }
  };

  it('has a preload that requires nothing but electron', () => {
    const preload = read('electron/preload.cjs');
    const required = [...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/\bimport\s/);
    expect(preload).toContain('exposeInMainWorld');
  });

  it('has an ESM main and a renderer entry', () => {
    expect(read('electron/main.mjs')).toMatch(/from\s*["']electron["']/);
    expect(read('renderer/index.html')).toContain('<div id="root">');
  });
});

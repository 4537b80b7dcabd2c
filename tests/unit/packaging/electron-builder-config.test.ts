import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { betterSqlite3BindingPath } from '../../../electron/desktop/native-binaries';

const root = join(__dirname, '../../..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a YAML/JSON document whose shape each test asserts;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a YAML/JSON document whose shape each test asserts;
const require = createRequire(join(root, 'package.json'));

// electron-builder's own configuration schema, from the app-builder-lib that the pinned electron-builder uses.
const schemaFile = require.resolve('app-builder-lib/scheme.json', { paths: [require.resolve('electron-builder')] });
// strict: false because the schema uses a keyword ajv does not know ("typeof", offered for hooks that may be
// functions): ajv ignores it, so hook fields pass whatever they hold (the afterPack hook is tested below); every
// other keyword is checked.
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
const errorsOf = (candidate: unknown) => (validate(candidate) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`));

describe("electron-builder.yml against electron-builder's schema", () => {
  it('is a valid configuration', () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it('would catch a misspelt option or a wrong type (the check is not vacuous)', () => {
    expect(errorsOf({ ...config, npmRebiuld: false }).join()).toContain('npmRebiuld');
    expect(errorsOf({ ...config, asar: 'yes' })).not.toEqual([]);
    expect(errorsOf({ ...config, publish: [{ provider: 'generic' }] })).not.toEqual([]);
  });
});

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
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/@serialport/bindings-cpp/**', '**/*.node']));
  });

  it("never rebuilds node_modules in place (the Node tests and apf keep their build) and never packs node_modules' Node addon", () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.files).toContain('!**/node_modules/better-sqlite3/{build,deps,src}/**');
    // bindings-cpp would prefer a local build/ for this machine's OS over its N-API prebuilds for every target.
    expect(config.files).toContain('!**/node_modules/@serialport/bindings-cpp/{build,src}/**');
  });

  it('publishes updates to an https server electron-updater can read', () => {
    expect(config.publish).toEqual([expect.objectContaining({ provider: 'generic', url: expect.stringMatching(/^https:\/\//) })]);
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

  it('points the package at the built ESM main and keeps native modules and the updater in runtime dependencies', () => {
    expect(pkg.main).toBe('dist/electron/main.mjs');
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['serialport', 'better-sqlite3', 'electron-updater']));
    expect(Object.keys(pkg.devDependencies)).toContain('electron');
  });

  it('pins the packaging tools exactly, electron-builder on 26.x', () => {
    const exact = /^\d+\.\d+\.\d+$/;
    expect(pkg.devDependencies['electron-builder']).toMatch(/^26\.\d+\.\d+$/);
    for (const name of ['electron', 'electron-builder', '@electron/rebuild', 'ajv']) expect(pkg.devDependencies[name], name).toMatch(exact);
    expect(pkg.dependencies['electron-updater']).toMatch(exact);
    // The installed one is the pinned one, so the schema above is the schema of the electron-builder we run.
    expect(require('electron-builder/package.json').version).toBe(pkg.devDependencies['electron-builder']);
  });

  it('builds packages with `npm run dist` and never publishes from it', () => {
    expect(pkg.scripts.dist).toBe('npm run build && electron-builder --publish never');
  });
});

describe('the afterPack hook that puts the Electron build of better-sqlite3 in each package', () => {
  const hook = require(join(root, config.afterPack as string)) as { nativesArgs(context: unknown): string[]; afterPack: unknown; default: unknown };
  const context = (electronPlatformName: string, arch: number, resources: string) => ({
    electronPlatformName,
    arch,
    appOutDir: '/out/linux-unpacked',
    packager: { config: { electronVersion: '45.5.0' }, info: { projectDir: root }, getResourcesDir: () => resources },
  });
  const value = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

  it('is a function electron-builder can load from the configured path', () => {
    expect(existsSync(join(root, config.afterPack as string))).toBe(true);
    expect(typeof hook.default).toBe('function');
    expect(hook.default).toBe(hook.afterPack);
  });

  it("runs electron-natives with tsx for the target's Electron, platform and architecture", () => {
    const args = hook.nativesArgs(context('win32', 3, '/out/win-arm64-unpacked/resources'));
    expect(args.slice(0, 3)).toEqual(['--import', 'tsx', join('scripts', 'electron-natives.ts')]);
    expect(existsSync(join(root, args[2]!))).toBe(true);
    expect([value(args, '--electron'), value(args, '--platform'), value(args, '--arch')]).toEqual(['45.5.0', 'win32', 'arm64']);
    expect(args).toContain('--if-missing');
  });

  it('builds a Mac App Store package as macOS', () => {
    expect(value(hook.nativesArgs(context('mas', 1, '/r')), '--platform')).toBe('darwin');
  });

  it('copies the addon exactly where the packaged app looks for it', () => {
    const resources = '/out/AutoPrintFarm.app/Contents/Resources';
    const into = value(hook.nativesArgs(context('darwin', 3, resources)), '--into')!;
    expect(join(into, 'better_sqlite3.node')).toBe(betterSqlite3BindingPath({ runtime: 'electron', packaged: true, resourcesPath: resources }));
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

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The real 'electron' package only exports a binary path under Node; its dialog is faked.
const shown = vi.hoisted(() => [] as Array<{ title: string; message: string }>);
vi.mock('electron', () => ({ dialog: { showErrorBox: (title: string, message: string) => void shown.push({ title, message }) } }));

const { dialog } = await import('electron');
const { ensureNativeModules, nativeModuleProbes } = await import('../../../electron/desktop/native-startup');

const root = join(__dirname, '../../..');
const nodeBuild = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const dev = { packaged: false, electronVersion: '45.5.0' };
const lines: string[] = [];
const log = (l: string) => void lines.push(l);

describe('the native-module check at desktop start', () => {
  beforeEach(() => {
    shown.length = 0;
    lines.length = 0;
  });

  it('passes without a dialog when both addons load (here: the Node builds, loaded for real)', () => {
    expect(ensureNativeModules(nativeModuleProbes({ ...dev, sqliteBinding: null }), dialog, log)).toBe(true);
    expect(shown).toEqual([]);
  });

  it('loads better-sqlite3 from the exact file it is given (the nativeBinding the store gets)', () => {
    expect(ensureNativeModules(nativeModuleProbes({ ...dev, sqliteBinding: nodeBuild }), dialog, log)).toBe(true);
  });

  it('shows a dialog naming the module, the missing file and the development fix', () => {
    const missing = join(root, 'native/electron/45.5.0/linux-x64/better-sqlite3@0.0.0-missing/better_sqlite3.node');
    expect(ensureNativeModules(nativeModuleProbes({ ...dev, sqliteBinding: missing }), dialog, log)).toBe(false);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('AutoPrintFarm cannot start: better-sqlite3 did not load');
    expect(shown[0]!.message).toContain(`Its compiled file (${missing}) is missing.`);
    expect(shown[0]!.message).toContain('`npm run electron:natives`');
    expect(shown[0]!.message).toContain('Electron 45.5.0');
    expect(lines.join('\n')).toContain('better-sqlite3 did not load');
  });

  it('tells a packaged app to reinstall, with the real loader error for a damaged file', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'apf-native-')), 'better_sqlite3.node');
    writeFileSync(broken, 'not a shared library');
    expect(ensureNativeModules(nativeModuleProbes({ packaged: true, electronVersion: '45.5.0', sqliteBinding: broken }), dialog, log)).toBe(false);
    expect(shown[0]!.message).toMatch(/^better-sqlite3: Its compiled file \(.+\) is damaged .*\nFix: Reinstall AutoPrintFarm/);
    expect(shown[0]!.message).not.toContain('npm');
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')('says an addon for another machine was built for another machine (a real 32-bit ELF on x64 Linux)', () => {
    const foreign = join(mkdtempSync(join(tmpdir(), 'apf-native-')), 'better_sqlite3.node');
    // An ELF header claiming 32-bit (ELFCLASS32): the loader rejects it before reading anything else.
    const elf = Buffer.alloc(256);
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]).copy(elf);
    writeFileSync(foreign, elf);
    expect(ensureNativeModules(nativeModuleProbes({ ...dev, sqliteBinding: foreign }), dialog, log)).toBe(false);
    expect(shown[0]!.message).toContain('was built for another processor or operating system.');
  });

  it("reports serialport's binding when it cannot be found", () => {
    // A require that resolves serialport to a folder with no bindings-cpp next to it.
    const empty = mkdtempSync(join(tmpdir(), 'apf-native-'));
    writeFileSync(join(empty, 'serialport.js'), '');
    const fakeRequire = Object.assign(createRequire(join(root, 'package.json')), { resolve: () => join(empty, 'serialport.js') }) as unknown as NodeJS.Require;
    expect(ensureNativeModules(nativeModuleProbes({ ...dev, sqliteBinding: null }, fakeRequire), dialog, log)).toBe(false);
    expect(shown[0]!.title).toBe('AutoPrintFarm cannot start: serialport (@serialport/bindings-cpp) did not load');
    expect(shown[0]!.message).toContain('Its compiled file is missing.');
    expect(shown[0]!.message).toContain('`npm ci`');
  });
});

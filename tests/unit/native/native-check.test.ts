import { describe, expect, it } from 'vitest';
import { checkNativeModules, describeNativeFailures, explainNativeFailure } from '../../../electron/core/native/native-check';

const probe = { module: 'better-sqlite3', binary: '/app/native/better_sqlite3.node', fix: 'Run `npm run electron:natives`.' };
const nodeError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

// Node's own wording (src/node_binding.cc), as Electron reports it for an addon built against Node 20.
const ABI_TEXT =
  "The module '/work/main/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 140. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).";

describe('explaining a native module that did not load', () => {
  it('names a NODE_MODULE_VERSION mismatch with both versions', () => {
    const f = explainNativeFailure(probe, nodeError(ABI_TEXT, 'ERR_DLOPEN_FAILED'));
    expect(f.kind).toBe('abi-mismatch');
    expect(f.cause).toBe('Its compiled file (/app/native/better_sqlite3.node) was built for a different runtime (NODE_MODULE_VERSION 115; this one needs 140).');
    expect(f.fix).toBe(probe.fix);
    expect(f.detail).toBe("The module '/work/main/node_modules/better-sqlite3/build/Release/better_sqlite3.node'");
  });

  it('says the file is missing for the errors a missing addon produces', () => {
    for (const err of [
      nodeError("Cannot find module '/app/native/better_sqlite3.node'", 'MODULE_NOT_FOUND'),
      nodeError('Could not locate the bindings file. Tried:\n → /x/build/better_sqlite3.node'),
      nodeError('No native build was found for platform=linux arch=x64 runtime=electron abi=140 uv=1 libc=glibc node=22.20.0'),
    ]) {
      expect(explainNativeFailure(probe, err)).toMatchObject({ kind: 'missing', cause: 'Its compiled file (/app/native/better_sqlite3.node) is missing.' });
    }
  });

  it('says it was built for another machine for foreign binaries', () => {
    for (const text of [
      '/x.node: wrong ELF class: ELFCLASS32',
      "dlopen(/x.node, 0x0001): tried: '/x.node' (mach-o file, but is an incompatible architecture (have 'x86_64', need 'arm64'))",
      '%1 is not a valid Win32 application.\r\n\\\\?\\C:\\x.node',
    ]) {
      expect(explainNativeFailure(probe, nodeError(text)).kind).toBe('wrong-machine');
    }
  });

  it("passes anything else on with the runtime's first line", () => {
    const f = explainNativeFailure({ ...probe, binary: null }, 'boom\nstack');
    expect(f).toMatchObject({ kind: 'other', cause: 'It failed to load: boom', detail: 'boom' });
  });
});

describe('checking native modules', () => {
  it('loads every probe and reports only the ones that throw', () => {
    const loaded: string[] = [];
    const failures = checkNativeModules([
      { module: 'a', binary: null, fix: 'fix a', load: () => void loaded.push('a') },
      {
        module: 'b',
        binary: null,
        fix: 'fix b',
        load: () => {
          throw nodeError(ABI_TEXT);
        },
      },
    ]);
    expect(loaded).toEqual(['a']);
    expect(failures.map((f) => [f.module, f.kind])).toEqual([['b', 'abi-mismatch']]);
  });

  it('writes a dialog naming every module, its cause and its fix', () => {
    const a = explainNativeFailure(probe, nodeError(ABI_TEXT));
    const b = explainNativeFailure({ module: 'serialport', binary: null, fix: 'Run `npm ci`.' }, nodeError('No native build was found'));
    const { title, message } = describeNativeFailures([a, b]);
    expect(title).toBe('AutoPrintFarm cannot start: better-sqlite3 and serialport did not load');
    expect(message).toContain(`better-sqlite3: ${a.cause}\nFix: Run \`npm run electron:natives\`.`);
    expect(message).toContain('serialport: Its compiled file is missing.\nFix: Run `npm ci`.');
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { betterSqlite3BindingPath } from '../../../electron/desktop/native-binaries';
import { assertNotNodeBuild, buildElectronNatives, electronBuildEnv, parseNativesArgs, planElectronNatives, type RebuildRequest } from '../../../scripts/lib/electron-natives';

/** A project folder with electron and better-sqlite3 "installed": package files and a Node build to keep intact. */
function project() {
  const root = mkdtempSync(join(tmpdir(), 'apf-natives-'));
  const pkg = (name: string, version: string) => {
    mkdirSync(join(root, 'node_modules', name), { recursive: true });
    writeFileSync(join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
  };
  pkg('electron', '45.5.0');
  pkg('better-sqlite3', '12.6.2');
  const mod = join(root, 'node_modules', 'better-sqlite3');
  mkdirSync(join(mod, 'lib'));
  writeFileSync(join(mod, 'lib', 'index.js'), 'module.exports = 1;');
  mkdirSync(join(mod, 'build', 'Release'), { recursive: true });
  writeFileSync(join(mod, 'build', 'Release', 'better_sqlite3.node'), 'NODE BUILD');
  return { root, nodeBuild: join(mod, 'build', 'Release', 'better_sqlite3.node') };
}

/** Stands in for @electron/rebuild: records the call and "compiles" the staged package. */
function fakeRebuild(produce = true) {
  const calls: Array<{ options: RebuildRequest; staged: string[]; stagedPackage: unknown }> = [];
  const rebuild = async (options: RebuildRequest) => {
    const mod = join(options.buildPath, 'node_modules', 'better-sqlite3');
    calls.push({
      options,
      staged: [existsSync(join(mod, 'lib', 'index.js')) ? 'lib' : '', existsSync(join(mod, 'build')) ? 'build' : ''].filter(Boolean),
      stagedPackage: JSON.parse(readFileSync(join(options.buildPath, 'package.json'), 'utf8')),
    });
    if (produce) {
      mkdirSync(join(mod, 'build', 'Release'), { recursive: true });
      writeFileSync(join(mod, 'build', 'Release', 'better_sqlite3.node'), `ELECTRON ${options.electronVersion} ${options.platform}-${options.arch}`);
    }
  };
  // A real Electron build refuses to load in Node; that is what the check after the build expects.
  const loadInNode = () => {
    throw new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 140. This version of Node.js requires NODE_MODULE_VERSION 115.');
  };
  return { tools: { rebuild, loadInNode }, calls };
}

const quiet = () => {};

describe('electron-natives arguments', () => {
  it('defaults to the installed Electron and better-sqlite3 on this machine', () => {
    const { root } = project();
    expect(parseNativesArgs([], root, { platform: 'linux', arch: 'x64' })).toEqual({
      projectRoot: root,
      electronVersion: '45.5.0',
      betterSqlite3Version: '12.6.2',
      platform: 'linux',
      arch: 'x64',
      ifMissing: false,
      into: null,
    });
  });

  it('takes a packaging target from the hook', () => {
    const { root } = project();
    const req = parseNativesArgs(['--electron', '46.0.1', '--platform', 'win32', '--arch', 'arm64', '--if-missing', '--into', '/out/resources/native'], root);
    expect(req).toMatchObject({ electronVersion: '46.0.1', platform: 'win32', arch: 'arm64', ifMissing: true, into: '/out/resources/native' });
  });

  it('refuses a universal macOS target, an unknown flag and a stray argument', () => {
    const { root } = project();
    expect(() => parseNativesArgs(['--arch', 'universal'], root)).toThrow(/x64 and arm64 separately/);
    expect(() => parseNativesArgs(['--electorn', '45'], root)).toThrow(/electorn/);
    expect(() => parseNativesArgs(['now'], root)).toThrow(/unexpected argument now/);
  });

  it('says to run npm install when electron is not installed', () => {
    const root = mkdtempSync(join(tmpdir(), 'apf-natives-'));
    expect(() => parseNativesArgs([], root)).toThrow(/electron is not installed.*npm install/);
  });
});

describe('the electron-natives plan', () => {
  it('writes the addon exactly where development Electron looks for it', () => {
    const { root } = project();
    const req = parseNativesArgs([], root, { platform: 'darwin', arch: 'arm64' });
    expect(planElectronNatives(req).addon).toBe(betterSqlite3BindingPath({ runtime: 'electron', packaged: false, ...req }));
  });

  it('rebuilds only better-sqlite3, forced, for the target, in a scratch tree the module walker cannot leave', () => {
    const { root } = project();
    const plan = planElectronNatives(parseNativesArgs(['--platform', 'win32', '--arch', 'ia32'], root));
    expect(plan.rebuild).toEqual({
      buildPath: plan.workDir,
      projectRootPath: plan.workDir,
      electronVersion: '45.5.0',
      platform: 'win32',
      arch: 'ia32',
      onlyModules: ['better-sqlite3'],
      force: true,
      mode: 'sequential',
    });
    expect(plan.workDir.startsWith(join(root, 'native', 'electron'))).toBe(true);
  });
});

describe('building the Electron addon', () => {
  it("rebuilds a copy without node_modules' build, keeps only the addon, and leaves the Node build alone", async () => {
    const { root, nodeBuild } = project();
    const req = parseNativesArgs([], root, { platform: 'linux', arch: 'x64' });
    const plan = planElectronNatives(req);
    const { tools, calls } = fakeRebuild();
    expect(await buildElectronNatives(req, plan, tools, quiet)).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.staged).toEqual(['lib']);
    expect(calls[0]!.stagedPackage).toMatchObject({ dependencies: { 'better-sqlite3': '12.6.2' } });
    expect(readFileSync(plan.addon, 'utf8')).toBe(`ELECTRON 45.5.0 ${process.platform}-${process.arch}`);
    expect(readFileSync(nodeBuild, 'utf8')).toBe('NODE BUILD');
    expect(existsSync(plan.workDir)).toBe(false);
  });

  it('with --if-missing reuses an existing build and still copies it into a package', async () => {
    const { root } = project();
    const first = parseNativesArgs([], root, { platform: 'linux', arch: 'x64' });
    await buildElectronNatives(first, planElectronNatives(first), fakeRebuild().tools, quiet);
    const into = join(root, 'out', 'resources', 'native');
    const req = parseNativesArgs(['--if-missing', '--into', into], root, { platform: 'linux', arch: 'x64' });
    const { tools, calls } = fakeRebuild();
    expect(await buildElectronNatives(req, planElectronNatives(req), tools, quiet)).toBe(false);
    expect(calls).toEqual([]);
    expect(readFileSync(join(into, 'better_sqlite3.node'), 'utf8')).toBe('ELECTRON 45.5.0 linux-x64');
  });

  it('fails, and cleans up, when the rebuild produced no addon', async () => {
    const { root } = project();
    const req = parseNativesArgs([], root, { platform: 'linux', arch: 'x64' });
    const plan = planElectronNatives(req);
    await expect(buildElectronNatives(req, plan, fakeRebuild(false).tools, quiet)).rejects.toThrow(/was not produced/);
    expect(existsSync(plan.addon)).toBe(false);
    expect(existsSync(plan.workDir)).toBe(false);
  });
});

describe('guarding against a Node build in the Electron folder', () => {
  it("drops npm's nodedir from node-gyp's environment, whatever its case, and keeps the rest", () => {
    expect(electronBuildEnv({ npm_config_nodedir: '/usr', NPM_CONFIG_NODEDIR: '/usr', PATH: '/bin', npm_config_cache: '/c' })).toEqual({ PATH: '/bin', npm_config_cache: '/c' });
  });

  it('rejects a fresh build that loads in Node (the real Node build of better-sqlite3 stands in for it)', () => {
    const req = { ...parseNativesArgs([], project().root), electronVersion: '45.5.0' };
    const nodeBuild = join(__dirname, '../../../node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(() => assertNotNodeBuild(req, nodeBuild, createRequire(import.meta.url), quiet)).toThrow(/built against Node's headers, not Electron 45.5.0's/);
  });

  it('accepts a build that Node refuses with a NODE_MODULE_VERSION error, and skips the check for another machine', () => {
    const req = parseNativesArgs([], project().root);
    const refuse = () => {
      throw new Error('NODE_MODULE_VERSION 140');
    };
    expect(() => assertNotNodeBuild(req, '/x.node', refuse, quiet)).not.toThrow();
    let loaded = false;
    assertNotNodeBuild({ ...req, platform: 'win32', arch: 'arm64' }, '/x.node', () => (loaded = true), quiet);
    expect(loaded).toBe(false);
  });

  it('fails the build, keeping nothing, when the rebuild produced a Node build', async () => {
    const { root } = project();
    const req = parseNativesArgs([], root);
    const plan = planElectronNatives(req);
    const { tools } = fakeRebuild();
    await expect(buildElectronNatives(req, plan, { ...tools, loadInNode: () => ({}) }, quiet)).rejects.toThrow(/built against Node's headers/);
    expect(existsSync(plan.addon)).toBe(false);
    expect(existsSync(plan.workDir)).toBe(false);
  });
});

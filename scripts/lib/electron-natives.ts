// Builds better-sqlite3 for Electron into its own folder, leaving node_modules' Node build alone.
//
// @electron/rebuild rebuilds a node_modules tree in place, and the Node tests and `apf` need that tree's
// Node build. So the package is copied into a scratch tree, rebuilt there for the target Electron (a
// prebuilt download when better-sqlite3 publishes one, else a compile against Electron's headers), and only
// the addon is kept: native/electron/<electron>/<platform>-<arch>/better-sqlite3@<version>/better_sqlite3.node.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { BETTER_SQLITE3_ADDON, electronNativeDir, type NativeTarget } from '../../electron/desktop/native-binaries';

export interface NativesRequest extends NativeTarget {
  projectRoot: string;
  /** Skip the build when the addon for this exact target is already there. */
  ifMissing: boolean;
  /** Also copy the addon into this folder (the packaging hook passes the package's resources/native). */
  into: string | null;
}

/** The subset of @electron/rebuild's RebuildOptions this script sets. */
export interface RebuildRequest {
  buildPath: string;
  projectRootPath: string;
  electronVersion: string;
  platform: NodeJS.Platform;
  arch: string;
  onlyModules: string[];
  force: boolean;
  mode: 'sequential';
}

export interface NativesPlan {
  /** Where the addon is kept for this target. */
  addon: string;
  /** The scratch tree that @electron/rebuild works in, removed afterwards. */
  workDir: string;
  /** The copy of node_modules/better-sqlite3 inside it. */
  stagedModule: string;
  /** What the rebuild produces inside the copy. */
  builtAddon: string;
  rebuild: RebuildRequest;
  copyTo: string | null;
}

const MODULE = 'better-sqlite3';

export function planElectronNatives(req: NativesRequest): NativesPlan {
  const dir = electronNativeDir(req.projectRoot, req);
  const workDir = join(dir, '.work');
  const stagedModule = join(workDir, 'node_modules', MODULE);
  return {
    addon: join(dir, BETTER_SQLITE3_ADDON),
    workDir,
    stagedModule,
    builtAddon: join(stagedModule, 'build', 'Release', BETTER_SQLITE3_ADDON),
    rebuild: {
      buildPath: workDir,
      // The module walker stops here, so it sees the one staged package and nothing of the project's tree.
      projectRootPath: workDir,
      electronVersion: req.electronVersion,
      platform: req.platform as NodeJS.Platform,
      arch: req.arch,
      onlyModules: [MODULE],
      force: true,
      mode: 'sequential',
    },
    copyTo: req.into ? join(req.into, BETTER_SQLITE3_ADDON) : null,
  };
}

const USAGE = 'usage: electron-natives [--electron VERSION] [--platform P] [--arch A] [--if-missing] [--into DIR]';

/** Reads the command line; defaults come from the installed electron and better-sqlite3 and this machine. */
export function parseNativesArgs(argv: string[], projectRoot: string, here: { platform: string; arch: string } = process): NativesRequest {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      electron: { type: 'string' },
      platform: { type: 'string' },
      arch: { type: 'string' },
      'if-missing': { type: 'boolean', default: false },
      into: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new Error(`unexpected argument ${positionals[0]}\n${USAGE}`);
  if (values.arch === 'universal') throw new Error('A universal macOS build needs one addon per architecture: package x64 and arm64 separately.');
  return {
    projectRoot,
    electronVersion: values.electron ?? installedVersion(projectRoot, 'electron'),
    betterSqlite3Version: installedVersion(projectRoot, MODULE),
    platform: values.platform ?? here.platform,
    arch: values.arch ?? here.arch,
    ifMissing: values['if-missing'],
    into: values.into ?? null,
  };
}

function installedVersion(projectRoot: string, pkg: string): string {
  const file = join(projectRoot, 'node_modules', pkg, 'package.json');
  if (!existsSync(file)) throw new Error(`${pkg} is not installed (${file} is missing): run \`npm install\` first.`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export type Rebuild = (options: RebuildRequest) => Promise<unknown>;

export interface NativesTools {
  /** @electron/rebuild's rebuild (injected, so staging and copying are tested without a network). */
  rebuild: Rebuild;
  /** Loads an addon into this Node process (`require`), to prove a fresh build is not a Node build. */
  loadInNode: (file: string) => unknown;
}

/**
 * The environment for the rebuild. npm hands its config to scripts as npm_config_* variables, and a
 * `nodedir` (set on machines that compile offline against the installed Node's headers) makes node-gyp
 * build against Node instead of Electron's headers — silently, into the Electron folder.
 */
export function electronBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
}

/**
 * A build for Electron must refuse to load in Node (another NODE_MODULE_VERSION). One that loads was built
 * against Node's headers; keeping it would give the user the very mismatch dialog this script exists to avoid.
 * Only checked when the target is this machine (a foreign binary cannot be loaded at all).
 */
export function assertNotNodeBuild(req: NativesRequest, addon: string, loadInNode: (file: string) => unknown, log: (line: string) => void): void {
  if (req.platform !== process.platform || req.arch !== process.arch) return;
  try {
    loadInNode(addon);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!/NODE_MODULE_VERSION/.test(message)) log(`Note: could not confirm the build's ABI in Node (${message.split('\n')[0]}).`);
    return;
  }
  throw new Error(
    `${addon} loads in Node ${process.version}, so it was built against Node's headers, not Electron ${req.electronVersion}'s (is npm's nodedir set?). Delete it and run again without nodedir.`,
  );
}

/** Carries out a plan. Returns whether it built (false: reused an existing addon). */
export async function buildElectronNatives(req: NativesRequest, plan: NativesPlan, tools: NativesTools, log: (line: string) => void): Promise<boolean> {
  let built = false;
  if (req.ifMissing && existsSync(plan.addon)) {
    log(`better-sqlite3 for Electron ${req.electronVersion} (${req.platform}-${req.arch}) is already built: ${relative(req.projectRoot, plan.addon)}`);
  } else {
    stage(req.projectRoot, plan);
    try {
      log(`Building better-sqlite3 ${req.betterSqlite3Version} for Electron ${req.electronVersion} (${req.platform}-${req.arch})…`);
      await tools.rebuild(plan.rebuild);
      if (!existsSync(plan.builtAddon)) throw new Error(`@electron/rebuild finished but ${plan.builtAddon} was not produced.`);
      assertNotNodeBuild(req, plan.builtAddon, tools.loadInNode, log);
      cpSync(plan.builtAddon, plan.addon);
      built = true;
      log(`Built ${relative(req.projectRoot, plan.addon)}`);
    } finally {
      rmSync(plan.workDir, { recursive: true, force: true });
    }
  }
  if (plan.copyTo) {
    mkdirSync(dirname(plan.copyTo), { recursive: true });
    cpSync(plan.addon, plan.copyTo);
    log(`Copied it to ${plan.copyTo}`);
  }
  return built;
}

/** A scratch project holding a clean copy of the package (its Node build left out, so nothing stale survives). */
function stage(projectRoot: string, plan: NativesPlan): void {
  rmSync(plan.workDir, { recursive: true, force: true });
  mkdirSync(plan.workDir, { recursive: true });
  const source = join(projectRoot, 'node_modules', MODULE);
  const version = (JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(join(plan.workDir, 'package.json'), JSON.stringify({ name: 'apf-electron-natives', private: true, dependencies: { [MODULE]: version } }, null, 2));
  const buildDir = join(source, 'build');
  cpSync(source, plan.stagedModule, { recursive: true, filter: (from) => from !== buildDir && !from.startsWith(buildDir + sep) });
}

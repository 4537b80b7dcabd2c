import { join } from 'node:path';

/**
 * Where each runtime finds better-sqlite3's compiled addon. better-sqlite3 is not N-API: a build for Node's
 * ABI does not load in Electron and vice versa. Node (tests, `apf`) keeps npm's build in node_modules;
 * Electron loads a build made for its own version, kept elsewhere so neither runtime ever rebuilds the
 * other's copy. serialport's binding is N-API (ABI-stable) and needs none of this.
 *
 * No Electron import: the packaging script and the tests use the same paths the app reads.
 */

/** The addon's file name, as better-sqlite3's own build names it. */
export const BETTER_SQLITE3_ADDON = 'better_sqlite3.node';

/** The folder, under the project root, that holds development Electron builds (git-ignored). */
export const ELECTRON_NATIVE_ROOT = join('native', 'electron');

/** The folder, under a package's resources, that the packaging hook copies the target's build into. */
export const PACKAGED_NATIVE_DIR = 'native';

export interface NativeTarget {
  electronVersion: string;
  /** `process.platform` of the machine the build runs on (darwin, win32, linux). */
  platform: string;
  /** `process.arch` of that machine (x64, arm64, ia32, …). */
  arch: string;
  /** The better-sqlite3 version in node_modules: its JavaScript and its addon must come from the same release. */
  betterSqlite3Version: string;
}

/**
 * The development build's folder: one per Electron version, platform, architecture and better-sqlite3
 * version, so upgrading any of them makes `npm start` build anew instead of loading a stale addon.
 */
export function electronNativeDir(projectRoot: string, target: NativeTarget): string {
  return join(projectRoot, ELECTRON_NATIVE_ROOT, target.electronVersion, `${target.platform}-${target.arch}`, `better-sqlite3@${target.betterSqlite3Version}`);
}

export type RuntimeInfo =
  /** Plain Node: `apf`, the tests. */
  | { runtime: 'node' }
  /** `npm start`: the app runs from the project folder. */
  | ({ runtime: 'electron'; packaged: false; projectRoot: string } & NativeTarget)
  /** An installed package: the packaging hook put the target's build in the resources folder. */
  | { runtime: 'electron'; packaged: true; resourcesPath: string };

/**
 * The addon better-sqlite3 should load, for its `nativeBinding` option; `null` means better-sqlite3's own
 * lookup (node_modules/better-sqlite3/build/Release), which is the Node build.
 */
export function betterSqlite3BindingPath(info: RuntimeInfo): string | null {
  if (info.runtime === 'node') return null;
  if (info.packaged) return join(info.resourcesPath, PACKAGED_NATIVE_DIR, BETTER_SQLITE3_ADDON);
  return join(electronNativeDir(info.projectRoot, info), BETTER_SQLITE3_ADDON);
}

/** What the desktop knows about itself at start, as plain values (main.ts reads them from `app` and `process`). */
export interface DesktopFacts {
  packaged: boolean;
  /** `process.resourcesPath`. */
  resourcesPath: string;
  /** `app.getAppPath()`: the project folder when run with `electron .`. */
  appPath: string;
  electronVersion: string;
  platform: string;
  arch: string;
  /** Reads the installed better-sqlite3's version (only needed in development). */
  betterSqlite3Version: () => string;
}

export function desktopRuntime(facts: DesktopFacts): RuntimeInfo {
  if (facts.packaged) return { runtime: 'electron', packaged: true, resourcesPath: facts.resourcesPath };
  return {
    runtime: 'electron',
    packaged: false,
    projectRoot: facts.appPath,
    electronVersion: facts.electronVersion,
    platform: facts.platform,
    arch: facts.arch,
    betterSqlite3Version: facts.betterSqlite3Version(),
  };
}

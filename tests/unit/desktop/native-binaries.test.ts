import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { betterSqlite3BindingPath, desktopRuntime, electronNativeDir } from '../../../electron/desktop/native-binaries';

const target = { electronVersion: '45.5.0', platform: 'linux', arch: 'x64', betterSqlite3Version: '12.6.2' };

describe('which better-sqlite3 addon each runtime loads', () => {
  it("leaves Node (tests, apf) on better-sqlite3's own lookup: the Node build in node_modules", () => {
    expect(betterSqlite3BindingPath({ runtime: 'node' })).toBeNull();
  });

  it('points development Electron at the build for its version, platform, architecture and better-sqlite3', () => {
    expect(betterSqlite3BindingPath({ runtime: 'electron', packaged: false, projectRoot: '/src/apf', ...target })).toBe(
      join('/src/apf', 'native', 'electron', '45.5.0', 'linux-x64', 'better-sqlite3@12.6.2', 'better_sqlite3.node'),
    );
  });

  it('gives each Electron upgrade and each better-sqlite3 upgrade a folder of its own, so a stale build is never loaded', () => {
    const dirs = new Set([
      electronNativeDir('/p', target),
      electronNativeDir('/p', { ...target, electronVersion: '46.0.0' }),
      electronNativeDir('/p', { ...target, betterSqlite3Version: '12.7.0' }),
      electronNativeDir('/p', { ...target, arch: 'arm64' }),
    ]);
    expect(dirs.size).toBe(4);
  });

  it("points a package at the addon in its resources folder, never node_modules' Node build", () => {
    expect(betterSqlite3BindingPath({ runtime: 'electron', packaged: true, resourcesPath: '/opt/AutoPrintFarm/resources' })).toBe(
      join('/opt/AutoPrintFarm/resources', 'native', 'better_sqlite3.node'),
    );
  });

  it("builds the desktop's runtime from app facts, reading better-sqlite3's version only in development", () => {
    let reads = 0;
    const facts = { resourcesPath: '/r', appPath: '/src/apf', electronVersion: '45.5.0', platform: 'darwin', arch: 'arm64', betterSqlite3Version: () => (reads++, '12.6.2') };
    expect(desktopRuntime({ ...facts, packaged: true })).toEqual({ runtime: 'electron', packaged: true, resourcesPath: '/r' });
    expect(reads).toBe(0);
    expect(desktopRuntime({ ...facts, packaged: false })).toEqual({
      runtime: 'electron',
      packaged: false,
      projectRoot: '/src/apf',
      electronVersion: '45.5.0',
      platform: 'darwin',
      arch: 'arm64',
      betterSqlite3Version: '12.6.2',
    });
  });
});

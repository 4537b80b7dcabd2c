// electron-builder afterPack hook: puts better-sqlite3 built for this target's Electron into the package's
// resources/native/, where the packaged app looks for it (electron/desktop/native-binaries.ts).
//
// electron-builder's own rebuild (npmRebuild) is off on purpose: it rebuilds the project's node_modules in
// place, which would leave the Node tests and `apf` with an Electron addon. Returning false from beforeBuild
// instead would also stop electron-builder from packing node_modules. This hook runs per platform and
// architecture, after the app files are copied and before fuses, signing and the installer.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { Arch } = require('builder-util');

/** The electron-natives command line for one packaging target. */
function nativesArgs(context) {
  const packager = context.packager;
  const electronVersion = packager.config.electronVersion || packager.info.framework.version;
  const resources = packager.getResourcesDir(context.appOutDir);
  return [
    '--import',
    'tsx',
    path.join('scripts', 'electron-natives.ts'),
    '--electron',
    electronVersion,
    '--platform',
    context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName,
    '--arch',
    Arch[context.arch],
    '--if-missing',
    '--into',
    path.join(resources, 'native'),
  ];
}

async function afterPack(context) {
  const args = nativesArgs(context);
  const r = spawnSync(process.execPath, args, { cwd: context.packager.info.projectDir, stdio: 'inherit' });
  if (r.status !== 0)
    throw new Error(`electron-natives failed for ${context.electronPlatformName}-${Arch[context.arch]} (exit ${r.status ?? r.signal}); the package would not open its database.`);
}

module.exports = { nativesArgs, afterPack, default: afterPack };

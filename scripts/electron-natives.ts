// `npm run electron:natives`: builds better-sqlite3 for the installed Electron into native/electron/ (see
// scripts/lib/electron-natives.ts and docs/desktop.md). Needs internet: it downloads a prebuilt addon or
// Electron's headers. The packaging hook runs it per target with --platform/--arch/--into.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildElectronNatives, electronBuildEnv, parseNativesArgs, planElectronNatives, type Rebuild } from './lib/electron-natives';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

try {
  const req = parseNativesArgs(process.argv.slice(2), projectRoot);
  const plan = planElectronNatives(req);
  // Loaded only when needed: @electron/rebuild is a dev tool the app and the tests never import.
  const rebuild: Rebuild = async (options) => (await import('@electron/rebuild')).rebuild(options);
  // @electron/rebuild hands this environment to node-gyp.
  process.env = electronBuildEnv(process.env);
  await buildElectronNatives(req, plan, { rebuild, loadInNode: createRequire(import.meta.url) }, (line) => console.log(line));
} catch (err) {
  console.error(`electron:natives failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}

// Bundles the Electron main process, the sandboxed preload and the headless `apf` host with esbuild.
// The renderer is built separately by Vite (vite.config.ts).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', sourcemap: false, logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  // Electron 45 runs Node 22 and loads an ESM main; dependencies stay in node_modules (native modules
  // cannot be bundled, and electron-builder packs node_modules anyway).
  build({ ...common, entryPoints: ['electron/desktop/main.ts'], outfile: 'dist/electron/main.mjs', format: 'esm', target: 'node22', packages: 'external' }),
  // A sandboxed preload can only require('electron'): everything else is inlined into one CommonJS file.
  build({ ...common, entryPoints: ['electron/desktop/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', target: 'chrome130', external: ['electron'] }),
  build({
    ...common,
    entryPoints: ['electron/headless/main.ts'],
    outfile: 'dist/headless/apf.mjs',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  }),
]);

#!/usr/bin/env node
// The `apf` command: runs the bundled headless host built by `npm run build`.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/headless/apf.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('apf: the app has not been built yet. Run `npm run build` in the project folder first.\n');
  process.exit(1);
}
await import(bundle.href);

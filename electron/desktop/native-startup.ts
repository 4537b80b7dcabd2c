import { createRequire } from 'node:module';
import type { Dialog } from 'electron';
import { checkNativeModules, describeNativeFailures, type NativeModuleProbe } from '../core/native/native-check';

export interface NativeStartupOptions {
  packaged: boolean;
  /** better-sqlite3's addon for this runtime (see native-binaries.ts); null: its own lookup. */
  sqliteBinding: string | null;
  /** The Electron version, named in the development fix. */
  electronVersion: string;
}

const REINSTALL = 'Reinstall AutoPrintFarm from a fresh download; this copy is damaged or was packaged without it.';

/**
 * The real probes: each loads its addon the way the app will (better-sqlite3 with the same nativeBinding the
 * store gets; serialport's binding as serialport resolves it, since bindings-cpp is its dependency, not ours).
 */
export function nativeModuleProbes(opts: NativeStartupOptions, require: NodeJS.Require = createRequire(import.meta.url)): NativeModuleProbe[] {
  return [
    {
      module: 'better-sqlite3',
      binary: opts.sqliteBinding,
      fix: opts.packaged
        ? REINSTALL
        : `Run \`npm run electron:natives\` in the project folder (it builds better-sqlite3 for Electron ${opts.electronVersion} into native/electron/), then \`npm start\` again.`,
      load: () => {
        const Database = require('better-sqlite3') as typeof import('better-sqlite3');
        new Database(':memory:', opts.sqliteBinding ? { nativeBinding: opts.sqliteBinding } : {}).close();
      },
    },
    {
      module: 'serialport (@serialport/bindings-cpp)',
      binary: null,
      // N-API: its prebuilt binary loads in Node and Electron alike, so only a broken install breaks it.
      fix: opts.packaged ? REINSTALL : 'Reinstall the dependencies with `npm ci` (serialport ships prebuilt binaries for every platform), then `npm start` again.',
      load: () => {
        createRequire(require.resolve('serialport'))('@serialport/bindings-cpp');
      },
    },
  ];
}

/**
 * Loads every native module; when one does not load, says so in a native dialog (which works before and
 * after 'ready') and returns false so the caller quits with an error instead of dying later without a word.
 */
export function ensureNativeModules(probes: readonly NativeModuleProbe[], dialog: Pick<Dialog, 'showErrorBox'>, log: (line: string) => void): boolean {
  const failures = checkNativeModules(probes);
  if (failures.length === 0) return true;
  const { title, message } = describeNativeFailures(failures);
  log(`${title}\n${message}`);
  dialog.showErrorBox(title, message);
  return false;
}

import { mkdirSync } from 'node:fs';
import { createCore, type Core } from '../../core/core';
import { lockDataDir, type DataDirLock } from '../../core/data-dir-lock';
import { createDefaultDriverFactory } from '../../core/printers/default-drivers';
import { headlessBambuAnchors } from '../bambu-anchors';
import { openConfSettings } from '../../core/settings/conf-store';
import { defaultDataDir } from '../data-dir';
import { appVersion } from '../version';
import type { CommandIo } from '../args';

/** A core on a data folder for one CLI command: no seeded virtual printer, the folder locked meanwhile. */
export function openCliCore(
  dataDirFlag: string | undefined,
  io: CommandIo,
  before?: (settings: { set(k: string, v: unknown): void }) => void,
  /** For commands that act with the cloud key: the environment (and .env files) `apf serve` reads it from. */
  cloudKey?: { env: Record<string, string | undefined>; envFileText?: string | undefined },
): { core: Core; close: () => Promise<void> } {
  const dataDir = dataDirFlag ?? defaultDataDir();
  mkdirSync(dataDir, { recursive: true });
  const lock: DataDirLock = lockDataDir(dataDir, 'headless');
  try {
    const settings = openConfSettings(dataDir);
    before?.(settings.store);
    const core = createCore({
      host: 'headless',
      version: appVersion(),
      dataDir,
      settings: settings.store,
      createDriver: createDefaultDriverFactory({ bambuAnchors: headlessBambuAnchors({ warn: (m) => io.stderr(m) }, io.env ?? process.env) }),
      log: { error: (m) => io.stderr(String(m)) },
      seedDefaultPrinter: false,
      secretBox: null,
      ...(cloudKey ? { env: cloudKey.env, envFileText: cloudKey.envFileText } : {}),
    });
    return {
      core,
      close: async () => {
        await core.close();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

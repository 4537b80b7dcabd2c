import type { Dialog, MessageBoxOptions } from 'electron';
import { NO_UPDATE, nextUpdateStep, type UpdateInput, type UpdateState } from '../core/updates/update-policy';

/** The part of electron-updater's autoUpdater this uses (a fake stands in for it in tests). */
export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface AutoUpdateOptions {
  /** `app.isPackaged`: a development run never checks (it has no app-update.yml and nothing to replace). */
  packaged: boolean;
  /** Called only when packaged, so development never even constructs electron-updater's updater. */
  updater: () => UpdaterPort;
  dialog: Pick<Dialog, 'showMessageBox'>;
  usbPrintStreaming: () => boolean;
  /** Calls back whenever printer states may have changed; returns its unsubscribe. */
  onPrintActivity: (listener: () => void) => () => void;
  log: (line: string) => void;
  /** How often to look for a new version; default every 6 hours. */
  checkEveryMs?: number;
}

const SIX_HOURS = 6 * 60 * 60 * 1000;

/**
 * Wires electron-updater to the update policy (core/updates/update-policy.ts), which decides; this only
 * carries events in and effects out. Returns a stop function, or null when updates are off (development).
 */
export function startAutoUpdates(opts: AutoUpdateOptions): (() => void) | null {
  if (!opts.packaged) return null;
  const updater = opts.updater();
  // Download in the background; an update the user put off installs when they quit the app.
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;

  let state: UpdateState = NO_UPDATE;
  const step = (input: UpdateInput) => {
    const next = nextUpdateStep(state, input, opts.usbPrintStreaming);
    state = next.state;
    if (next.effect?.do === 'ask') void ask(next.effect.version);
    if (next.effect?.do === 'install') {
      opts.log(`Installing AutoPrintFarm ${next.effect.version} and restarting.`);
      updater.quitAndInstall(false, true);
    }
  };
  const ask = async (version: string) => {
    const { response } = await opts.dialog.showMessageBox(updateQuestion(version));
    step({ type: 'answered', restart: response === 0 });
  };

  updater.on('update-downloaded', (info) => step({ type: 'downloaded', version: info.version }));
  // A failed check (offline farm PC, server down) is not the user's problem: log it and try again later.
  updater.on('error', (err) => opts.log(`Update check failed: ${err.message}`));
  const unsubscribe = opts.onPrintActivity(() => step({ type: 'prints-changed' }));
  const check = () => void updater.checkForUpdates().catch((err: unknown) => opts.log(`Update check failed: ${err instanceof Error ? err.message : String(err)}`));
  check();
  const timer = setInterval(check, opts.checkEveryMs ?? SIX_HOURS);
  timer.unref?.();
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}

export function updateQuestion(version: string): MessageBoxOptions {
  return {
    type: 'info',
    title: 'Update ready',
    message: `AutoPrintFarm ${version} is ready to install.`,
    detail: 'Restarting takes a few seconds; no USB print is running now. If you choose Later, it installs the next time you quit.',
    buttons: ['Restart now', 'Later'],
    defaultId: 0,
    cancelId: 1,
  };
}

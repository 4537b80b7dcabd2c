import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import electronUpdater from 'electron-updater';
import { readEnvFilesAt } from '../core/cloud-account/env-file';
import { eventChannel } from '../core/contract';
import { createCore, type Core } from '../core/core';
import { lockDataDir, type DataDirLock } from '../core/data-dir-lock';
import { createLogger } from '../core/log/logger';
import { createDefaultDriverFactory } from '../core/printers/default-drivers';
import { APP_ENTRY, APP_SCHEME, type OriginOptions } from './app-origin';
import { startAutoUpdates } from './auto-update';
import { RENDERER_CSP } from './csp';
import { createSafeStorageSecretBox } from './secret-box';
import { bindIpc } from './ipc';
import { installNavigationGuards } from './navigation-guards';
import { betterSqlite3BindingPath, desktopRuntime } from './native-binaries';
import { ensureNativeModules, nativeModuleProbes } from './native-startup';
import { mimeType, resolveRendererFile } from './protocol-path';
import { isTrustedSender } from './sender-policy';
import { createElectronSettingsStore } from './settings-store';
import { desktopEnvFiles } from './env-files';
import { mainWindowOptions } from './window-options';

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const devUrl = !app.isPackaged ? (process.env.APF_DEV_URL ?? null) : null;
const origin: OriginOptions = { packaged: app.isPackaged, devOrigin: devUrl };
const log = createLogger({ write: (line) => void process.stderr.write(`${line}\n`) });
const requireHere = createRequire(import.meta.url);
// Electron's own build of better-sqlite3 (native/electron/… in development, resources/native when packaged).
const sqliteBinding = betterSqlite3BindingPath(
  desktopRuntime({
    packaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    electronVersion: process.versions.electron ?? 'unknown',
    platform: process.platform,
    arch: process.arch,
    betterSqlite3Version: () => (requireHere('better-sqlite3/package.json') as { version: string }).version,
  }),
);

// Everything this process creates (settings, database, library files, Chromium's own) is the user's alone.
process.umask(0o077);

// Before ready: the custom scheme must be privileged (standard + secure) to behave like https for the page.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

// Two copies of the app would open the same serial ports and database: the second one hands over and quits.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let core: Core | null = null;
  let dataLock: DataDirLock | null = null;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    installNavigationGuards(contents, origin, (url) => void shell.openExternal(url));
  });

  app.whenReady().then(async () => {
    // Before anything opens the database or a port: a native module built for the wrong runtime must be a
    // dialog that says what to do, not a crash. (The dialog needs 'ready' to show on Linux.)
    const natives = nativeModuleProbes({ packaged: app.isPackaged, sqliteBinding, electronVersion: process.versions.electron ?? 'unknown' }, requireHere);
    if (!ensureNativeModules(natives, dialog, (line) => log.error(line))) {
      app.exit(1);
      return;
    }
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveRendererFile(rendererDir, request.url);
      if (!file) return new Response('Not found', { status: 404 });
      try {
        const body = await readFile(file);
        return new Response(body, { headers: { 'Content-Type': mimeType(file), 'Content-Security-Policy': RENDERER_CSP } });
      } catch {
        return new Response('Not found', { status: 404 });
      }
    });
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);

    try {
      dataLock = lockDataDir(app.getPath('userData'), 'desktop');
    } catch (err) {
      dialog.showErrorBox('AutoPrintFarm is already running', err instanceof Error ? err.message : String(err));
      app.quit();
      return;
    }
    core = createCore({
      host: 'desktop',
      version: app.getVersion(),
      dataDir: app.getPath('userData'),
      settings: createElectronSettingsStore(app.getPath('userData')),
      createDriver: createDefaultDriverFactory(),
      log,
      // Created after 'ready': before it, Linux cannot tell which keyring it would use.
      secretBox: createSafeStorageSecretBox(safeStorage),
      env: process.env,
      // Never the working directory's .env (see env-files.ts).
      envFileText: readEnvFilesAt(desktopEnvFiles({ dataDir: app.getPath('userData'), env: process.env })),
      sqliteNativeBinding: sqliteBinding,
    });
    const running = core;
    startAutoUpdates({
      packaged: app.isPackaged,
      updater: () => electronUpdater.autoUpdater,
      dialog,
      usbPrintStreaming: () => running.usbPrintStreaming(),
      onPrintActivity: (listener) => running.events.subscribe((name) => (name === 'printer.status' || name === 'printers.changed') && listener()),
      log: (line) => log.info(line),
    });
    bindIpc(ipcMain, core.dispatch, (event) => isTrustedSender(event, origin));

    window = new BrowserWindow(mainWindowOptions(preloadPath));
    const win = window;
    core.events.subscribe((name, payload) => {
      if (!win.isDestroyed()) win.webContents.send(eventChannel(name), payload);
    });
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => (window = null));
    await win.loadURL(devUrl ?? APP_ENTRY);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    void core?.close().finally(() => dataLock?.release());
  });
}

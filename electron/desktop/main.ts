import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, nativeTheme, Notification, powerSaveBlocker, protocol, safeStorage, screen, session, shell, Tray } from 'electron';
import electronUpdater from 'electron-updater';
import { readEnvFilesAt } from '../core/cloud-account/env-file';
import { eventChannel } from '../core/contract';
import { createCore, type Core } from '../core/core';
import { lockDataDir, type DataDirLock } from '../core/data-dir-lock';
import { createLogger } from '../core/log/logger';
import { createDefaultDriverFactory } from '../core/printers/default-drivers';
import { loadBambuAnchors } from '../core/printers/bambu/trust-anchors';
import { APP_ENTRY, APP_SCHEME, type OriginOptions } from './app-origin';
import { startAutoUpdates } from './auto-update';
import { RENDERER_CSP } from './csp';
import { createSafeStorageSecretBox } from './secret-box';
import { bindIpc } from './ipc';
import { installNavigationGuards } from './navigation-guards';
import { betterSqlite3BindingPath, desktopRuntime } from './native-binaries';
import { ensureNativeModules, nativeModuleProbes } from './native-startup';
import { mimeType, resolveRendererFile } from './protocol-path';
import { cameraStreamResponse } from './camera-protocol';
import { answerSnapshot, SNAPSHOT_CACHE_CONTROL } from '../core/snapshots/snapshot-route';
import { isTrustedSender } from './sender-policy';
import { createElectronSettingsStore } from './settings-store';
import { appMenuTemplate } from './app-menu';
import { emergencyStopAll, pauseAllPrints } from './farm-actions';
import { listenForLinks, registerLinkProtocol, showWindow } from './links';
import { notifyFarmEvents } from './notifications';
import { holdAwakeWhileUsbPrints } from './power-save';
import { followThemeSetting } from './theme';
import { createFarmTray } from './tray';
import { rememberWindowState, savedPlacement } from './window-state';
import { GlanceState } from '../core/native-shell/farm-glance';
import { quitQuestion, whenAllWindowsClose } from '../core/native-shell/quit-policy';
import { printerRouteHash, routeHashFor } from '../core/native-shell/deep-links';
import { CAPABILITIES, type PrinterView, type Settings } from '../core/contract';
import type { FarmProfile } from '../core/contract/jobs-types';
import type { MaintenanceTaskView } from '../core/contract/maintenance-types';
import { desktopEnvFiles } from './env-files';
import { mainWindowOptions } from './window-options';

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const devUrl = !app.isPackaged ? (process.env.APF_DEV_URL ?? null) : null;
const origin: OriginOptions = { packaged: app.isPackaged, devOrigin: devUrl };
const log = createLogger({ write: (line) => void process.stderr.write(`${line}\n`) });
const requireHere = createRequire(import.meta.url);
// Icons the running app shows (tray, Linux window): copied into the package by electron-builder's extraResources.
const resourceDir = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources');
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
  // Links that arrive before the window exists (the one that launched the app) wait for it.
  let pendingRoute: string | undefined;
  /** Opens the main window again after it was closed while the app kept running (set once the app is ready). */
  let reopenWindow: ((hash?: string) => void) | null = null;
  const openRoute = (hash?: string) => {
    if (window) showWindow(window, hash);
    else if (reopenWindow) reopenWindow(hash);
    else pendingRoute = hash ?? pendingRoute;
  };

  registerLinkProtocol(app, process);
  listenForLinks(app, process.argv, {
    focus: () => openRoute(),
    open: (link) => {
      // The sign-in flow (its own issue) will take these; until then a sign-in link only brings the window forward.
      if (link.kind === 'sign-in') log.info('An autoprintfarm://sign-in link arrived; sign-in through the browser is not available yet.');
      else openRoute(routeHashFor(link));
    },
  });

  app.on('web-contents-created', (_event, contents) => {
    installNavigationGuards(contents, origin, (url) => void shell.openExternal(url));
  });

  const startup = app.whenReady().then(async () => {
    // Before anything opens the database or a port: a native module built for the wrong runtime must be a
    // dialog that says what to do, not a crash. (The dialog needs 'ready' to show on Linux.)
    const natives = nativeModuleProbes({ packaged: app.isPackaged, sqliteBinding, electronVersion: process.versions.electron ?? 'unknown' }, requireHere);
    if (!ensureNativeModules(natives, dialog, (line) => log.error(line))) {
      app.exit(1);
      return;
    }
    protocol.handle(APP_SCHEME, async (request) => {
      // Camera pictures come from the core's relay (`<img src="/camera/<id>/stream">` in the window).
      const camera = core ? cameraStreamResponse(core, request.url) : null;
      if (camera) return camera;
      const snapshot = core ? await answerSnapshot(core, new URL(request.url).pathname) : null;
      if (snapshot)
        return new Response(new Uint8Array(snapshot.body), {
          status: snapshot.status,
          headers: { 'Content-Type': snapshot.contentType, 'Cache-Control': snapshot.status === 200 ? SNAPSHOT_CACHE_CONTROL : 'no-store' },
        });
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
    const settingsStore = createElectronSettingsStore(app.getPath('userData'));
    const bambuAnchors = loadBambuAnchors(join(resourceDir, 'bambu-ca'), process.env, log);
    core = createCore({
      host: 'desktop',
      version: app.getVersion(),
      dataDir: app.getPath('userData'),
      settings: settingsStore,
      createDriver: createDefaultDriverFactory({ bambuAnchors }),
      bambuAnchors,
      log,
      // Created after 'ready': before it, Linux cannot tell which keyring it would use.
      secretBox: createSafeStorageSecretBox(safeStorage),
      env: process.env,
      // Never the working directory's .env (see env-files.ts).
      envFileText: readEnvFilesAt(desktopEnvFiles({ dataDir: app.getPath('userData'), env: process.env })),
      sqliteNativeBinding: sqliteBinding,
      // "Sign in with AutoPrintFarm" in the system browser, never an embedded web view (RFC 8252 §8.12).
      openBrowser: (url) => shell.openExternal(url),
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
    const local = { capabilities: new Set(CAPABILITIES) };
    const read = async <T>(method: 'printers.list' | 'jobs.profiles' | 'settings.get' | 'maintenance.list'): Promise<T> => {
      const out = await running.dispatch(method, undefined, local);
      if (!out.ok) throw new Error(out.error.message);
      return out.result as T;
    };

    followThemeSetting(nativeTheme, (await read<Settings>('settings.get')).theme, (listener) =>
      running.events.subscribe((name, payload) => name === 'settings.changed' && listener((payload as Settings).theme)),
    );
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(appMenuTemplate(process.platform, { appName: app.name, isPackaged: app.isPackaged, openExternal: (url) => void shell.openExternal(url) })),
    );
    holdAwakeWhileUsbPrints({
      powerSaveBlocker,
      usbPrintStreaming: () => running.usbPrintStreaming(),
      onPrintActivity: (listener) => running.events.subscribe((name) => (name === 'printer.status' || name === 'printers.changed') && listener()),
      log: (line) => log.info(line),
    });
    const openPrinter = (printerId: string) => openRoute(printerRouteHash(printerId));
    notifyFarmEvents({
      isSupported: () => Notification.isSupported(),
      create: (options) => new Notification(options),
      subscribe: (listener) => running.events.subscribe(listener),
      openPrinter,
    });

    const createWindow = async (route?: string): Promise<void> => {
      const placement = savedPlacement(settingsStore, { displays: screen.getAllDisplays().map((d) => d.workArea), primary: screen.getPrimaryDisplay().workArea });
      window = new BrowserWindow({
        ...mainWindowOptions(preloadPath),
        x: placement.x,
        y: placement.y,
        width: placement.width,
        height: placement.height,
        // Windows and macOS take the icon from the executable; Linux windows need it given.
        ...(process.platform === 'linux' ? { icon: join(resourceDir, 'icons', '512x512.png') } : {}),
      });
      const win = window;
      if (placement.maximized) win.maximize();
      rememberWindowState(win, settingsStore);
      const stopForwarding = running.events.subscribe((name, payload) => {
        if (!win.isDestroyed()) win.webContents.send(eventChannel(name), payload);
      });
      win.once('ready-to-show', () => win.show());
      win.on('closed', () => {
        stopForwarding();
        window = null;
      });
      await win.loadURL(`${devUrl ?? APP_ENTRY}${route ?? ''}`);
    };
    reopenWindow = (hash) => void createWindow(hash);

    const glance = new GlanceState(await read<PrinterView[]>('printers.list'), await read<FarmProfile[]>('jobs.profiles'), await read<MaintenanceTaskView[]>('maintenance.list'));
    const tray = createFarmTray(
      {
        createTray: (image) => new Tray(image),
        buildMenu: (template) => Menu.buildFromTemplate(template),
        loadImage: (path) => nativeImage.createFromPath(path),
        dialog,
        iconDir: join(resourceDir, 'tray'),
        platform: process.platform,
        darkMenus: () => nativeTheme.shouldUseDarkColors,
        open: () => openRoute(),
        openPrinter,
        pauseAll: () => pauseAllPrints(running.dispatch),
        emergencyStopAll: () => emergencyStopAll(running.dispatch),
        quit: () => app.quit(),
      },
      glance.glance(),
    );
    running.events.subscribe((name, payload) => glance.apply(name, payload) && tray.update(glance.glance()));
    nativeTheme.on('updated', () => tray.update(glance.glance()));

    const firstRoute = pendingRoute;
    pendingRoute = undefined;
    await createWindow(firstRoute);
  });
  startup.catch((err: unknown) => {
    // Anything that fails while starting would otherwise be an unhandled rejection: no window, no tray, a process
    // left running with nothing to show. Say what failed and exit instead.
    log.error(`Start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    dialog.showErrorBox('AutoPrintFarm could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });

  // A USB print lives in this process: closing the window must not stop it, and quitting asks first.
  app.on('window-all-closed', () => {
    const action = whenAllWindowsClose({ platform: process.platform, usbPrintStreaming: core?.usbPrintStreaming() ?? false });
    if (action === 'quit') app.quit();
    else if (action === 'keep-running-for-print' && Notification.isSupported()) {
      new Notification({ title: 'AutoPrintFarm keeps printing', body: 'A USB print is running, so the app stays in the tray. Open it from there.' }).show();
    }
  });
  let quitConfirmed = false;
  app.on('before-quit', (event) => {
    const running = core;
    const question = running && !quitConfirmed ? quitQuestion(running.usbPrintsStreaming()) : null;
    if (question) {
      event.preventDefault();
      void dialog
        .showMessageBox({ type: 'warning', message: question.message, detail: question.detail, buttons: question.buttons, defaultId: 0, cancelId: 0 })
        .then(({ response }) => {
          if (response !== 1) return;
          quitConfirmed = true;
          app.quit();
        });
      return;
    }
    void core?.close().finally(() => dataLock?.release());
  });
}

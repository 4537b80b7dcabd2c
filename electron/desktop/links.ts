import type { App, BrowserWindow } from 'electron';
import { APP_PROTOCOL, linksInArgv, parseDeepLink, type DeepLink } from '../core/native-shell/deep-links';

/**
 * Makes the OS start (or hand over to) this app for `autoprintfarm://` links. A packaged app is its own
 * executable; in development the executable is Electron itself, so Windows and Linux must also be given the
 * app's folder, or the link would open a bare Electron.
 */
export function registerLinkProtocol(app: Pick<App, 'setAsDefaultProtocolClient' | 'isPackaged'>, process: { execPath: string; argv: readonly string[] }): boolean {
  if (app.isPackaged || process.argv[1] === undefined) return app.setAsDefaultProtocolClient(APP_PROTOCOL);
  return app.setAsDefaultProtocolClient(APP_PROTOCOL, process.execPath, [process.argv[1]]);
}

/**
 * Where links and second launches arrive. Windows and Linux start a second process, which hands its argv to
 * this one through 'second-instance' and quits; macOS sends 'open-url' to the running app (also for the link
 * that launched it, before 'ready'). Every launch brings the window forward; a link that is not one of ours
 * is dropped (parseDeepLink is the whole allowlist).
 */
export function listenForLinks(app: Pick<App, 'on'>, initialArgv: readonly string[], on: { focus(): void; open(link: DeepLink): void }): void {
  const openAll = (raw: readonly string[]) => {
    for (const text of raw) {
      const link = parseDeepLink(text);
      if (link) on.open(link);
    }
  };
  app.on('second-instance', (_event, argv) => {
    on.focus();
    openAll(linksInArgv(argv));
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    on.focus();
    openAll([url]);
  });
  openAll(linksInArgv(initialArgv));
}

/** Brings the window forward (restored if minimised, shown if hidden in the tray) and, when given, opens a route. */
export function showWindow(win: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus' | 'isDestroyed' | 'webContents'>, routeHash?: string): void {
  if (win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  if (routeHash === undefined) return;
  // Only the fragment changes: Chromium navigates within the page (no reload) and the renderer follows 'hashchange'.
  const url = new URL(win.webContents.getURL());
  url.hash = routeHash;
  void win.webContents.loadURL(url.toString());
}

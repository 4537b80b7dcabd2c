import type { MenuItemConstructorOptions } from 'electron';

export const HELP_LINKS = [
  { label: 'AutoPrintFarm Help', url: 'https://autoprintfarm.com/docs' },
  { label: 'Report a Problem', url: 'https://autoprintfarm.com/support' },
] as const;

/**
 * The application menu, built from Electron's roles so each platform gets its own standard items, shortcuts
 * and wording (Cmd-Q on macOS, the Window menu's zoom and front items, Edit's copy and paste that text
 * fields need). macOS puts the app menu first; Windows and Linux put Quit under File. Help opens the docs in
 * the system browser.
 */
export function appMenuTemplate(platform: NodeJS.Platform, opts: { appName: string; openExternal(url: string): void; isPackaged: boolean }): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: HELP_LINKS.map((link) => ({ label: link.label, click: () => opts.openExternal(link.url) })),
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      // Developer tools only where a developer is: a packaged app has no use for them.
      ...(opts.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(mac
      ? [
          {
            label: opts.appName,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : [{ label: 'File', submenu: [{ role: 'quit' }] } satisfies MenuItemConstructorOptions]),
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    help,
  ];
}

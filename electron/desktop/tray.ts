import { join } from 'node:path';
import type { Dialog, Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import type { FarmGlance } from '../core/native-shell/farm-glance';
import { trayIconFile } from '../core/native-shell/tray-icons';

export interface TrayDeps {
  createTray(image: NativeImage): Pick<Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>;
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
  loadImage(path: string): NativeImage;
  dialog: Pick<Dialog, 'showMessageBox'>;
  /** resources/tray in development, <resources>/tray in a package (electron-builder's extraResources). */
  iconDir: string;
  platform: NodeJS.Platform;
  darkMenus(): boolean;
  open(): void;
  openPrinter(printerId: string): void;
  pauseAll(): Promise<number>;
  emergencyStopAll(): Promise<number>;
  quit(): void;
}

/** Printers listed by name in the menu at most; past that, the window says the rest. */
const MAX_LISTED = 8;

/**
 * The farm in the tray: the icon says printing, idle or needs attention; the menu lists who needs attention
 * (each opens its printer) and offers open, pause all and emergency stop for every printer, the last behind
 * a confirmation because it ruins every print in progress.
 */
export function createFarmTray(deps: TrayDeps, initial: FarmGlance): { update(glance: FarmGlance): void; destroy(): void } {
  let current = initial;
  const icon = (glance: FarmGlance) => deps.loadImage(join(deps.iconDir, trayIconFile(glance.state, deps.platform, deps.darkMenus())));
  const tray = deps.createTray(icon(initial));
  // A click on the icon itself opens the window (Windows and most Linux trays; macOS shows the menu).
  tray.on('click', () => deps.open());

  const render = () => {
    tray.setImage(icon(current));
    tray.setToolTip(current.summary);
    tray.setContextMenu(deps.buildMenu(trayMenuTemplate(current, deps)));
  };
  render();
  return {
    update(glance) {
      current = glance;
      render();
    },
    destroy: () => tray.destroy(),
  };
}

export function trayMenuTemplate(
  glance: FarmGlance,
  deps: Pick<TrayDeps, 'open' | 'openPrinter' | 'pauseAll' | 'emergencyStopAll' | 'quit' | 'dialog'>,
): MenuItemConstructorOptions[] {
  // Who stops work first, then maintenance due on printers that still print.
  const named = [...glance.attention, ...glance.maintenance];
  const listed = named.slice(0, MAX_LISTED).map((a) => ({ label: `${a.name} — ${a.why}`, click: () => deps.openPrinter(a.printerId) }));
  const more = named.length > MAX_LISTED ? [{ label: `${named.length - MAX_LISTED} more…`, click: () => deps.open() }] : [];
  return [
    { label: glance.summary.replace(/^AutoPrintFarm — /, ''), enabled: false },
    ...listed,
    ...more,
    { type: 'separator' },
    { label: 'Open AutoPrintFarm', click: () => deps.open() },
    { label: 'Pause All Prints', enabled: glance.printing > 0, click: () => void deps.pauseAll() },
    { label: 'Emergency Stop All Printers…', click: () => void confirmEmergencyStop(deps) },
    { type: 'separator' },
    { label: 'Quit AutoPrintFarm', click: () => deps.quit() },
  ];
}

/** Stops nothing unless the user picks the stop button; Cancel is the default and what Escape does. */
export async function confirmEmergencyStop(deps: Pick<TrayDeps, 'dialog' | 'emergencyStopAll'>): Promise<boolean> {
  const { response } = await deps.dialog.showMessageBox({
    type: 'warning',
    title: 'Emergency stop',
    message: 'Emergency-stop every printer?',
    detail: 'Heaters and motors stop at once on every connected printer. Prints in progress are lost, and each printer must be reset before it prints again.',
    buttons: ['Cancel', 'Stop All Printers'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  if (response !== 1) return false;
  await deps.emergencyStopAll();
  return true;
}

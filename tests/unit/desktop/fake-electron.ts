import { EventEmitter } from 'node:events';
import type { MenuItemConstructorOptions } from 'electron';

/**
 * Stand-ins for the parts of Electron the desktop's native behaviour uses. The real module only exports the
 * binary's path under Node, so each desktop module takes these by injection and the tests watch what it did.
 */
export class FakeApp extends EventEmitter {
  isPackaged = false;
  registered: unknown[][] = [];
  setAsDefaultProtocolClient(...args: unknown[]) {
    this.registered.push(args);
    return true;
  }
}

export class FakeWindow extends EventEmitter {
  minimized = false;
  maximized = false;
  destroyed = false;
  shown = 0;
  focused = 0;
  normalBounds = { x: 10, y: 20, width: 1300, height: 850 };
  loaded: string[] = [];
  webContents = { url: 'app://renderer/index.html#/fleet', getURL: () => this.webContents.url, loadURL: async (u: string) => void this.loaded.push(u) };
  isMinimized = () => this.minimized;
  restore = () => void (this.minimized = false);
  show = () => void this.shown++;
  focus = () => void this.focused++;
  isDestroyed = () => this.destroyed;
  isMaximized = () => this.maximized;
  getNormalBounds = () => this.normalBounds;
}

export class FakeTray extends EventEmitter {
  images: string[] = [];
  tooltip = '';
  menu: MenuItemConstructorOptions[] = [];
  destroyed = false;
  constructor(image: { path: string }) {
    super();
    this.images.push(image.path);
  }
  setImage = (image: unknown) => void this.images.push((image as { path: string }).path);
  setToolTip = (t: string) => void (this.tooltip = t);
  setContextMenu = (menu: unknown) => void (this.menu = menu as MenuItemConstructorOptions[]);
  destroy = () => void (this.destroyed = true);
}

export class FakeNotification extends EventEmitter {
  static made: FakeNotification[] = [];
  shown = false;
  constructor(readonly options: { title?: string; body?: string }) {
    super();
    FakeNotification.made.push(this);
  }
  show = () => void (this.shown = true);
}

export function fakePowerSaveBlocker() {
  let next = 1;
  const active = new Set<number>();
  return {
    active,
    types: [] as string[],
    start(type: 'prevent-app-suspension' | 'prevent-display-sleep') {
      this.types.push(type);
      active.add(next);
      return next++;
    },
    stop: (id: number) => active.delete(id),
    isStarted: (id: number) => active.has(id),
  };
}

/** A dialog that answers with the given button index and remembers what it asked. */
export function fakeDialog(response: number) {
  const asked: { message: string; buttons?: string[]; cancelId?: number; defaultId?: number }[] = [];
  return {
    asked,
    showMessageBox: (async (o: { message: string; buttons?: string[] }) => (asked.push(o), { response, checkboxChecked: false })) as never,
  };
}

/** Finds a menu item by its label or role anywhere in a template. */
export function findItem(template: MenuItemConstructorOptions[], match: string): MenuItemConstructorOptions | undefined {
  for (const item of template) {
    if (item.label === match || item.role === match) return item;
    if (Array.isArray(item.submenu)) {
      const inner = findItem(item.submenu, match);
      if (inner) return inner;
    }
  }
  return undefined;
}

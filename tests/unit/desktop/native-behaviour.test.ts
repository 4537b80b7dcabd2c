import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { EventName, EventPayloads, PrinterView } from '../../../electron/core/contract';
import type { MaintenanceTaskView } from '../../../electron/core/contract/maintenance-types';
import { GlanceState, farmGlance } from '../../../electron/core/native-shell/farm-glance';
import type { Dispatch } from '../../../electron/core/rpc/dispatch';
import { appMenuTemplate, HELP_LINKS } from '../../../electron/desktop/app-menu';
import { emergencyStopAll, pauseAllPrints } from '../../../electron/desktop/farm-actions';
import { listenForLinks, registerLinkProtocol, showWindow } from '../../../electron/desktop/links';
import { notifyFarmEvents } from '../../../electron/desktop/notifications';
import { holdAwakeWhileUsbPrints } from '../../../electron/desktop/power-save';
import { followThemeSetting } from '../../../electron/desktop/theme';
import { createFarmTray, trayMenuTemplate } from '../../../electron/desktop/tray';
import { rememberWindowState, savedPlacement, WINDOW_STATE_KEY } from '../../../electron/desktop/window-state';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { FakeApp, FakeNotification, FakeTray, FakeWindow, fakeDialog, fakePowerSaveBlocker, findItem } from './fake-electron';

afterEach(() => vi.useRealTimers());

const job = { fileName: 'a.gcode', fraction: 0.5, linesSent: 1, linesTotal: 2, startedAt: 0, remainingSeconds: null };
const printer = (id: string, state: PrinterView['status']['state'], emergencyStop = true): PrinterView => ({
  id,
  name: `Printer ${id}`,
  kind: 'marlin',
  embedded: false,
  notice: null,
  capabilities: { setTemperature: true, home: true, jog: true, extrude: true, fan: true, motorsOff: true, console: true, emergencyStop, print: true, light: false },
  status: { state, temperatures: { hotend: null, bed: null }, position: null, firmware: null },
});

describe('single instance and autoprintfarm:// links', () => {
  it('registers the protocol for the packaged app itself, and for Electron plus the app folder in development', () => {
    const packaged = new FakeApp();
    packaged.isPackaged = true;
    registerLinkProtocol(packaged, { execPath: '/opt/AutoPrintFarm/autoprintfarm', argv: ['/opt/AutoPrintFarm/autoprintfarm'] });
    expect(packaged.registered).toEqual([['autoprintfarm']]);
    const dev = new FakeApp();
    registerLinkProtocol(dev, { execPath: '/repo/node_modules/electron/dist/electron', argv: ['/repo/node_modules/electron/dist/electron', '/repo'] });
    expect(dev.registered).toEqual([['autoprintfarm', '/repo/node_modules/electron/dist/electron', ['/repo']]]);
  });

  it("focuses the running window on a second launch and opens the link among the second launch's arguments", () => {
    const app = new FakeApp();
    const focus = vi.fn();
    const open = vi.fn();
    listenForLinks(app as never, ['/opt/apf'], { focus, open });
    app.emit('second-instance', {}, ['/opt/apf', '--flag', 'autoprintfarm://printer/p7', 'autoprintfarm://rm-rf']);
    expect(focus).toHaveBeenCalledTimes(1);
    expect(open.mock.calls).toEqual([[{ kind: 'printer', printerId: 'p7' }]]);
  });

  it("takes macOS's open-url links and the link that launched the app", () => {
    const app = new FakeApp();
    const open = vi.fn();
    listenForLinks(app as never, ['/opt/apf', 'autoprintfarm://jobs'], { focus: () => undefined, open });
    const event = { preventDefault: vi.fn() };
    app.emit('open-url', event, 'autoprintfarm://sign-in?code=1');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(open.mock.calls).toEqual([[{ kind: 'screen', screen: 'jobs' }], [{ kind: 'sign-in', params: { code: '1' } }]]);
  });

  it('brings a minimised window back and changes only the route of the loaded page', () => {
    const win = new FakeWindow();
    win.minimized = true;
    showWindow(win as never, '#/printers/p7');
    expect([win.minimized, win.shown, win.focused]).toEqual([false, 1, 1]);
    expect(win.loaded).toEqual(['app://renderer/index.html#/printers/p7']);
    showWindow(win as never);
    expect(win.loaded).toHaveLength(1);
  });
});

describe('the application menu', () => {
  const build = (platform: NodeJS.Platform, isPackaged = true) => {
    const opened: string[] = [];
    return { template: appMenuTemplate(platform, { appName: 'AutoPrintFarm', isPackaged, openExternal: (u) => void opened.push(u) }), opened };
  };

  it("puts macOS's app menu first with its standard roles, then Edit, View, Window and Help", () => {
    const { template } = build('darwin');
    expect(template.map((m) => m.label ?? m.role)).toEqual(['AutoPrintFarm', 'editMenu', 'View', 'windowMenu', 'help']);
    const appMenu = (template[0]!.submenu as MenuItemConstructorOptions[]).map((i) => i.role).filter(Boolean);
    expect(appMenu).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
  });

  it('puts Quit under File on Windows and Linux', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const { template } = build(platform);
      expect(template[0]).toEqual({ label: 'File', submenu: [{ role: 'quit' }] });
      expect(findItem(template, 'about')).toBeUndefined();
    }
  });

  it('opens the help links in the system browser', () => {
    const { template, opened } = build('linux');
    for (const link of HELP_LINKS) (findItem(template, link.label)!.click as () => void)();
    expect(opened).toEqual(HELP_LINKS.map((l) => l.url));
  });

  it('offers developer tools in development only', () => {
    expect(findItem(build('linux', true).template, 'toggleDevTools')).toBeUndefined();
    expect(findItem(build('linux', false).template, 'toggleDevTools')).toBeDefined();
  });
});

describe('the tray', () => {
  function setup(glance = farmGlance([], new Map()), opts: { platform?: NodeJS.Platform; dark?: boolean; answer?: number } = {}) {
    let tray: FakeTray | null = null;
    const calls: string[] = [];
    const dialog = fakeDialog(opts.answer ?? 0);
    const deps = {
      createTray: (image: never) => (tray = new FakeTray(image)) as never,
      buildMenu: (t: MenuItemConstructorOptions[]) => t as never,
      loadImage: (path: string) => ({ path }) as never,
      dialog,
      iconDir: '/res/tray',
      platform: opts.platform ?? 'linux',
      darkMenus: () => opts.dark ?? false,
      open: () => void calls.push('open'),
      openPrinter: (id: string) => void calls.push(`printer ${id}`),
      pauseAll: async () => (calls.push('pause all'), 1),
      emergencyStopAll: async () => (calls.push('estop all'), 2),
      quit: () => void calls.push('quit'),
    };
    const handle = createFarmTray(deps, glance);
    return { handle, tray: () => tray!, calls, dialog, deps };
  }

  it('shows the icon for the farm state, for the menu colour, and a template icon on macOS', () => {
    const { handle, tray } = setup();
    expect(tray().images.at(-1)).toBe('/res/tray/idle-on-light.png');
    handle.update(farmGlance([{ id: 'a', name: 'A', state: { kind: 'printing', job } }], new Map()));
    expect(tray().images.at(-1)).toBe('/res/tray/printing-on-light.png');
    expect(tray().tooltip).toBe('AutoPrintFarm — 1 printing');
    expect(setup(undefined, { dark: true }).tray().images.at(-1)).toBe('/res/tray/idle-on-dark.png');
    expect(
      setup(farmGlance([{ id: 'b', name: 'B', state: { kind: 'error', message: 'x' } }], new Map()), { platform: 'darwin' })
        .tray()
        .images.at(-1),
    ).toBe('/res/tray/attentionTemplate.png');
  });

  it('lists who needs attention, each opening its printer, and opens the window from the menu and the icon', () => {
    const { tray, calls } = setup(farmGlance([{ id: 'b', name: 'Voron', state: { kind: 'error', message: 'MINTEMP' } }], new Map()));
    (findItem(tray().menu, 'Voron — error: MINTEMP')!.click as () => void)();
    (findItem(tray().menu, 'Open AutoPrintFarm')!.click as () => void)();
    tray().emit('click');
    expect(calls).toEqual(['printer b', 'open', 'open']);
  });

  it('offers pause all only while something prints', () => {
    expect(findItem(setup().tray().menu, 'Pause All Prints')!.enabled).toBe(false);
    const { tray, calls } = setup(farmGlance([{ id: 'a', name: 'A', state: { kind: 'printing', job } }], new Map()));
    const pause = findItem(tray().menu, 'Pause All Prints')!;
    expect(pause.enabled).toBe(true);
    (pause.click as () => void)();
    expect(calls).toEqual(['pause all']);
  });

  it('emergency-stops every printer only after the user confirms; Cancel is the default and stops nothing', async () => {
    const declined = setup(undefined, { answer: 0 });
    const menu = trayMenuTemplate(farmGlance([], new Map()), declined.deps);
    (findItem(menu, 'Emergency Stop All Printers…')!.click as () => void)();
    await vi.waitFor(() => expect(declined.dialog.asked).toHaveLength(1));
    expect(declined.dialog.asked[0]).toMatchObject({ buttons: ['Cancel', 'Stop All Printers'], cancelId: 0, defaultId: 0 });
    await new Promise((r) => setTimeout(r, 0));
    expect(declined.calls).toEqual([]);

    const confirmed = setup(undefined, { answer: 1 });
    (findItem(confirmed.tray().menu, 'Emergency Stop All Printers…')!.click as () => void)();
    await vi.waitFor(() => expect(confirmed.calls).toEqual(['estop all']));
  });

  it('follows the farm through the core events it sees', () => {
    const glance = new GlanceState([printer('a', { kind: 'idle' })], []);
    expect(glance.glance().state).toBe('idle');
    expect(glance.apply('printer.status', { printerId: 'a', status: printer('a', { kind: 'printing', job }).status, sample: null })).toBe(true);
    expect(glance.glance().state).toBe('printing');
    // A status report that changes nothing the tray shows does not redraw it.
    expect(glance.apply('printer.status', { printerId: 'a', status: printer('a', { kind: 'printing', job }).status, sample: null })).toBe(false);
    glance.apply('farm.profile', {
      profile: { printerId: 'a', model: null, nozzleDiameter: null, material: null, group: null, tags: [], autoEject: false, bed: 'needs_clear', bedJobId: 'j' },
    });
    expect(glance.glance().state).toBe('attention');
  });

  it('lists printers due for maintenance from the maintenance events, each opening its printer, and drops them when done', () => {
    const task = (holding: boolean, dueText: string | null) => ({ printerId: 'a', dueText, holding }) as MaintenanceTaskView;
    const glance = new GlanceState([printer('a', { kind: 'idle' })], [], [task(false, 'cleaning due (25 of 25 prints)')]);
    const { tray, calls, handle } = setup(glance.glance());
    (findItem(tray().menu, 'Printer a — maintenance: cleaning due (25 of 25 prints)')!.click as () => void)();
    expect(calls).toEqual(['printer a']);
    expect(glance.apply('maintenance.updated', { printerId: 'a', tasks: [task(true, 'nozzle change due (1 of 1 print)')] })).toBe(true);
    handle.update(glance.glance());
    expect(findItem(tray().menu, 'Printer a — held for maintenance: nozzle change due (1 of 1 print)')).toBeDefined();
    expect(tray().images.at(-1)).toBe('/res/tray/attention-on-light.png');
    expect(glance.apply('maintenance.updated', { printerId: 'a', tasks: [task(false, null)] })).toBe(true);
    expect(glance.glance()).toMatchObject({ state: 'idle', attention: [], maintenance: [] });
    // Counters that moved without changing what is due do not redraw the tray.
    expect(glance.apply('maintenance.updated', { printerId: 'a', tasks: [task(false, null)] })).toBe(false);
  });
});

describe("the tray's farm-wide actions", () => {
  function fakeDispatch(printers: PrinterView[]) {
    const calls: [string, unknown][] = [];
    const dispatch = (async (method: string, input: unknown) => {
      if (method === 'printers.list') return { ok: true, result: printers };
      calls.push([method, input]);
      return { ok: true, result: { ok: true } };
    }) as Dispatch;
    return { dispatch, calls };
  }

  it('pause all pauses each printing printer, not one already pausing, paused or idle', async () => {
    const { dispatch, calls } = fakeDispatch([
      printer('a', { kind: 'printing', job }),
      printer('b', { kind: 'printing', job, phase: 'pausing' }),
      printer('c', { kind: 'paused', job }),
      printer('d', { kind: 'idle' }),
    ]);
    expect(await pauseAllPrints(dispatch)).toBe(1);
    expect(calls).toEqual([['printers.pause', { printerId: 'a' }]]);
  });

  it('emergency stop reaches every connected printer that has one, printing or not', async () => {
    const { dispatch, calls } = fakeDispatch([
      printer('a', { kind: 'printing', job }),
      printer('b', { kind: 'idle' }),
      printer('c', { kind: 'offline', reason: null }),
      printer('d', { kind: 'idle' }, false),
    ]);
    expect(await emergencyStopAll(dispatch)).toBe(2);
    expect(calls.map(([, input]) => input)).toEqual([{ printerId: 'a' }, { printerId: 'b' }]);
  });
});

describe('OS notifications', () => {
  function setup(supported = true) {
    FakeNotification.made = [];
    let listener: (<E extends EventName>(name: E, payload: EventPayloads[E]) => void) | null = null;
    const opened: string[] = [];
    notifyFarmEvents({
      isSupported: () => supported,
      create: (o) => new FakeNotification(o) as never,
      subscribe: (l) => ((listener = l), () => (listener = null)),
      openPrinter: (id) => void opened.push(id),
    });
    return { emit: <E extends EventName>(n: E, p: EventPayloads[E]) => listener?.(n, p), opened };
  }

  it('shows a printer error and opens that printer when clicked', () => {
    const { emit, opened } = setup();
    emit('printer.status', { printerId: 'p3', status: printer('p3', { kind: 'error', message: 'Heating failed' }).status, sample: null });
    const [n] = FakeNotification.made;
    expect(n).toMatchObject({ shown: true, options: { title: 'A printer: printer error', body: 'Heating failed' } });
    n!.emit('click');
    expect(opened).toEqual(['p3']);
  });

  it('shows nothing for events not worth interrupting for, and nothing at all where the OS has no notifications', () => {
    const quiet = setup();
    quiet.emit('printer.status', { printerId: 'p3', status: printer('p3', { kind: 'idle' }).status, sample: null });
    expect(FakeNotification.made).toEqual([]);
    const none = setup(false);
    none.emit('printer.status', { printerId: 'p3', status: printer('p3', { kind: 'error', message: 'x' }).status, sample: null });
    expect(FakeNotification.made).toEqual([]);
  });
});

describe('sleep while a USB print streams', () => {
  it('is held off from the first streamed line and allowed again when the last USB print ends', () => {
    const blocker = fakePowerSaveBlocker();
    const streaming = { now: false };
    let activity: () => void = () => undefined;
    const stop = holdAwakeWhileUsbPrints({
      powerSaveBlocker: blocker,
      usbPrintStreaming: () => streaming.now,
      onPrintActivity: (l) => ((activity = l), () => undefined),
      log: () => undefined,
    });
    expect(blocker.active.size).toBe(0);
    streaming.now = true;
    activity();
    activity();
    expect(blocker.active.size).toBe(1);
    expect(blocker.types).toEqual(['prevent-app-suspension']);
    streaming.now = false;
    activity();
    expect(blocker.active.size).toBe(0);
    streaming.now = true;
    activity();
    stop();
    expect(blocker.active.size).toBe(0);
  });
});

describe('theme', () => {
  it("follows the OS when the setting is 'system' and the user's pick otherwise, as the setting changes", () => {
    const nativeTheme = { themeSource: 'light' as 'system' | 'light' | 'dark' };
    let change: (t: 'system' | 'light' | 'dark') => void = () => undefined;
    followThemeSetting(nativeTheme, 'system', (l) => ((change = l), () => undefined));
    expect(nativeTheme.themeSource).toBe('system');
    change('dark');
    expect(nativeTheme.themeSource).toBe('dark');
  });
});

describe('window size and position', () => {
  it('are saved once a move or resize settles and on close, as normal bounds plus maximised', () => {
    vi.useFakeTimers();
    const settings = createMemorySettingsStore();
    const win = new FakeWindow();
    rememberWindowState(win as never, settings, 500);
    win.emit('move');
    win.emit('resize');
    expect(settings.get(WINDOW_STATE_KEY)).toBeUndefined();
    vi.advanceTimersByTime(500);
    expect(settings.get(WINDOW_STATE_KEY)).toEqual({ x: 10, y: 20, width: 1300, height: 850, maximized: false });
    win.maximized = true;
    win.emit('close');
    expect(settings.get(WINDOW_STATE_KEY)).toMatchObject({ maximized: true, width: 1300 });
  });

  it('open where they were saved, and on the primary screen when that display is gone', () => {
    const settings = createMemorySettingsStore({ [WINDOW_STATE_KEY]: { x: 2500, y: 50, width: 1300, height: 850, maximized: false } });
    const laptop = { x: 0, y: 0, width: 1440, height: 900 };
    const monitor = { x: 1440, y: 0, width: 2560, height: 1440 };
    expect(savedPlacement(settings, { displays: [laptop, monitor], primary: laptop })).toMatchObject({ x: 2500, y: 50 });
    expect(savedPlacement(settings, { displays: [laptop], primary: laptop })).toMatchObject({ x: 70, y: 25, width: 1300, height: 850 });
  });
});

import type { BrowserWindow, Rectangle } from 'electron';
import type { SettingsStore } from '../core/ports/settings-store';
import { windowPlacement, type WindowState } from '../core/native-shell/window-bounds';

export const WINDOW_STATE_KEY = 'desktop.window';

/** Where the window opens (see window-bounds.ts): the saved place if it is still on a screen. */
export function savedPlacement(settings: SettingsStore, screen: { displays: Rectangle[]; primary: Rectangle }) {
  return windowPlacement(settings.get(WINDOW_STATE_KEY), screen.displays, screen.primary);
}

/**
 * Saves the window's normal (un-maximised) bounds and whether it is maximised, so a maximised window comes
 * back maximised and un-maximises to where it was. Moves and resizes come in bursts: saved once they settle,
 * and on close.
 */
export function rememberWindowState(win: Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized' | 'isDestroyed'>, settings: SettingsStore, settleMs = 500): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const state: WindowState = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
    settings.set(WINDOW_STATE_KEY, state);
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, settleMs);
  };
  for (const event of ['resize', 'move'] as const) win.on(event as 'resize', later);
  for (const event of ['maximize', 'unmaximize'] as const) win.on(event as 'maximize', save);
  win.on('close', save);
}

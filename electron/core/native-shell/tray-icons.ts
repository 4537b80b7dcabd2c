/**
 * The tray icon files (made by `npm run icons`, see scripts/lib/icon-plan.ts) and which one to show.
 * `on-light`: a dark glyph for light menu bars and task bars; `on-dark`: a light glyph for dark ones;
 * `Template`: black with alpha, which macOS recolours itself for whatever menu bar it is in.
 */
export const TRAY_STATES = ['idle', 'printing', 'attention'] as const;
export type TrayIconState = (typeof TRAY_STATES)[number];
export const TRAY_VARIANTS = ['on-light', 'on-dark', 'Template'] as const;
export type TrayVariant = (typeof TRAY_VARIANTS)[number];

export function trayFileName(state: TrayIconState, variant: TrayVariant, scale: 1 | 2): string {
  const base = variant === 'Template' ? `${state}Template` : `${state}-${variant}`;
  return `${base}${scale === 2 ? '@2x' : ''}.png`;
}

/** The 1x file to load (Electron finds the @2x beside it): macOS always uses templates; elsewhere it follows the OS's light or dark. */
export function trayIconFile(state: TrayIconState, platform: NodeJS.Platform, darkMenus: boolean): string {
  return trayFileName(state, platform === 'darwin' ? 'Template' : darkMenus ? 'on-dark' : 'on-light', 1);
}

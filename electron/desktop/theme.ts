import type { NativeTheme } from 'electron';
import type { Theme } from '../core/contract';

/**
 * The window's light or dark look follows the OS unless the user picked one in Settings: `theme` maps straight
 * onto nativeTheme.themeSource, which also sets the renderer's prefers-color-scheme, native dialogs and menus.
 */
export function followThemeSetting(nativeTheme: Pick<NativeTheme, 'themeSource'>, initial: Theme, onChange: (listener: (theme: Theme) => void) => () => void): () => void {
  nativeTheme.themeSource = initial;
  return onChange((theme) => {
    nativeTheme.themeSource = theme;
  });
}

import { useEffect } from 'react';
import { useAppState } from '../store/context';

/** Applies the chosen theme to <html data-theme>, following the OS when the choice is "system". */
export function useTheme(): void {
  const theme = useAppState((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

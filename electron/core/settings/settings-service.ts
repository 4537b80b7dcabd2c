import { z } from 'zod';
import type { Settings } from '../contract';
import type { SettingsStore } from '../ports/settings-store';

const ThemeSchema = z.enum(['system', 'light', 'dark']);

/** User preferences, read leniently: a bad value in the file falls back to its default instead of failing. */
export class SettingsService {
  constructor(private readonly store: SettingsStore) {}

  get(): Settings {
    const theme = ThemeSchema.safeParse(this.store.get('ui.theme'));
    return { theme: theme.success ? theme.data : 'system' };
  }

  update(patch: Partial<Settings>): Settings {
    if (patch.theme !== undefined) this.store.set('ui.theme', patch.theme);
    return this.get();
  }
}

/**
 * Which server the app talks to. A URL the user chose in the wizard wins, then AUTOPRINTFARM_API_URL, then
 * the default for the key's environment (production for live and test keys, the local sandbox for dev keys).
 */
import { checkBaseUrl, defaultBaseUrl, type KeyEnvironment } from '../keys/key-format';
import type { SettingsStore } from '../ports/settings-store';

export const BASE_URL_SETTING = 'cloud.baseUrl';

export type BaseUrlSource = 'wizard' | 'environment' | 'default';

export interface ResolvedBaseUrl {
  url: string;
  source: BaseUrlSource;
}

export function resolveBaseUrl(opts: { settings: SettingsStore; environmentUrl: string | null; keyEnvironment: KeyEnvironment | null }): ResolvedBaseUrl {
  const saved = opts.settings.get(BASE_URL_SETTING);
  if (typeof saved === 'string') {
    const checked = checkBaseUrl(saved);
    if (checked.ok) return { url: checked.url, source: 'wizard' };
  }
  if (opts.environmentUrl !== null) return { url: opts.environmentUrl, source: 'environment' };
  return { url: defaultBaseUrl(opts.keyEnvironment ?? 'live'), source: 'default' };
}

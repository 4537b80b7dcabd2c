import { randomUUID } from 'node:crypto';
import type { SettingsStore } from '../ports/settings-store';

const HUB_ID_KEY = 'hub.id';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * This installation's hub id (cloud-hub.md "Registration"): made once, kept in the settings, so the cloud sees
 * the same hub across restarts and reinstalls that keep the data folder. A damaged value is replaced.
 */
export function hubIdOf(settings: SettingsStore): string {
  const kept = settings.get(HUB_ID_KEY);
  if (typeof kept === 'string' && UUID_V4.test(kept)) return kept;
  const made = randomUUID();
  settings.set(HUB_ID_KEY, made);
  return made;
}

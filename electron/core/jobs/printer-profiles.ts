import type { FarmProfile, FarmSettings } from '../contract/jobs-types';
import type { Db } from '../store/database';
import type { FarmEvents } from './farm-ports';
import { defaultProfile, ProfileStore } from './profile-store';

export interface ProfilePatch {
  model?: string | null;
  nozzleDiameter?: number | null;
  material?: string | null;
  group?: string | null;
  tags?: string[];
  autoEject?: boolean;
}

/**
 * Each printer's farm profile (what it can print, whether its bed is free) and the farm settings, held in memory
 * over their table. A profile change made inside a job's transaction is written there (`write`) and taken into
 * memory only once committed (`remember`); one made on its own is both, then announced (`save`).
 */
export class PrinterProfiles {
  private readonly store: ProfileStore;
  private readonly byPrinter = new Map<string, FarmProfile>();
  private settingsValue: FarmSettings;

  constructor(
    db: Db,
    private readonly events: Pick<FarmEvents, 'profile' | 'settings'>,
  ) {
    this.store = new ProfileStore(db);
    this.settingsValue = this.store.settings();
    for (const p of this.store.all()) this.byPrinter.set(p.printerId, p);
  }

  of(printerId: string): FarmProfile {
    return this.byPrinter.get(printerId) ?? defaultProfile(printerId);
  }

  /** The profile saved for a printer, if any (a printer never profiled has no requirements to meet). */
  saved(printerId: string): FarmProfile | undefined {
    return this.byPrinter.get(printerId);
  }

  write(profile: FarmProfile): void {
    this.store.save(profile);
  }

  remember(profile: FarmProfile): void {
    this.byPrinter.set(profile.printerId, profile);
  }

  save(profile: FarmProfile): void {
    this.write(profile);
    this.remember(profile);
    this.events.profile(profile);
  }

  settings(): FarmSettings {
    return { ...this.settingsValue };
  }

  maxConcurrentStarts(): number {
    return this.settingsValue.maxConcurrentStarts;
  }

  updateSettings(patch: Partial<FarmSettings>): FarmSettings {
    const next = { ...this.settingsValue, ...patch };
    this.store.saveSettings(next);
    this.settingsValue = next;
    this.events.settings({ ...next });
    return { ...next };
  }
}

/** A profile with the user's edit applied: text trimmed (blank means unset), tags trimmed and deduplicated. */
export function patchedProfile(current: FarmProfile, patch: ProfilePatch): FarmProfile {
  const next: FarmProfile = { ...current };
  if (patch.model !== undefined) next.model = patch.model?.trim() || null;
  if (patch.nozzleDiameter !== undefined) next.nozzleDiameter = patch.nozzleDiameter;
  if (patch.material !== undefined) next.material = patch.material?.trim() || null;
  if (patch.group !== undefined) next.group = patch.group?.trim() || null;
  if (patch.tags !== undefined) next.tags = [...new Set(patch.tags.map((t) => t.trim()).filter(Boolean))];
  if (patch.autoEject !== undefined) next.autoEject = patch.autoEject;
  return next;
}

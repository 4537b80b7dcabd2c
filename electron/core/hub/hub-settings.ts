import type { SettingsStore } from '../ports/settings-store';
import type { HubPublishedPrinter } from '../contract/hub-types';

const LINKED_KEY = 'hub.linked';
const NAME_KEY = 'hub.name';
const PUBLISHED_KEY = 'hub.published';
const CLOUD_ADDED_KEY = 'hub.cloudAdded';

/**
 * What the hub keeps across restarts besides its id (hub-identity.ts): whether the user linked it, the name the
 * cloud knows it by, and which local printers are published under which cloud id. The map is what makes
 * publishing idempotent from this side too: a restart reads it instead of asking the cloud again.
 */
export class HubSettings {
  constructor(private readonly settings: SettingsStore) {}

  linked(): boolean {
    return this.settings.get(LINKED_KEY) === true;
  }

  name(): string | null {
    const name = this.settings.get(NAME_KEY);
    return typeof name === 'string' ? name : null;
  }

  markLinked(name: string): void {
    this.setName(name);
    this.settings.set(LINKED_KEY, true);
  }

  /** The cloud's name for the hub (its welcome, or hub_config after a rename there). */
  setName(name: string): void {
    if (name && name !== this.name()) this.settings.set(NAME_KEY, name);
  }

  /** Local printers the cloud added (configure_printer): the only ones a cloud `remove` may delete here. */
  addedByCloud(printerId: string): boolean {
    return this.cloudAdded().includes(printerId);
  }

  setAddedByCloud(printerId: string, added: boolean): void {
    const rest = this.cloudAdded().filter((id) => id !== printerId);
    this.settings.set(CLOUD_ADDED_KEY, added ? [...rest, printerId] : rest);
  }

  private cloudAdded(): string[] {
    const raw = this.settings.get(CLOUD_ADDED_KEY);
    return Array.isArray(raw) ? raw.filter((id): id is string => typeof id === 'string') : [];
  }

  /** Unlinked: nothing is published any more (publishing again after a new link finds the same cloud printers). */
  markUnlinked(): void {
    this.settings.set(LINKED_KEY, false);
    this.settings.delete(PUBLISHED_KEY);
  }

  published(): HubPublishedPrinter[] {
    const raw = this.settings.get(PUBLISHED_KEY);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
    // A damaged entry is dropped rather than trusted: publishing again restores it.
    return Object.entries(raw as Record<string, unknown>)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([printerId, cloudPrinterId]) => ({ printerId, cloudPrinterId }));
  }

  setPublished(printerId: string, cloudPrinterId: string | null): void {
    const map = Object.fromEntries(this.published().map((p) => [p.printerId, p.cloudPrinterId]));
    if (cloudPrinterId === null) delete map[printerId];
    else map[printerId] = cloudPrinterId;
    this.settings.set(PUBLISHED_KEY, map);
  }
}

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SettingsStore } from '../ports/settings-store';

const common = {
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  /** The printer the app adds on first run; the UI labels it and the user may remove it. */
  embedded: z.boolean().default(false),
};

export const PrinterConfigSchema = z.discriminatedUnion('kind', [z.object({ ...common, kind: z.literal('virtual') })]);
export type PrinterConfig = z.infer<typeof PrinterConfigSchema>;

const KEY = 'printers.saved';
const SEEDED_KEY = 'printers.seededDefault';

/**
 * The saved list of printers (identity and how to reach them, never live state). Entries that no longer
 * validate are kept in the file untouched and reported, so a downgrade or a hand-edit loses nothing.
 */
export class PrinterConfigs {
  private configs: PrinterConfig[];
  /** Entries we could not read: reported, and written back untouched. */
  private readonly unreadable: unknown[] = [];
  readonly skipped: { index: number; reason: string }[] = [];

  constructor(private readonly store: SettingsStore) {
    const raw = store.get(KEY);
    this.configs = [];
    if (Array.isArray(raw)) {
      raw.forEach((entry, index) => {
        const parsed = PrinterConfigSchema.safeParse(entry);
        if (parsed.success) this.configs.push(parsed.data);
        else {
          this.unreadable.push(entry);
          this.skipped.push({ index, reason: parsed.error.issues[0]?.message ?? 'invalid entry' });
        }
      });
    }
  }

  all(): readonly PrinterConfig[] {
    return this.configs;
  }

  get(id: string): PrinterConfig | undefined {
    return this.configs.find((c) => c.id === id);
  }

  add(config: Omit<PrinterConfig, 'id'>): PrinterConfig {
    const full = { ...config, id: `prn_${randomUUID().replaceAll('-', '').slice(0, 12)}` } as PrinterConfig;
    this.configs = [...this.configs, full];
    this.persist();
    return full;
  }

  remove(id: string): boolean {
    const before = this.configs.length;
    this.configs = this.configs.filter((c) => c.id !== id);
    if (this.configs.length === before) return false;
    this.persist();
    return true;
  }

  /** Adds the embedded virtual printer once per data directory; removing it later is respected. */
  seedDefaultOnce(): PrinterConfig | null {
    if (this.store.get(SEEDED_KEY) === true) return null;
    this.store.set(SEEDED_KEY, true);
    if (this.configs.some((c) => c.embedded)) return null;
    return this.add({ kind: 'virtual', name: 'Virtual Printer', embedded: true });
  }

  private persist(): void {
    // Entries we could not read go back too, so they survive for a newer version of the app.
    this.store.set(KEY, [...this.configs, ...this.unreadable]);
  }
}

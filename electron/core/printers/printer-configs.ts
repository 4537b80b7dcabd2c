import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SavedSerialSettings } from '../contract/serial-types';
import type { SettingsStore } from '../ports/settings-store';

const common = {
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  /** The printer the app adds on first run; the UI labels it and the user may remove it. */
  embedded: z.boolean().default(false),
};

const lanUrl = z
  .string()
  .min(1)
  .max(300)
  .regex(/^https?:\/\//, 'The address must start with http:// or https://');
const credentialRef = z.string().min(1).max(64).nullable().default(null);

/** Marlin's usual rates; anything else a board uses can still be typed in. */
const baudRate = z.number().int().min(1200).max(2_000_000);

export const PrinterConfigSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('virtual') }),
  /** A USB printer speaking Marlin's serial host protocol. `port` prefers a stable /dev/serial/by-id path. */
  z.object({
    ...common,
    kind: z.literal('marlin'),
    port: z.string().min(1).max(260),
    baudRate,
    /** Streaming window and pause/resume/cancel scripts; printers saved before these existed get the safe defaults. */
    serial: SavedSerialSettings,
  }),
  // Network printers. `credentialRef` points into the credential store (electron/core/credentials); the
  // secret itself is never part of a saved printer.
  z.object({ ...common, kind: z.literal('octoprint'), url: lanUrl, credentialRef }),
  z.object({ ...common, kind: z.literal('moonraker'), url: lanUrl, credentialRef }),
  z.object({
    ...common,
    kind: z.literal('prusalink'),
    url: lanUrl,
    credentialRef,
    /** Digest with user `maker` and the printer's password (current firmware), or the older X-Api-Key. */
    auth: z.enum(['digest', 'apikey']).default('digest'),
    username: z.string().min(1).max(64).default('maker'),
    /** `usb` on MK4/XL/MINI, `local` for PrusaLink on a Raspberry Pi. */
    storage: z.enum(['usb', 'local']).default('usb'),
  }),
  z.object({
    ...common,
    kind: z.literal('bambu'),
    host: z.string().min(1).max(253),
    serial: z.string().min(1).max(64),
    credentialRef,
    mqttPort: z.number().int().min(1).max(65535).default(8883),
    ftpPort: z.number().int().min(1).max(65535).default(990),
    /** The certificate the user checked and trusted, for a printer whose certificate Bambu's CA did not sign. */
    certificatePin: z
      .object({
        sha256: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
        pem: z.string().min(1).max(20_000),
        pinnedAt: z.string().min(1).max(40),
      })
      .nullable()
      .default(null),
    /** The P1/A1 camera's TLS port (6000 on every printer; settable for stand-ins and port forwarding). */
    cameraPort: z.number().int().min(1).max(65535).default(6000),
  }),
]);
export type PrinterConfig = z.infer<typeof PrinterConfigSchema>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewPrinterConfig = DistributiveOmit<PrinterConfig, 'id'>;

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

  add(config: NewPrinterConfig): PrinterConfig {
    const full = { ...config, id: `prn_${randomUUID().replaceAll('-', '').slice(0, 12)}` };
    this.configs = [...this.configs, full];
    this.persist();
    return full;
  }

  /** Replaces a saved printer's config (same id), e.g. to point it at a newly entered key. */
  update(config: PrinterConfig): PrinterConfig {
    if (!this.configs.some((c) => c.id === config.id)) throw new Error(`no saved printer ${config.id}`);
    this.configs = this.configs.map((c) => (c.id === config.id ? config : c));
    this.persist();
    return config;
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

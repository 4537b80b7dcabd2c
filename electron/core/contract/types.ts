import type { ConsoleEntry, PrinterCapabilities, PrinterKind, PrinterStatus, TemperatureSample } from './printer-model';

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  theme: Theme;
}

/**
 * Something about the app itself the user must hear of once, shown until dismissed.
 * `settings-recovered`: the settings file was damaged at start, was kept aside, and defaults loaded.
 */
export interface AppNotice {
  id: string;
  kind: 'settings-recovered';
  title: string;
  message: string;
  at: number;
}

export interface AppInfo {
  name: string;
  version: string;
  host: 'desktop' | 'headless';
  dataDir: string;
}

/** A printer as the UI sees it: its saved identity plus its live status. Never carries credentials. */
export interface PrinterView {
  id: string;
  name: string;
  kind: PrinterKind;
  /** True for the virtual printer the app adds on first run, so the UI can say what it is. */
  embedded: boolean;
  capabilities: PrinterCapabilities;
  status: PrinterStatus;
  /** Something the app did to the printer on its own that the user should know of, until they dismiss it. */
  notice: PrinterNotice | null;
  /**
   * How its key or access code is kept (never the secret): `plaintext` is saved unencrypted by the user's choice and
   * shown with a warning; `session-only` is held until the app quits; `missing` is not held. Absent without one.
   */
  credentialStorage?: 'encrypted' | 'plaintext' | 'session-only' | 'missing';
}

/** `made-safe`: its heaters, fan and motors were switched off after a print died with the app. */
export interface PrinterNotice {
  kind: 'made-safe';
  message: string;
  at: number;
}

/** What `printers.coolDown` switched off, and the temperatures the printer had just before. */
export interface CoolDownReport {
  hotend: { actual: number; target: number } | null;
  bed: { actual: number; target: number } | null;
  fanOff: boolean;
  motorsOff: boolean;
}

export type { ConsoleEntry, TemperatureSample };

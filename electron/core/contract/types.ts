import type { PrinterCapabilities, PrinterKind, PrinterStatus, TemperatureSample } from '../printers/model';
import type { ConsoleEntry } from '../printers/driver';

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  theme: Theme;
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
}

export type { ConsoleEntry, TemperatureSample };

import type { PrinterStatus, TemperatureSample } from '../printers/model';
import type { EventName } from './catalog';
import type { CloudStatus } from './keys-types';
import type { ConsoleEntry, PrinterView, Settings } from './types';

/** Every event the core emits, with its payload. Hosts forward them unchanged to every session. */
export interface EventPayloads {
  'printers.changed': { printers: PrinterView[] };
  'printer.status': { printerId: string; status: PrinterStatus; sample: TemperatureSample | null };
  'printer.console': { printerId: string; entry: ConsoleEntry };
  'settings.changed': Settings;
  'keys.status': CloudStatus;
}

// Fails to compile if the catalog and the payload map drift apart.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const eventsMatchCatalog: Exact<keyof EventPayloads, EventName> = true;

import type { PrinterStatus, TemperatureSample } from './printer-model';
import type { EventName } from './catalog';
import type { CloudStatus } from './keys-types';
import type { HubStatusView } from './hub-types';
import type { SignInView } from './sign-in-types';
import type { SnapshotView } from './snapshot-types';
import type { SpoolView } from './materials-types';
import type { MaterialSyncStatus } from './material-sync-types';
import type { MaintenanceTaskView } from './maintenance-types';
import type { SpoolmanStatus } from './spoolman-types';
import type { FarmProfile, FarmSettings, HistoryEntry, JobView, LibraryFileView } from './jobs-types';
import type { AppNotice, ConsoleEntry, PrinterView, Settings } from './types';

/** Every event the core emits, with its payload. Hosts forward them unchanged to every session. */
export interface EventPayloads {
  'printers.changed': { printers: PrinterView[] };
  'printer.status': { printerId: string; status: PrinterStatus; sample: TemperatureSample | null };
  'printer.console': { printerId: string; entry: ConsoleEntry };
  'settings.changed': Settings;
  'keys.status': CloudStatus;
  /** Jobs that changed (added, moved, started, ended), each in full. */
  'jobs.updated': { jobs: JobView[] };
  'library.updated': { file: LibraryFileView };
  'library.removed': { sha256: string };
  /** The background analysis refused a file; it has been removed from the library. */
  'library.failed': { sha256: string; name: string; message: string };
  'farm.profile': { profile: FarmProfile };
  'farm.settings': FarmSettings;
  'history.added': { entry: HistoryEntry };
  /** Spools that changed (created, edited, loaded, unloaded, used by a print), each in full. */
  'spools.updated': { spools: SpoolView[] };
  /** The cloud sync of spools changed state (on/off, syncing, offline, a change queued or sent, a conflict): the whole of it. */
  'materialSync.status': MaterialSyncStatus;
  /** A printer's maintenance tasks changed (added, edited, removed, done, or their counters moved after a print): all of them. */
  'maintenance.updated': { printerId: string; tasks: MaintenanceTaskView[] };
  /** The link to Spoolman changed (switched on or off, reached or lost, uses sent or refused): the whole of it. */
  'spoolman.status': SpoolmanStatus;
  /** Every notice about the app itself now standing (all of them, so a screen just replaces its copy). */
  'app.notices': { notices: AppNotice[] };
  /** The hub's status changed (linked, connected, offline, a printer published…): the whole of it. */
  'hub.status': HubStatusView;
  'signIn.status': SignInView;
  /** A picture (or time-lapse) was kept with a print, or tied to its history entry when the print ended. */
  'snapshots.added': { snapshots: SnapshotView[] };
}

// Fails to compile if the catalog and the payload map drift apart.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const eventsMatchCatalog: Exact<keyof EventPayloads, EventName> = true;

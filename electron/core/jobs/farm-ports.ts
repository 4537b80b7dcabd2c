import type { CoolDownReport, PrinterNotice, PrinterView } from '../contract';
import type { FarmProfile, FarmSettings, HistoryEntry, JobView } from '../contract/jobs-types';
import type { PrintSource } from '../printers/driver';
import type { JobEnd, PrinterKind, PrinterStatus } from '../printers/model';

/** What the farm needs from the fleet: the printers, starting and cancelling prints, and hearing what happens. */
export interface FarmFleet {
  list(): PrinterView[];
  startPrint(printerId: string, source: PrintSource): Promise<void>;
  cancelPrint(printerId: string): Promise<void>;
  onPrinterStatus(listener: (printerId: string, status: PrinterStatus) => void): () => void;
  onJobEnd(listener: (printerId: string, end: JobEnd) => void): () => void;
  onPrintersChanged(listener: () => void): () => void;
  /** Heaters, fan and motors off (a printer left hot by a crash). */
  coolDown(printerId: string): Promise<CoolDownReport>;
  setNotice(printerId: string, notice: PrinterNotice | null): void;
}

/** What the farm needs from the library: whether a file can be printed, its figures, and its bytes. */
export interface FarmLibrary {
  fileForJob(
    sha256: string,
  ): { name: string; ready: boolean; filamentMm: number | null; filamentG: number | null; material: string | null; colour?: string | null; heats?: boolean | null } | null;
  /** The file as a printer of this kind reads it (a .bgcode goes to PrusaLink as it is, to others decoded). */
  source(sha256: string, name: string, printerKind?: PrinterKind): PrintSource;
  /** The library's file of that name (the newest, if several), for the figures of a print started by hand. */
  fileNamed?(name: string): { sha256: string; filamentMm: number | null; filamentG: number | null; material: string | null } | null;
}

/** Each is called after the change it reports has been committed. */
export interface FarmEvents {
  jobs(jobs: JobView[]): void;
  profile(profile: FarmProfile): void;
  settings(settings: FarmSettings): void;
  history(entry: HistoryEntry): void;
}

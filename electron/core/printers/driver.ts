import type { Axis, ConsoleEntry, Heater, JobEnd, PrinterCapabilities, PrinterStatus } from './model';

export type { ConsoleEntry };

/** A file to print, streamed line by line by serial drivers and uploaded whole by network drivers. */
export interface PrintSource {
  name: string;
  /** Size in bytes, for progress by bytes. */
  size: number;
  /** Opens a fresh stream of the file's bytes. */
  open(): AsyncIterable<Uint8Array>;
  /** How many layers the file has, when its analysis found them (shown as "layer n of m" while it streams). */
  layers?: number | null;
  /** The AMS tray to feed from (Bambu's ams_mapping, unit × 4 + tray); absent: the printer's one spool or external holder. */
  amsTray?: number;
}

/**
 * A printer protocol behind one interface (ARCHITECTURE rule 4). Methods a protocol cannot perform throw
 * AppError('unsupported'); `capabilities` says in advance which those are so the UI can hide them.
 */
export interface PrinterDriver {
  readonly capabilities: PrinterCapabilities;
  status(): PrinterStatus;
  /** Called on every status change (temperatures included). Returns an unsubscribe function. */
  onStatus(listener: (status: PrinterStatus) => void): () => void;
  onConsole(listener: (entry: ConsoleEntry) => void): () => void;
  /**
   * Called once when a print started by `startPrint` ends, however it ends; network drivers also report the end
   * of a print they saw running that was started on the printer itself, with the protocol's own outcome. The
   * farm records history from it (a print no queue job owns is recorded as started by hand).
   */
  onJobEnd(listener: (end: JobEnd) => void): () => void;

  connect(): Promise<void>;
  disconnect(): Promise<void>;

  setTemperature(heater: Heater, celsius: number): Promise<void>;
  home(axes: readonly Axis[]): Promise<void>;
  jog(delta: Partial<Record<Axis, number>>, feedrateMmPerMin: number): Promise<void>;
  extrude(mm: number, feedrateMmPerMin: number): Promise<void>;
  setFan(fraction: number): Promise<void>;
  motorsOff(): Promise<void>;
  /** Sends one raw command and resolves with the lines the printer answered before its `ok`. */
  sendCommand(line: string): Promise<string[]>;
  emergencyStop(): Promise<void>;
  /** Switches the printer's light; only drivers whose capabilities include `light` provide it. */
  setLight?(on: boolean): Promise<void>;

  startPrint(source: PrintSource): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  cancel(): Promise<void>;

  /** Releases every resource (ports, sockets, timers). The driver is unusable afterwards. */
  dispose(): Promise<void>;
}

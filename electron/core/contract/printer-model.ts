/**
 * The common printer model. Every driver (virtual, USB Marlin, OctoPrint, Moonraker, PrusaLink, Bambu)
 * reports in these terms, so the fleet view, the printer screen and the queue never know the protocol.
 * Shared with the renderer as types: no Node imports here.
 */
export const PRINTER_KINDS = ['virtual', 'marlin', 'octoprint', 'moonraker', 'prusalink', 'bambu'] as const;
export type PrinterKind = (typeof PRINTER_KINDS)[number];

export const HEATERS = ['hotend', 'bed'] as const;
export type Heater = (typeof HEATERS)[number];

export const AXES = ['x', 'y', 'z'] as const;
export type Axis = (typeof AXES)[number];

export interface HeaterReading {
  /** Measured temperature, °C. */
  actual: number;
  /** Set point, °C; 0 means off. */
  target: number;
}

export interface Temperatures {
  hotend: HeaterReading | null;
  bed: HeaterReading | null;
}

export interface Position {
  x: number;
  y: number;
  z: number;
  e: number;
}

export interface JobProgress {
  /** Name of the file being printed. */
  fileName: string;
  /** 0..1, by bytes sent when streaming, by the printer's own figure otherwise. */
  fraction: number;
  linesSent: number;
  linesTotal: number | null;
  startedAt: number;
  /** Seconds left, when it can be estimated. */
  remainingSeconds: number | null;
  /** The layer being printed and how many the file has, when the printer or the file says. */
  layer?: { current: number; total: number | null };
}

/** What the printer is doing. Each state carries only what is meaningful in it. */
export type PrinterState =
  /**
   * `credential` is set when the printer cannot sign in until the user enters its key again; `certificate`
   * when the app will not send it the key until the user has checked the certificate it presents.
   */
  | { kind: 'offline'; reason: string | null; credential?: CredentialProblem; certificate?: CertificateProblem }
  | { kind: 'connecting' }
  | { kind: 'idle' }
  | { kind: 'busy'; what: string }
  /**
   * `phase` is set while the printer runs the pause, resume or cancel script: still busy with the job (no
   * manual moves, the job stays on screen), but not streaming it.
   */
  | { kind: 'printing'; job: JobProgress; phase?: JobTransition }
  | { kind: 'paused'; job: JobProgress; phase?: JobTransition }
  | { kind: 'error'; message: string };

export type PrinterStateKind = PrinterState['kind'];

/** A step between printing and paused, or towards the end of a cancelled print. */
export type JobTransition = 'pausing' | 'resuming' | 'cancelling';

/** A network printer's key or access code is not held on this computer, or the printer refused it. */
export interface CredentialProblem {
  problem: 'missing' | 'refused';
  /** What the user enters, in the printer's words: "access code", "API key", "password". */
  what: string;
}

/**
 * Why the app refused a printer's TLS certificate, before sending it anything. `unknown`: it does not chain
 * to the maker's CA (or none is bundled) and no certificate was pinned yet, so the user may check its
 * fingerprint and trust it; `changed`: it differs from the one the user trusted (an impostor, or a printer
 * reset); `wrong-printer`: the maker's CA signed it, but for another serial number.
 */
export interface CertificateProblem {
  problem: 'unknown' | 'changed' | 'wrong-printer';
  /** The presented certificate's SHA-256 fingerprint, upper-case hex pairs joined by colons. */
  sha256: string;
  /** Its subject and issuer common names, and when it expires (ISO 8601). */
  subject: string;
  issuer: string;
  validTo: string;
  /** The fingerprint the user trusted before, when `changed`. */
  pinnedSha256?: string;
}

/** What a driver can do. The UI hides (never fakes) what a protocol cannot. */
export interface PrinterCapabilities {
  setTemperature: boolean;
  home: boolean;
  jog: boolean;
  extrude: boolean;
  fan: boolean;
  motorsOff: boolean;
  console: boolean;
  emergencyStop: boolean;
  print: boolean;
  /** A light the app can switch (Bambu's chamber light). */
  light: boolean;
}

/** A printer that can do nothing the app offers: the start of a protocol's list, and what a viewer is shown. */
export const NO_PRINTER_CAPABILITIES: Readonly<PrinterCapabilities> = {
  setTemperature: false,
  home: false,
  jog: false,
  extrude: false,
  fan: false,
  motorsOff: false,
  console: false,
  emergencyStop: false,
  print: false,
  light: false,
};

export interface FirmwareInfo {
  name: string;
  machineType: string | null;
  capabilities: Record<string, boolean>;
}

export interface PrinterStatus {
  state: PrinterState;
  temperatures: Temperatures;
  position: Position | null;
  firmware: FirmwareInfo | null;
  /** The light as the printer last reported it; absent when it has none or has not said. */
  light?: 'on' | 'off';
  /** Something the printer itself says it needs from a person (its filament ran out); absent otherwise. */
  attention?: PrinterAttention;
  /** The filament the printer itself reports loaded (a Bambu AMS's trays and external spool); absent when it does not say. */
  trays?: ReportedTray[];
}

/** One filament holder as the printer reports it, with what it senses in it (nothing is guessed). */
export interface ReportedTray {
  /** How the printer's owner would name it: "AMS 1 · tray 2", "External spool". */
  slot: string;
  /** 0-based AMS unit, null for the external holder; 0-based tray in it. */
  amsUnit: number | null;
  tray: number;
  /** Material type as reported ("PLA", "PETG-CF"), null for an empty tray. */
  material: string | null;
  /** The filament's product name when the printer read it from the spool's tag ("PLA Basic"). */
  name: string | null;
  colorHex: string | null;
  /** Percent left, when the AMS can tell (Bambu spools with an RFID tag); null otherwise. */
  remainingPct: number | null;
  /** The tray feeding the nozzle now. */
  active: boolean;
}

/** What a printer asks a person for, in its own words where it gives them. */
export interface PrinterAttention {
  kind: 'filament';
  message: string;
}

export interface TemperatureSample {
  t: number;
  hotend: HeaterReading | null;
  bed: HeaterReading | null;
}

/** How a print ended, in terms every protocol can report. */
export type JobOutcome =
  | { kind: 'completed' }
  | { kind: 'cancelled' }
  /** The printer reported a fault (thermal runaway, MAXTEMP, halted): the print cannot continue. */
  | { kind: 'failed'; reason: string }
  /** The link went away mid-print; `atLine` is where a restart would pick up, when the protocol knows it. */
  | { kind: 'interrupted'; reason: string; atLine: number | null };

export interface JobEnd {
  fileName: string;
  outcome: JobOutcome;
  at: number;
}

/** One line of traffic for the printer console. */
export interface ConsoleEntry {
  at: number;
  direction: 'sent' | 'received' | 'info';
  line: string;
}

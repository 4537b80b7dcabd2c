/** Types for network printers shared with the renderer (no Node imports). */
export const LAN_KINDS = ['octoprint', 'moonraker', 'prusalink', 'bambu'] as const;
export type LanKind = (typeof LAN_KINDS)[number];

/** A printer found on the network, ready to prefill the add-printer dialog. */
export interface DiscoveredPrinter {
  kind: LanKind;
  name: string;
  /** A base URL for OctoPrint, Moonraker and PrusaLink; a host or IP address for Bambu. */
  address: string;
  /** Bambu serial number (from the SSDP USN). */
  serial: string | null;
  model: string | null;
  via: 'mdns' | 'ssdp';
}

/** What a network printer answered to one connection, before it is saved (`printers.check`). */
export interface PrinterCheck {
  /** The software that answered, e.g. "OctoPrint 1.10.3", or null when it does not say. */
  software: string | null;
  /** The state it reported: idle, printing, busy, error … */
  state: string;
}

/**
 * How an entered API key or access code was kept. The secret itself never comes back. `plaintext`: saved
 * unencrypted, because there is no keyring and the user chose so for this secret (`storePlaintext`).
 */
export interface CredentialNotice {
  protection: 'encrypted' | 'plaintext' | 'session-only' | 'none';
  /** Why it is not encrypted and what to do, when that is the case. */
  message: string | null;
  /** Session-only because there is no keyring: the user may enter it again with `storePlaintext` to keep it. */
  canStorePlaintext: boolean;
}

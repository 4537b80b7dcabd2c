import type { Capability, Role } from './capabilities';

/** The caller of `access.whoami`: what it may do, and how it is connected (for "About this connection"). */
export interface AccessWhoami {
  role: Role;
  capabilities: Capability[];
  /** The browser session the call came on; null in the desktop window, which has none. */
  sessionId: string | null;
  label: string;
  connection: {
    /** desktop: the app's own window; http: loopback only; https: TLS, the certificate below. */
    transport: 'desktop' | 'http' | 'https';
    /** SHA-256 of the served certificate, as browsers show it; null without TLS. */
    fingerprint256: string | null;
    /** Addresses other devices on the LAN can open (pairing); empty when not served beyond loopback. */
    lanUrls: string[];
  };
}

export interface AccessSession {
  id: string;
  role: Role;
  /** A name the admin gave it when pairing, or where it came from ("Start link"). */
  label: string;
  userAgent: string;
  address: string;
  via: 'start-link' | 'pairing';
  createdAt: number;
  lastSeenAt: number;
  /** Whether this is the caller's own session. */
  current: boolean;
}

/** A one-time pairing offer: open one of `urls` on the new device, check the fingerprint, type the code. */
export interface PairingOffer {
  code: string;
  role: Role;
  label: string;
  urls: string[];
  fingerprint256: string | null;
  expiresAt: number;
}

export interface AuditEntry {
  id: number;
  at: number;
  sessionId: string | null;
  actor: string;
  method: string;
  /** What was asked, with every secret left out (names of secret fields only). */
  summary: string;
  /** `ok`, or the error code the call ended with. */
  outcome: string;
}

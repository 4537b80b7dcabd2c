import { z } from 'zod';
import type { PrinterView } from '../types';
import type { CredentialNotice, DiscoveredPrinter, PrinterCheck } from '../lan-types';
import { printerId } from './common';
import { method } from './define';

const name = z.string().trim().min(1).max(80);
const address = z.string().trim().min(1).max(300);
const secret = z.string().trim().min(1).max(512);
const port = z.number().int().min(1).max(65535);
/** The user's choice to store this one secret in plaintext when there is no keyring (else it is kept for the session). */
const storePlaintext = z.boolean().optional();
/** A certificate fingerprint the user checked: SHA-256, hex pairs joined by colons. */
const sha256 = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'A SHA-256 fingerprint is 32 hex pairs joined by colons.');

export const AddPrinterInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('octoprint'), name, url: address, secret: secret.optional(), storePlaintext }).strict(),
  z.object({ kind: z.literal('moonraker'), name, url: address, secret: secret.optional(), storePlaintext }).strict(),
  z
    .object({
      kind: z.literal('prusalink'),
      name,
      url: address,
      secret,
      auth: z.enum(['digest', 'apikey']).optional(),
      username: z.string().trim().min(1).max(64).optional(),
      storage: z.enum(['usb', 'local']).optional(),
      storePlaintext,
    })
    .strict(),
  z
    .object({
      kind: z.literal('bambu'),
      name,
      host: address,
      serial: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9]+$/, 'The serial number has only letters and digits.'),
      secret: secret.regex(/^\S+$/, 'The access code has no spaces.'),
      mqttPort: port.optional(),
      ftpPort: port.optional(),
      cameraPort: port.optional(),
      storePlaintext,
      /** The printer's certificate, when Bambu's CA did not sign it and the user checked it before adding. */
      certificateSha256: sha256.optional(),
    })
    .strict(),
]);

export const lanMethods = {
  'printers.add': method<{ printer: PrinterView; credential: CredentialNotice }>()({
    input: AddPrinterInput,
    capability: 'fleet:manage',
    summary: 'Adds a network printer (OctoPrint, Moonraker, PrusaLink, Bambu LAN). The secret goes to the credential store.',
  }),
  'printers.check': method<PrinterCheck>()({
    input: AddPrinterInput,
    capability: 'fleet:manage',
    summary: 'Connects once to a network printer that is not saved yet and says what it answered (its software, or why it refused). Nothing is saved.',
  }),
  'printers.updateCredential': method<{ printer: PrinterView; credential: CredentialNotice; mask: string }>()({
    input: z.object({ printerId, secret, storePlaintext }).strict(),
    capability: 'fleet:manage',
    summary: "Enters a network printer's key or access code again (lost after a restart, or refused) and reconnects. Only a mask comes back.",
  }),
  'printers.trustCertificate': method<PrinterView>()({
    input: z.object({ printerId, sha256 }).strict(),
    capability: 'fleet:manage',
    summary:
      "Trusts the certificate a Bambu printer presents now (the user checked its fingerprint) and reconnects: the app then refuses any other certificate at that printer's address.",
  }),
  'discovery.scan': method<DiscoveredPrinter[]>()({
    input: z.object({ timeoutMs: z.number().int().min(200).max(10_000).optional() }).strict(),
    capability: 'fleet:read',
    summary: 'Looks for printers on the local network (mDNS and Bambu SSDP) for a few seconds.',
  }),
};

import type { PrinterView } from '../contract';
import type { CredentialNotice, DiscoveredPrinter } from '../contract/lan-types';
import type { LAN_METHODS } from '../contract/names/lan';
import { maskSecret } from '../credentials/credential-error';
import type { CredentialProtection, CredentialStore } from '../credentials/credential-store';
import { AppError } from '../errors';
import type { Fleet } from '../printers/fleet';
import { describeAddress, normalizeBaseUrl, normalizeHost, sameNetworkPrinter } from '../printers/lan-common/address';
import { readPresentedCertificate, shortFingerprint, type CertificatePin } from '../printers/bambu/printer-certificate';
import type { NewPrinterConfig } from '../printers/printer-configs';
import type { HandlersFor } from '../rpc/dispatch';
import type { MethodParsedInput } from '../contract/methods';

export type DiscoverPrinters = (opts: { timeoutMs: number }) => Promise<DiscoveredPrinter[]>;

/** Turns the add-printer input into a saved config; the secret goes to the credential store first. */
export async function addLanPrinter(fleet: Fleet, credentials: CredentialStore, input: MethodParsedInput<'printers.add'>) {
  const config = await withConfirmedPin(buildConfig(input), input);
  refuseDuplicate(fleet, config);
  let credentialRef: string | null = null;
  let credential: CredentialNotice = { protection: 'none', message: null, canStorePlaintext: false };
  if (input.secret) {
    const kept = await credentials.put(input.secret, { plaintext: input.storePlaintext === true });
    credentialRef = kept.ref;
    credential = noticeFor(kept.protection);
  }
  try {
    const printer = fleet.addPrinter({ ...config, credentialRef });
    return { printer, credential };
  } catch (err) {
    if (credentialRef) credentials.remove(credentialRef);
    throw err;
  }
}

/** Keeps a re-entered key, points the printer at it, reconnects, and forgets the key it replaces. */
export async function updateLanCredential(fleet: Fleet, credentials: CredentialStore, input: MethodParsedInput<'printers.updateCredential'>) {
  const config = fleet.configOf(input.printerId);
  if (!('credentialRef' in config)) throw new AppError('invalid_input', `${config.name} does not use a key or access code.`);
  if (config.kind === 'bambu' && /\s/.test(input.secret)) throw new AppError('invalid_input', 'The access code has no spaces.');
  const kept = await credentials.put(input.secret, { plaintext: input.storePlaintext === true });
  let replaced: Awaited<ReturnType<Fleet['replaceCredential']>>;
  try {
    replaced = await fleet.replaceCredential(input.printerId, kept.ref);
  } catch (err) {
    credentials.remove(kept.ref);
    throw err;
  }
  if (replaced.previousRef) credentials.remove(replaced.previousRef);
  return { printer: replaced.printer, credential: noticeFor(kept.protection), mask: maskSecret(input.secret) };
}

/** Connects once to a printer about to be added, after the same duplicate check as adding it. */
async function checkLanPrinter(fleet: Fleet, input: MethodParsedInput<'printers.check'>) {
  const config = await withConfirmedPin(buildConfig(input), input);
  refuseDuplicate(fleet, config);
  return fleet.probe({ ...config, credentialRef: null }, input.secret ?? null);
}

/** A Bambu printer added with the fingerprint the user checked: pinned, if it still presents that certificate. */
async function withConfirmedPin(config: WithoutRef<LanConfig>, input: MethodParsedInput<'printers.add'>): Promise<WithoutRef<LanConfig>> {
  if (config.kind !== 'bambu' || input.kind !== 'bambu' || !input.certificateSha256) return config;
  return { ...config, certificatePin: await pinPresented(config.host, config.mqttPort, input.certificateSha256) };
}

/**
 * The pin for the certificate the printer presents now, if it is the one the user checked. Read again here
 * (sending nothing): the fingerprint came from the user, the certificate itself never does.
 */
async function pinPresented(host: string, port: number, sha256: string): Promise<CertificatePin> {
  const presented = await readPresentedCertificate({ host, port, anchors: [] });
  if (presented.sha256 !== sha256) {
    throw new AppError(
      'conflict',
      `The printer now presents a different certificate (SHA-256 ${shortFingerprint(presented.sha256)}) from the one you checked (${shortFingerprint(sha256)}). Nothing was trusted; check again.`,
    );
  }
  return { sha256, pem: presented.pem, pinnedAt: new Date().toISOString() };
}

/**
 * Trusts the certificate a Bambu printer was refused for, after the user checked it, and reconnects. Only a
 * certificate the printer is currently refused for can be trusted: one Bambu signed for another printer
 * points at a wrong serial number or address, which trusting would hide.
 */
export async function trustPrinterCertificate(fleet: Fleet, input: MethodParsedInput<'printers.trustCertificate'>): Promise<PrinterView> {
  const config = fleet.configOf(input.printerId);
  if (config.kind !== 'bambu') throw new AppError('invalid_input', `${config.name} has no certificate to trust: only Bambu printers are checked this way.`);
  const state = fleet.get(input.printerId).status.state;
  const refused = state.kind === 'offline' ? state.certificate : undefined;
  if (!refused || refused.sha256 !== input.sha256) {
    throw new AppError('conflict', `${config.name} is not waiting for that certificate to be checked. Reconnect it and look at the certificate it presents now.`);
  }
  if (refused.problem === 'wrong-printer') {
    throw new AppError('invalid_input', `That certificate is Bambu Lab's for printer ${refused.subject}, not ${config.serial}. Correct the serial number or the address instead.`);
  }
  const certificatePin = await pinPresented(config.host, config.mqttPort, input.sha256);
  return fleet.reconfigure(input.printerId, { ...config, certificatePin }, 'Trust its certificate after the print ends.');
}

/** The saved printer at the same address (or, for Bambu, with the same serial) as this add input, if any. */
export function findSameLanPrinter(fleet: Fleet, input: MethodParsedInput<'printers.add'>): PrinterView | null {
  const config = buildConfig(input);
  const existing = fleet.savedConfigs().find((c) => sameNetworkPrinter(c, config));
  return existing ? fleet.get(existing.id) : null;
}

/**
 * Points a network printer at a new address (its DHCP lease changed), keeping its port, key and everything else,
 * and reconnects it. Refused while it prints.
 */
export async function moveLanPrinter(fleet: Fleet, printerId: string, address: string): Promise<PrinterView> {
  const config = fleet.configOf(printerId);
  if ('host' in config) return fleet.reconfigure(printerId, { ...config, host: normalizeHost(address) }, 'Change its address after the print ends.');
  if (!('url' in config)) throw new AppError('invalid_input', `${config.name} is not a network printer; it has no address to change.`);
  const next = new URL(config.url);
  next.hostname = new URL(normalizeBaseUrl(address)).hostname;
  return fleet.reconfigure(printerId, { ...config, url: next.toString().replace(/\/$/, '') }, 'Change its address after the print ends.');
}

function refuseDuplicate(fleet: Fleet, config: WithoutRef<LanConfig>): void {
  const existing = fleet.savedConfigs().find((c) => sameNetworkPrinter(c, config));
  if (existing) {
    throw new AppError('conflict', `This printer is already in the fleet as "${existing.name}" (${describeAddress(config)}). Open it from the fleet instead of adding it again.`);
  }
}

/** How a newly kept secret is protected, in the words the UI shows (printers and cameras alike). */
export function noticeFor(protection: CredentialProtection): CredentialNotice {
  switch (protection.state) {
    case 'session-only':
      return { protection: 'session-only', message: protection.message, canStorePlaintext: protection.reason !== 'encryption_failed' };
    case 'plaintext':
      return { protection: 'plaintext', message: PLAINTEXT_WARNING, canStorePlaintext: false };
    case 'encrypted':
      return { protection: 'encrypted', message: null, canStorePlaintext: false };
  }
}

export const PLAINTEXT_WARNING =
  "Stored in plaintext, as you chose: this computer has no keyring, so the key is saved unencrypted in the app's settings file, " +
  'where anyone who can read that file can use it. Install a keyring and enter the key again to encrypt it.';

type LanConfig = Extract<NewPrinterConfig, { credentialRef: unknown }>;
type WithoutRef<T> = T extends unknown ? Omit<T, 'credentialRef'> : never;

function buildConfig(input: MethodParsedInput<'printers.add'>): WithoutRef<LanConfig> {
  const base = { name: input.name, embedded: false };
  switch (input.kind) {
    case 'octoprint':
      return { ...base, kind: 'octoprint', url: normalizeBaseUrl(input.url) };
    case 'moonraker':
      return { ...base, kind: 'moonraker', url: normalizeBaseUrl(input.url, 7125) };
    case 'prusalink':
      return { ...base, kind: 'prusalink', url: normalizeBaseUrl(input.url), auth: input.auth ?? 'digest', username: input.username ?? 'maker', storage: input.storage ?? 'usb' };
    case 'bambu':
      if (!input.secret) throw new AppError('invalid_input', 'Enter the access code shown on the printer (Settings → Network → LAN only mode).');
      return {
        ...base,
        kind: 'bambu',
        host: normalizeHost(input.host),
        serial: input.serial.toUpperCase(),
        mqttPort: input.mqttPort ?? 8883,
        ftpPort: input.ftpPort ?? 990,
        certificatePin: null,
        cameraPort: input.cameraPort ?? 6000,
      };
  }
}

export function createLanHandlers(deps: { fleet: Fleet; credentials: CredentialStore; discover: DiscoverPrinters }): HandlersFor<(typeof LAN_METHODS)[number]> {
  return {
    'printers.add': async (input) => addLanPrinter(deps.fleet, deps.credentials, input),
    'printers.check': async (input) => checkLanPrinter(deps.fleet, input),
    'printers.updateCredential': async (input) => updateLanCredential(deps.fleet, deps.credentials, input),
    'printers.trustCertificate': async (input) => trustPrinterCertificate(deps.fleet, input),
    'discovery.scan': async ({ timeoutMs }) => deps.discover({ timeoutMs: timeoutMs ?? 3000 }),
  };
}

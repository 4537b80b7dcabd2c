import type { CredentialNotice, DiscoveredPrinter } from '../contract/lan-types';
import type { LAN_METHODS } from '../contract/names/lan';
import type { CredentialStore } from '../credentials/credential-store';
import { AppError } from '../errors';
import type { Fleet } from '../printers/fleet';
import { normalizeBaseUrl, normalizeHost } from '../printers/lan-common/address';
import type { NewPrinterConfig } from '../printers/printer-configs';
import type { HandlersFor } from '../rpc/dispatch';
import type { MethodParsedInput } from '../contract/methods';

export type DiscoverPrinters = (opts: { timeoutMs: number }) => Promise<DiscoveredPrinter[]>;

/** Turns the add-printer input into a saved config; the secret goes to the credential store first. */
export async function addLanPrinter(fleet: Fleet, credentials: CredentialStore, input: MethodParsedInput<'printers.add'>) {
  let credentialRef: string | null = null;
  let credential: CredentialNotice = { protection: 'none', message: null };
  const config = buildConfig(input);
  if (input.secret) {
    const kept = await credentials.put(input.secret);
    credentialRef = kept.ref;
    credential =
      kept.protection.state === 'session-only'
        ? { protection: 'session-only', message: kept.protection.message }
        : { protection: kept.protection.state, message: kept.protection.state === 'weak' ? 'The key is stored with weak protection (no keyring on this computer).' : null };
  }
  try {
    const printer = fleet.addPrinter({ ...config, credentialRef } as NewPrinterConfig);
    return { printer, credential };
  } catch (err) {
    if (credentialRef) credentials.remove(credentialRef);
    throw err;
  }
}

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
      return { ...base, kind: 'bambu', host: normalizeHost(input.host), serial: input.serial.toUpperCase(), mqttPort: input.mqttPort ?? 8883, ftpPort: input.ftpPort ?? 990 };
  }
}

export function createLanHandlers(deps: { fleet: Fleet; credentials: CredentialStore; discover: DiscoverPrinters }): HandlersFor<(typeof LAN_METHODS)[number]> {
  return {
    'printers.add': async (input) => addLanPrinter(deps.fleet, deps.credentials, input),
    'discovery.scan': async ({ timeoutMs }) => deps.discover({ timeoutMs: timeoutMs ?? 3000 }),
  };
}

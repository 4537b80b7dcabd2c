import { AppError } from '../../errors';

/**
 * Turns what a user typed ("octopi.local", "192.168.1.20:7125", "http://host/") into a base URL without a
 * trailing slash. Only http and https are accepted: these protocols never run over anything else.
 */
export function normalizeBaseUrl(input: string, defaultPort?: number): string {
  const trimmed = input.trim();
  if (!trimmed) throw new AppError('invalid_input', "Enter the printer's address, for example 192.168.1.20 or octopi.local.");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AppError('invalid_input', `"${trimmed}" is not an address. Enter a host name or IP address, optionally with :port.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('invalid_input', `Only http:// and https:// addresses are supported (got ${url.protocol}//).`);
  }
  if (url.username || url.password) {
    throw new AppError('invalid_input', 'Do not put a user name or password in the address; enter the key in its own field.');
  }
  if (!url.port && defaultPort && url.protocol === 'http:') url.port = String(defaultPort);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** A bare host name or IP address (Bambu printers are addressed by host, not URL). */
export function normalizeHost(input: string): string {
  const trimmed = input
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '');
  if (!trimmed || /[\s@]/.test(trimmed)) throw new AppError('invalid_input', "Enter the printer's IP address or host name, for example 192.168.1.30.");
  return trimmed;
}

/** The message for a network error, naming the address but never a credential. */
export function describeNetworkError(err: unknown, where: string): string {
  const code = (err as { code?: string; cause?: { code?: string } })?.cause?.code ?? (err as { code?: string })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return `Nothing is listening at ${where}. Check the address and port, and that the printer's network service is running.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The name in ${where} could not be resolved. Check the spelling, or use the printer's IP address.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached from this computer. Check that both are on the same network.`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `The connection to ${where} was cut off.`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `${where} did not answer in time.`;
  }
  if ((err as { name?: string })?.name === 'TimeoutError' || (err as { name?: string })?.name === 'AbortError') return `${where} did not answer in time.`;
  return `Could not reach ${where}.`;
}

/** How a saved network printer is reached, as far as telling two of them apart goes. */
type Reachable = { kind: string; url: string } | { kind: 'bambu'; host: string; serial: string; mqttPort: number } | { kind: string };

/** scheme://host:port/path with the host lowercased (URL does that) and no trailing slash. */
function urlIdentity(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

/**
 * True when two saved printers are the same machine: the same HTTP address whatever the kind (a PrusaLink
 * also answers as OctoPrint, so kind does not tell them apart), or for Bambu the same serial number or the
 * same host and MQTT port.
 */
export function sameNetworkPrinter(a: Reachable, b: Reachable): boolean {
  if ('url' in a && 'url' in b) {
    const ua = urlIdentity(a.url);
    return ua !== null && ua === urlIdentity(b.url);
  }
  if ('serial' in a && 'serial' in b) {
    return a.serial.toUpperCase() === b.serial.toUpperCase() || (a.host.toLowerCase() === b.host.toLowerCase() && a.mqttPort === b.mqttPort);
  }
  return false;
}

/** The address as a user would recognise it in a message. */
export function describeAddress(p: Reachable): string {
  if ('url' in p) return p.url;
  if ('serial' in p) return `serial ${p.serial} at ${p.host}`;
  return p.kind;
}

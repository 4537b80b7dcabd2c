import { AppError } from '../../errors';

/**
 * Turns what a user typed ("octopi.local", "192.168.1.20:7125", "http://host/") into a base URL without a
 * trailing slash. Only http and https are accepted: these protocols never run over anything else.
 */
export function normalizeBaseUrl(input: string, defaultPort?: number): string {
  const trimmed = input.trim();
  if (!trimmed) throw new AppError('invalid_input', 'Enter the printer\'s address, for example 192.168.1.20 or octopi.local.');
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
  const trimmed = input.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  if (!trimmed || /[\s@]/.test(trimmed)) throw new AppError('invalid_input', 'Enter the printer\'s IP address or host name, for example 192.168.1.30.');
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

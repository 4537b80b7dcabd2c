/**
 * `autoprintfarm://` links: how another program (a browser after sign-in, a link in a mail, the OS handing
 * over a second launch) asks the running app to show something. A link is untrusted input from anywhere on
 * the machine, so it is parsed into a closed set of destinations and everything else is refused; nothing in
 * a link ever runs an action by itself.
 */
export const APP_PROTOCOL = 'autoprintfarm';

const MAX_LINK_LENGTH = 2048;
const SCREENS = ['fleet', 'jobs', 'library', 'history', 'keys', 'settings'] as const;
type Screen = (typeof SCREENS)[number];

export type DeepLink =
  | { kind: 'screen'; screen: Screen }
  | { kind: 'printer'; printerId: string }
  /** The cloud sign-in's return (`autoprintfarm://sign-in?…`): its query is handed over as it came, for the sign-in flow to check. */
  | { kind: 'sign-in'; params: Record<string, string> };

/** The destination of an `autoprintfarm://` link, or null for anything that is not one we know. */
export function parseDeepLink(raw: string): DeepLink | null {
  if (raw.length > MAX_LINK_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_PROTOCOL}:` || url.username || url.password || url.port) return null;
  // autoprintfarm://printer/abc → host "printer", path "/abc"; autoprintfarm:printer/abc has no host.
  const parts = [url.host, ...url.pathname.split('/')].filter(Boolean).map((p) => safeDecode(p));
  if (parts.some((p) => p === null)) return null;
  const [first, second, ...rest] = parts as string[];
  if (rest.length) return null;
  if (first === undefined || first === 'open') return second === undefined ? { kind: 'screen', screen: 'fleet' } : null;
  if ((SCREENS as readonly string[]).includes(first) && second === undefined) return { kind: 'screen', screen: first as Screen };
  if ((first === 'printer' || first === 'printers') && second !== undefined && /^[\w.-]{1,64}$/.test(second)) return { kind: 'printer', printerId: second };
  if (first === 'sign-in' && second === undefined) return { kind: 'sign-in', params: Object.fromEntries(url.searchParams) };
  return null;
}

/**
 * The links among a second launch's command line. Windows and Linux start a new process for a clicked link
 * and pass it as an argument; that process hands its argv to the running one and quits.
 */
export function linksInArgv(argv: readonly string[]): string[] {
  return argv.filter((arg) => arg.toLowerCase().startsWith(`${APP_PROTOCOL}:`));
}

/** The renderer route a destination opens (renderer/src/store/route.ts reads these hashes). */
export function routeHashFor(link: Exclude<DeepLink, { kind: 'sign-in' }>): string {
  return link.kind === 'printer' ? printerRouteHash(link.printerId) : `#/${link.screen}`;
}

export function printerRouteHash(printerId: string): string {
  return `#/printers/${encodeURIComponent(printerId)}`;
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

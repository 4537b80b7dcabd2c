/**
 * The renderer is served from a custom scheme rather than file://, which gives it a stable origin for
 * the sender check and the CSP, and keeps file:// privileges out of reach. Kept free of 'electron'
 * imports so the policies here are tested as plain functions.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export interface OriginOptions {
  /** The Vite dev server origin, accepted only in unpackaged development builds. */
  devOrigin?: string | null;
  packaged: boolean;
}

export function isAppUrl(url: string | undefined | null, opts: OriginOptions): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  if (!opts.packaged && opts.devOrigin) {
    try {
      return parsed.origin === new URL(opts.devOrigin).origin;
    } catch {
      return false;
    }
  }
  return false;
}

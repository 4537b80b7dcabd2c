import { isAppUrl, type OriginOptions } from './app-origin';

/** The subset of WebContents the guards use, so they can be tested with a fake. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void; url?: string }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * No page may navigate the window away from the app, open new windows or attach webviews. External
 * https links are handed to the system browser; everything else is dropped.
 */
export function installNavigationGuards(contents: GuardedContents, opts: OriginOptions, openExternal: (url: string) => void): void {
  const block = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url, opts)) event.preventDefault();
  };
  contents.on('will-navigate', block);
  contents.on('will-redirect', block);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalHttps(url)) openExternal(url);
    return { action: 'deny' };
  });
}

export function isExternalHttps(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

import { describe, expect, it } from 'vitest';
import { RENDERER_CSP as DESKTOP_CSP } from '../../../electron/desktop/csp';
import { installNavigationGuards } from '../../../electron/desktop/navigation-guards';
import { resolveRendererFile } from '../../../electron/desktop/protocol-path';
import { mainWindowOptions } from '../../../electron/desktop/window-options';
import { RENDERER_CSP as HEADLESS_CSP } from '../../../electron/headless/serve/static-files';

describe('the main window', () => {
  it('carries every security flag', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });

  it('gets the same strict CSP on desktop and headless, with no inline or remote script', () => {
    expect(DESKTOP_CSP).toBe(HEADLESS_CSP);
    expect(DESKTOP_CSP).toContain("script-src 'self'");
    expect(DESKTOP_CSP).not.toMatch(/unsafe-(inline|eval)/);
    expect(DESKTOP_CSP).toContain("object-src 'none'");
  });
});

describe('navigation guards', () => {
  function fakeContents() {
    const handlers: Record<string, (e: { preventDefault(): void }, url: string) => void> = {};
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    return {
      contents: {
        on: (name: string, fn: (e: { preventDefault(): void }, url: string) => void) => void (handlers[name] = fn),
        setWindowOpenHandler: (fn: (d: { url: string }) => { action: 'deny' }) => void (openHandler = fn),
      },
      navigate(name: string, url: string) {
        let prevented = false;
        handlers[name]!({ preventDefault: () => void (prevented = true) }, url);
        return prevented;
      },
      open: (url: string) => openHandler!({ url }),
    };
  }
  const opts = { packaged: true, devOrigin: null };

  it('blocks navigation away from the app and allows it within', () => {
    const f = fakeContents();
    installNavigationGuards(f.contents, opts, () => undefined);
    expect(f.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(f.navigate('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(f.navigate('will-navigate', 'app://renderer/index.html#/jobs')).toBe(false);
    expect(f.navigate('will-attach-webview', 'app://renderer/')).toBe(true);
  });

  it('denies every new window and hands only plain https links to the system browser', () => {
    const f = fakeContents();
    const opened: string[] = [];
    installNavigationGuards(f.contents, opts, (u) => void opened.push(u));
    expect(f.open('https://autoprintfarm.com/docs')).toEqual({ action: 'deny' });
    expect(f.open('file:///C:/Windows/system32/calc.exe')).toEqual({ action: 'deny' });
    expect(f.open('smb://share/x')).toEqual({ action: 'deny' });
    expect(f.open('https://user:pass@evil.example/')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://autoprintfarm.com/docs']);
  });
});

describe('the app:// protocol', () => {
  it('maps routes to index.html and files inside the renderer folder', () => {
    expect(resolveRendererFile('/r', 'app://renderer/')).toBe('/r/index.html');
    expect(resolveRendererFile('/r', 'app://renderer/printers/abc')).toBe('/r/index.html');
    expect(resolveRendererFile('/r', 'app://renderer/assets/index.js')).toBe('/r/assets/index.js');
  });

  it('never resolves a path outside the renderer folder', () => {
    for (const url of ['app://renderer/..%2f..%2fetc%2fpasswd.txt', 'app://renderer/%2e%2e/%2e%2e/x.js', 'app://renderer/a/../../../b.css']) {
      const file = resolveRendererFile('/r', url);
      expect(file === null || file.startsWith('/r/'), url).toBe(true);
    }
    expect(resolveRendererFile('/r', 'app://renderer/%00.js')).toBeNull();
  });
});

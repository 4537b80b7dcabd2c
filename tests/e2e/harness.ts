import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { RpcClient } from '../support/rpc-client';
import { exchangeStartLink, rpcUrlOf, type SessionCookie } from '../support/session';

const root = join(__dirname, '../..');
export const SCREENSHOT_DIR = join(root, 'test-results', 'screens');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error("No Chromium found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.");
  return found;
}

export interface ServedApp {
  /** The interface's address, without a token: a browser context needs the session first (newPage, authorize). */
  url: string;
  /** The start link `apf serve` printed; the harness has already used it (it works once) unless `keepStartLink`. */
  startUrl: string;
  /** The admin session the harness got from the start link (null with `keepStartLink`). */
  session: SessionCookie | null;
  /** Gives a browser context the admin session. */
  authorize(context: BrowserContext): Promise<void>;
  /** A page in a new context holding the admin session (the page is not navigated yet). */
  newPage(browser: Browser, options?: BrowserContextOptions): Promise<Page>;
  /** A JSON-RPC client on the admin session. */
  rpc(): Promise<RpcClient>;
  dataDir: string;
  process: ChildProcess;
  stderr: string[];
  stop(): Promise<void>;
}

/**
 * Starts the built `apf serve` on a free port and waits for its APF_URL line. A fresh data folder unless
 * `opts.dataDir` names one (a restart over the same data); `stop()` removes the folder either way.
 *
 * The start link works once (docs/security.md), so the harness uses it itself, as the admin's own browser would,
 * and hands its session cookie to every browser context and RPC client of the test. A test about the start link
 * itself passes `keepStartLink`.
 */
export async function startServe(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}, opts: { dataDir?: string; keepStartLink?: boolean } = {}): Promise<ServedApp> {
  if (!existsSync(join(root, 'dist/headless/apf.mjs')) || !existsSync(join(root, 'dist/renderer/index.html'))) {
    throw new Error('The app is not built: run `npm run build` first (npm test does).');
  }
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'apf-e2e-'));
  const child = spawn(process.execPath, [join(root, 'bin/apf.mjs'), 'serve', '--port', '0', '--data', dataDir, ...extraArgs], {
    env: { ...process.env, APF_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`apf serve printed no URL in 20 s. stderr: ${stderr.join('')}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^APF_URL=(\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`apf serve exited with ${code}: ${stderr.join('')}`));
    });
  });
  const session = opts.keepStartLink ? null : await exchangeStartLink(url);
  const origin = new URL(url).origin;
  const authorize = async (context: BrowserContext) => {
    if (!session) throw new Error('keepStartLink: this app has no harness session');
    await context.addCookies([{ name: session.name, value: session.value, url: origin, httpOnly: true, sameSite: 'Strict', secure: origin.startsWith('https:') }]);
  };
  return {
    url: `${origin}/`,
    startUrl: url,
    session,
    authorize,
    async newPage(browser, options) {
      const context = await browser.newContext(options);
      await authorize(context);
      return context.newPage();
    },
    rpc: () => RpcClient.open(rpcUrlOf(url), session ? { Cookie: session.header } : {}),
    dataDir,
    process: child,
    stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** A served farm, one admin page on it and an RPC client: what most screen tests start from. */
export interface FarmUnderTest {
  app: ServedApp;
  browser: Browser;
  page: Page;
  rpc: RpcClient;
  close(): Promise<void>;
}

/**
 * Starts `apf serve` with its virtual printer 60× faster (heating and a small print take seconds), opens the
 * interface in Chromium as the admin, and connects an RPC client for what the test checks behind the screens.
 */
export async function openFarm(opts: { env?: NodeJS.ProcessEnv; viewport?: { width: number; height: number } } = {}): Promise<FarmUnderTest> {
  const app = await startServe([], { APF_VIRTUAL_SPEED: '60', ...opts.env });
  const browser = await launchBrowser();
  const page = await app.newPage(browser, { viewport: opts.viewport ?? { width: 1280, height: 1000 } });
  const rpc = await app.rpc();
  await page.goto(app.url);
  return {
    app,
    browser,
    page,
    rpc,
    close: async () => {
      rpc.close();
      await browser.close();
      await app.stop();
    },
  };
}

/**
 * Queues a library file for any printer through the Print… dialog, adding it to the Library first when a path is
 * given (and waiting for its analysis); ends on the Jobs screen.
 */
export async function queueFromLibrary(page: Page, addPath?: string): Promise<void> {
  await page.getByRole('link', { name: 'Library', exact: true }).click();
  if (addPath) await page.getByTestId('library-file-input').setInputFiles(addPath);
  const print = page.getByTestId('library-file').first().getByRole('button', { name: 'Print…' });
  await expectEnabled(print);
  await print.click();
  await page.getByTestId('queue-submit').click();
  await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
}

async function expectEnabled(button: ReturnType<Page['getByRole']>): Promise<void> {
  for (let waited = 0; !(await button.isEnabled().catch(() => false)); waited += 100) {
    if (waited > 15_000) throw new Error('The file was not ready to print within 15 s (its analysis did not finish).');
    await new Promise((r) => setTimeout(r, 100));
  }
}

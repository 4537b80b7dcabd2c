import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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
  url: string;
  dataDir: string;
  process: ChildProcess;
  stderr: string[];
  stop(): Promise<void>;
}

/**
 * Starts the built `apf serve` on a free port and waits for its APF_URL line. A fresh data folder unless
 * `opts.dataDir` names one (a restart over the same data); `stop()` removes the folder either way.
 */
export async function startServe(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}, opts: { dataDir?: string } = {}): Promise<ServedApp> {
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
  return {
    url,
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

/**
 * Fleet scale benchmark: 200 simulated LAN printers (Moonraker stand-ins in a separate process), each
 * updating once a second, connected to the built `apf serve` with the fleet view open in Chromium.
 * Prints one JSON object per line:
 *   host_cpu_pct_200   CPU of the apf serve process (drivers, fleet, event fan-out to the browser) over ~10 s,
 *                      as % of one core. Target < 10.
 *   frame_ms_p95_200   95th percentile of requestAnimationFrame intervals in the fleet view over ~5 s. Target < 16
 *                      (at 60 Hz one frame is 16.7 ms, so this reads 16.7 when no frame is dropped).
 *   frames_dropped_pct_200  share of those intervals over 20 ms (a frame missed).
 * Needs `npm run build` first. Bounded to about a minute.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');

const COUNT = Number(process.env.APF_BENCH_PRINTERS ?? 200);

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench: 'fleet', metric, value: Math.round(value * 100) / 100, unit, ...extra })}\n`);
}

function startPeers(): Promise<{ child: ChildProcess; urls: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fleet-peers.ts'), String(COUNT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('peers did not start in 30 s')), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^PEERS=(.+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, urls: JSON.parse(m[1]!) as string[] });
      }
    });
    child.once('exit', (code) => reject(new Error(`peers exited with ${code}`)));
  });
}

/** The built `apf serve` on a free port with the given data folder; resolves with its URL once it listens. */
function startServe(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  if (!existsSync(join(root, 'dist/headless/apf.mjs'))) throw new Error('The app is not built: run `npm run build` first.');
  const child = spawn(process.execPath, [join(root, 'bin/apf.mjs'), 'serve', '--port', '0', '--data', dataDir], { env: { ...process.env, APF_TOKEN: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('apf serve printed no URL in 20 s')), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^APF_URL=(\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    });
    child.once('exit', (code) => reject(new Error(`apf serve exited with ${code}`)));
  });
}

/** user+system CPU ticks of a process, from /proc (Linux). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function main(): Promise<void> {
  const { child: peers, urls } = await startPeers();
  const dataDir = mkdtempSync(join(tmpdir(), 'apf-bench-fleet-'));
  // A data folder with the printers already saved, as after adding them once.
  const saved = urls.map((url, i) => ({ id: `prn_bench${String(i).padStart(4, '0')}`, name: `Klipper ${i + 1}`, embedded: false, kind: 'moonraker', url, credentialRef: null }));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ printers: { saved, seededDefault: true } }));
  const app = await startServe(dataDir);
  const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(app.url);
    await page.waitForFunction(`document.querySelectorAll('[data-testid="printer-card"]').length === ${COUNT}`, undefined, { timeout: 30_000 });
    // Every printer connected and reporting.
    await page.waitForFunction(`[...document.querySelectorAll('[data-testid="hotend-temp"]')].filter((e) => /°C/.test(e.textContent || '')).length === ${COUNT}`, undefined, { timeout: 30_000 });

    const pid = app.child.pid!;
    const hz = 100; // USER_HZ on Linux
    const t0 = performance.now();
    const c0 = cpuTicks(pid);
    await new Promise((r) => setTimeout(r, 10_000));
    const cpuPct = ((cpuTicks(pid) - c0) / hz / ((performance.now() - t0) / 1000)) * 100;
    emit('host_cpu_pct_200', cpuPct, '%', { printers: COUNT, seconds: 10, target: '< 10' });

    // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
    const frames = (await page.evaluate(`new Promise((resolve) => {
      const deltas = [];
      let last = performance.now();
      const end = last + 5000;
      const tick = (t) => {
        deltas.push(t - last);
        last = t;
        if (t < end) requestAnimationFrame(tick);
        else resolve(deltas);
      };
      requestAnimationFrame(tick);
    })`)) as number[];
    const sorted = frames.slice(1).sort((a, b) => a - b);
    const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
    // rAF runs on the display's 60 Hz clock, so an undisturbed page measures ~16.7 ms; frames above 20 ms were dropped.
    emit('frame_ms_p95_200', p95, 'ms', { printers: COUNT, frames: sorted.length, target: '< 16', vsync_ms: 16.7 });
    emit('frames_dropped_pct_200', (sorted.filter((d) => d > 20).length / Math.max(1, sorted.length)) * 100, '%', { printers: COUNT });
  } finally {
    await browser.close();
    const exited = new Promise((r) => app.child.once('exit', r));
    app.child.kill('SIGTERM');
    await exited;
    peers.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench:fleet failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

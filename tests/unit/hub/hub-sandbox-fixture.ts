/** A real core linked to the sandbox cloud, as `apf serve` runs it: the shared setup of the hub's end-to-end tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HubStatusView } from '../../../electron/core/contract/hub-types';
import { createCore, type Core, type CorePorts } from '../../../electron/core/core';
import type { SettingsStore } from '../../../electron/core/ports/settings-store';
import { createDefaultDriverFactory } from '../../../electron/core/printers/default-drivers';

const dirs: string[] = [];

/** Removes the data folders startHubCore made. */
export function removeHubCoreDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A temporary folder removed with the cores' data folders. */
export function hubTestDir(prefix = 'apf-hub-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function startHubCore(settings: SettingsStore, key: string, url: string, opts: { virtualSpeed?: number; ports?: Partial<CorePorts> } = {}): Core {
  const dir = hubTestDir();
  return createCore({
    host: 'headless',
    version: '0.0.0-test',
    dataDir: dir,
    databaseFile: ':memory:',
    settings,
    createDriver: createDefaultDriverFactory({ virtualSpeed: opts.virtualSpeed ?? 400 }),
    log: { error: () => {} },
    seedDefaultPrinter: true,
    // Headless uses the environment's key, as `apf serve` does.
    env: { AUTOPRINTFARM_API_KEY: key, AUTOPRINTFARM_API_URL: url },
    hubBackoff: { initialMs: 50, maxMs: 200 },
    // The LAN as the cloud's discover_printers finds it: one OctoPrint, one Bambu.
    discoverPrinters: async () => [
      { kind: 'octoprint', name: 'Prusa MK3', address: 'http://192.168.1.20:5000', serial: null, model: null, via: 'mdns' },
      { kind: 'bambu', name: 'X1C-01', address: '192.168.1.30', serial: '00M09A350100123', model: 'X1C', via: 'ssdp' },
    ],
    ...opts.ports,
  });
}

export const connected = (s: HubStatusView) => s.state === 'connected';

/** Polls `read` until `ok` (real time), failing with the last value seen. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

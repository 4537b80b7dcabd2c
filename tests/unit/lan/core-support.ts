import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPABILITIES, type PrinterView } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import type { SecretBox } from '../../../electron/core/keys/ports';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import type { PrinterState } from '../../../electron/core/printers/model';
import { createDefaultDriverFactory } from '../../../electron/core/printers/default-drivers';

export const allCapabilities = { capabilities: new Set(CAPABILITIES) };

/** A core with the real LAN drivers over the given settings (a "restart" is a second core on the same settings). */
export function lanCore(settings = createMemorySettingsStore(), secretBox: SecretBox | null = null, bambuAnchors: readonly string[] = []): Core {
  return createCore({
    host: 'headless',
    version: '0.0.0-test',
    // A folder of its own: a shared one would share its database with every other run and test file.
    dataDir: mkdtempSync(join(tmpdir(), 'apf-test-')),
    databaseFile: ':memory:',
    settings,
    secretBox,
    createDriver: createDefaultDriverFactory({ bambuAnchors }),
    log: { error: () => undefined },
    seedDefaultPrinter: false,
    discoverPrinters: async () => [],
  });
}

/** Calls a method and returns its result, or throws `code: message`. */
export async function call<T>(core: Core, method: string, params?: unknown): Promise<T> {
  const out = await core.dispatch(method, params, allCapabilities);
  if (!out.ok) throw Object.assign(new Error(`${out.error.code}: ${out.error.message}`), { code: out.error.code });
  return out.result as T;
}

/** Resolves with the printer's view once its state satisfies `pred` (checked now and on every status event). */
export function printerState(core: Core, printerId: string, pred: (s: PrinterState) => boolean, what: string, ms = 5000): Promise<PrinterView> {
  return new Promise((resolve, reject) => {
    let off = () => {};
    const check = async () => {
      const view = await call<PrinterView>(core, 'printers.get', { printerId });
      if (pred(view.status.state)) {
        clearTimeout(timer);
        off();
        resolve(view);
      }
    };
    const timer = setTimeout(() => {
      off();
      reject(new Error(`Timed out waiting for ${what}`));
    }, ms);
    off = core.events.subscribe((name, payload) => {
      if (name === 'printer.status' && (payload as { printerId?: string }).printerId === printerId) void check();
    });
    void check();
  });
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CAPABILITIES, type PrinterView } from '../../../electron/core/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { createDefaultDriverFactory } from '../../../electron/core/printers/default-drivers';
import { startMoonrakerPeer, type MoonrakerPeer } from '../../peers/moonraker-peer';

const all = { capabilities: new Set(CAPABILITIES) };
let core: Core;
let peer: MoonrakerPeer;
afterEach(async () => {
  await core?.close();
  await peer?.close();
});

function build(settings = createMemorySettingsStore()) {
  core = createCore({
    host: 'headless',
    version: '0.0.0-test',
    // A folder of its own: a shared one would share its database with every other run and test file.
    dataDir: mkdtempSync(join(tmpdir(), 'apf-test-')),
    settings,
    createDriver: createDefaultDriverFactory(),
    log: { error: () => undefined },
    seedDefaultPrinter: false,
    discoverPrinters: async () => [{ kind: 'moonraker', name: 'voron', address: 'http://10.0.0.5:7125', serial: null, model: null, via: 'mdns' }],
  });
  return settings;
}

async function call<T>(method: string, params?: unknown): Promise<T> {
  const out = await core.dispatch(method, params, all);
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  return out.result as T;
}

describe('printers.add for network printers', () => {
  it('saves a Moonraker printer with its key in the credential store, never in the saved config or the view', async () => {
    peer = await startMoonrakerPeer({ apiKey: 'moon-secret-42' });
    const settings = build();
    const added = await call<{ printer: PrinterView; credential: { protection: string } }>('printers.add', {
      kind: 'moonraker',
      name: 'Voron',
      url: peer.url,
      secret: 'moon-secret-42',
    });
    expect(added.printer).toMatchObject({ kind: 'moonraker', name: 'Voron' });
    expect(added.credential.protection).toBe('session-only');
    expect(JSON.stringify(settings.get('printers.saved'))).not.toContain('moon-secret-42');
    expect(JSON.stringify(added)).not.toContain('moon-secret-42');
    const saved = (settings.get('printers.saved') as { credentialRef: string }[])[0]!;
    expect(saved.credentialRef).toMatch(/^cred_/);
    // The driver reads the key through the store and connects.
    const list = await call<PrinterView[]>('printers.list');
    expect(list).toHaveLength(1);
    const status = await new Promise<string>((resolve) => {
      const off = core.events.subscribe((name, payload) => {
        const p = payload as { printerId?: string; status?: { state: { kind: string } } };
        if (name === 'printer.status' && p.printerId === added.printer.id && p.status?.state.kind === 'idle') {
          off();
          resolve('idle');
        }
      });
    });
    expect(status).toBe('idle');
  });

  it('refuses a Bambu printer without its access code and a malformed address', async () => {
    build();
    const noCode = await core.dispatch('printers.add', { kind: 'bambu', name: 'X1', host: '10.0.0.9', serial: '01S00A' }, all);
    expect(noCode).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const badUrl = await core.dispatch('printers.add', { kind: 'octoprint', name: 'O', url: 'ftp://octopi' }, all);
    expect(badUrl).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('http://') } });
  });

  it('removes the stored secret with the printer', async () => {
    const settings = build();
    const { printer } = await call<{ printer: PrinterView }>('printers.add', { kind: 'octoprint', name: 'Octo', url: 'http://127.0.0.1:9', secret: 'k' });
    const ref = (settings.get('printers.saved') as { credentialRef: string }[])[0]!.credentialRef;
    await call('printers.remove', { printerId: printer.id });
    expect(settings.get(`credentials.printers.${ref}`)).toBeUndefined();
  });

  it('refuses a printer already in the fleet at the same address, naming the one that is there', async () => {
    build();
    await call('printers.add', { kind: 'octoprint', name: 'Octo left', url: 'http://octopi.local:5000/' });
    const again = await core.dispatch('printers.add', { kind: 'prusalink', name: 'Other', url: 'HTTP://OctoPi.local:5000', secret: 'p' }, all);
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('"Octo left" (http://octopi.local:5000)') } });
    // A different port is a different printer.
    await call('printers.add', { kind: 'moonraker', name: 'Voron', url: 'octopi.local' });

    await call('printers.add', { kind: 'bambu', name: 'P1S left', host: '10.0.0.9', serial: '01p00a1', secret: 'code1234' });
    const sameSerial = await core.dispatch('printers.add', { kind: 'bambu', name: 'X', host: '10.0.0.99', serial: '01P00A1', secret: 'code1234' }, all);
    expect(sameSerial).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('"P1S left"') } });
    const sameHost = await core.dispatch('printers.add', { kind: 'bambu', name: 'Y', host: '10.0.0.9', serial: 'OTHER2', secret: 'code1234' }, all);
    expect(sameHost).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await call<PrinterView[]>('printers.list')).toHaveLength(3);
  });

  it('returns what discovery found', async () => {
    build();
    expect(await call('discovery.scan', { timeoutMs: 200 })).toEqual([expect.objectContaining({ kind: 'moonraker', address: 'http://10.0.0.5:7125' })]);
  });
});

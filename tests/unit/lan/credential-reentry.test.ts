import { afterEach, describe, expect, it } from 'vitest';
import type { PrinterView } from '../../../electron/core/contract';
import type { Core } from '../../../electron/core/core';
import { CredentialError } from '../../../electron/core/credentials/credential-error';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { BambuDriver } from '../../../electron/core/printers/bambu/driver';
import { ManualClock } from '../../support/manual-clock';
import { startOctoPrintPeer, type OctoPrintPeer } from '../../peers/octoprint-peer';
import { call, lanCore, printerState } from './core-support';
import { fastBackoff, waitForStatus } from './support';

const cores: Core[] = [];
let peer: OctoPrintPeer | null = null;
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await peer?.close();
  peer = null;
});

function core(settings = createMemorySettingsStore()) {
  const c = lanCore(settings);
  cores.push(c);
  return c;
}

type Updated = { printer: PrinterView; credential: { protection: string; message: string | null }; mask: string };

describe('entering a printer key again', () => {
  it('after a restart, a printer whose key was kept for the session only says so instead of retrying, and connects once the key is entered again', async () => {
    peer = await startOctoPrintPeer({ apiKey: 'OCTO-REENTER-0123456789' });
    const settings = createMemorySettingsStore();
    const first = core(settings);
    const added = await call<{ printer: PrinterView; credential: { protection: string } }>(first, 'printers.add', {
      kind: 'octoprint',
      name: 'Octo',
      url: peer.url,
      secret: 'OCTO-REENTER-0123456789',
    });
    expect(added.credential.protection).toBe('session-only');
    await first.close();
    cores.length = 0;

    const again = core(settings);
    const lost = await printerState(again, added.printer.id, (s) => s.kind === 'offline' && s.credential !== undefined, 'key missing');
    expect(lost.status.state).toMatchObject({
      kind: 'offline',
      credential: { problem: 'missing', what: 'API key' },
      reason: expect.stringMatching(/API key .* was not saved on this computer.*Enter it again/),
    });

    const updated = await call<Updated>(again, 'printers.updateCredential', { printerId: added.printer.id, secret: 'OCTO-REENTER-0123456789' });
    expect(updated.mask).toBe('…6789');
    expect(JSON.stringify(updated)).not.toContain('OCTO-REENTER');
    expect(updated.credential.protection).toBe('session-only');
    await printerState(again, added.printer.id, (s) => s.kind === 'idle', 'connected with the new key');
    expect(JSON.stringify(settings.get('printers.saved'))).not.toContain('OCTO-REENTER');
  });

  it('shows a refused key as refused, and replaces it (dropping the old stored one) when entered again', async () => {
    peer = await startOctoPrintPeer({ apiKey: 'RIGHT-KEY-ABCDEFGHIJ' });
    const settings = createMemorySettingsStore();
    const c = core(settings);
    const { printer } = await call<{ printer: PrinterView }>(c, 'printers.add', { kind: 'octoprint', name: 'Octo', url: peer.url, secret: 'WRONG-KEY', storePlaintext: true });
    const oldRef = (settings.get('printers.saved') as { credentialRef: string }[])[0]!.credentialRef;
    const refused = await printerState(c, printer.id, (s) => s.kind === 'offline' && s.credential !== undefined, 'key refused');
    expect(refused.status.state).toMatchObject({
      credential: { problem: 'refused', what: 'API key' },
      reason: expect.stringContaining('refused the API key (HTTP 403: Invalid API key)'),
    });
    expect(JSON.stringify(refused)).not.toContain('WRONG-KEY');

    const updated = await call<Updated>(c, 'printers.updateCredential', { printerId: printer.id, secret: 'RIGHT-KEY-ABCDEFGHIJ', storePlaintext: true });
    expect(updated.credential).toMatchObject({ protection: 'plaintext', message: expect.stringContaining('Stored in plaintext') });
    await printerState(c, printer.id, (s) => s.kind === 'idle', 'connected with the right key');
    const newRef = (settings.get('printers.saved') as { credentialRef: string }[])[0]!.credentialRef;
    expect(newRef).not.toBe(oldRef);
    expect(settings.get(`credentials.printers.${oldRef}`)).toBeUndefined();
    expect(settings.get(`credentials.printers.${newRef}`)).toBe('v1:plaintext:RIGHT-KEY-ABCDEFGHIJ');
    expect((await call<PrinterView>(c, 'printers.get', { printerId: printer.id })).credentialStorage).toBe('plaintext');
  });

  it('refuses a new key for a printer that has none, and for one that no longer exists', async () => {
    const c = core();
    const virtual = await call<PrinterView>(c, 'printers.addVirtual', { name: 'Sim' });
    await expect(call(c, 'printers.updateCredential', { printerId: virtual.id, secret: 'k' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call(c, 'printers.updateCredential', { printerId: 'prn_gone', secret: 'k' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('names the access code when a Bambu printer has lost it, without retrying', async () => {
    let asked = 0;
    const clock = new ManualClock();
    const driver = new BambuDriver({
      host: '127.0.0.1',
      serial: 'S1',
      clock,
      backoff: fastBackoff,
      secret: async () => {
        asked++;
        throw new CredentialError('missing', 'key', 'not held');
      },
    });
    try {
      await expect(driver.connect()).rejects.toBeInstanceOf(CredentialError);
      const s = await waitForStatus(driver, (s) => s.state.kind === 'offline', 'offline');
      expect(s.state).toMatchObject({ credential: { problem: 'missing', what: 'access code' }, reason: expect.stringContaining('access code for Bambu printer S1') });
      // Offline for good: no backoff retry ever comes; a reconnect is tried only when the user asks.
      clock.advance(600_000);
      await Promise.resolve();
      expect(asked).toBe(1);
      await expect(driver.connect()).rejects.toBeInstanceOf(CredentialError);
      expect(asked).toBe(2);
    } finally {
      await driver.dispose();
    }
  });
});

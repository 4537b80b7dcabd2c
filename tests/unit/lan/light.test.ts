import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrinterView } from '../../../electron/core/contract';
import type { Core } from '../../../electron/core/core';
import type { PrinterDriver } from '../../../electron/core/printers/driver';
import { BambuDriver } from '../../../electron/core/printers/bambu/driver';
import { MoonrakerDriver } from '../../../electron/core/printers/moonraker/driver';
import { OctoPrintDriver } from '../../../electron/core/printers/octoprint/driver';
import { PrusaLinkDriver } from '../../../electron/core/printers/prusalink/driver';
import { peerTrust, startBambuPeer, type BambuPeer } from '../../peers/bambu-peer';
import { call, lanCore, printerState } from './core-support';
import { fastBackoff, waitForStatus } from './support';

let peer: BambuPeer;
let core: Core | null = null;
beforeAll(async () => {
  peer = await startBambuPeer({ accessCode: 'LIGHT123' });
});
afterAll(async () => peer?.close());
afterEach(async () => {
  await core?.close();
  core = null;
});

describe('the chamber light', () => {
  it('is a capability of Bambu printers only; the other network drivers say they have none', async () => {
    const secret = async () => 'x';
    const drivers: PrinterDriver[] = [
      new BambuDriver({ host: '127.0.0.1', serial: 'S1', secret }),
      new OctoPrintDriver({ baseUrl: 'http://127.0.0.1:9', secret }),
      new MoonrakerDriver({ baseUrl: 'http://127.0.0.1:9', secret }),
      new PrusaLinkDriver({ baseUrl: 'http://127.0.0.1:9', auth: 'digest', username: 'maker', storage: 'usb', secret }),
    ];
    expect(drivers.map((d) => d.capabilities.light)).toEqual([true, false, false, false]);
    expect(drivers.map((d) => typeof d.setLight)).toEqual(['function', 'undefined', 'undefined', 'undefined']);
    await Promise.all(drivers.map((d) => d.dispose()));
  });

  it('shows the light as the Bambu printer reports it in lights_report, and switches it with ledctrl', async () => {
    const driver = new BambuDriver({
      host: peer.host,
      serial: peer.serial,
      mqttPort: peer.mqttPort,
      ftpPort: peer.ftpPort,
      trust: peerTrust(peer),
      backoff: fastBackoff,
      keepaliveS: 1,
      secret: async () => peer.accessCode,
    });
    try {
      peer.printer.light = 'off';
      await driver.connect();
      await waitForStatus(driver, (s) => s.light === 'off', 'light reported off');
      await driver.setLight(true);
      await waitForStatus(driver, (s) => s.light === 'on', 'light reported on');
      expect(peer.requests.at(-1)?.system).toMatchObject({ command: 'ledctrl', led_node: 'chamber_light', led_mode: 'on' });
      await driver.setLight(false);
      await waitForStatus(driver, (s) => s.light === 'off', 'light reported off again');
      expect(peer.printer.light).toBe('off');
    } finally {
      await driver.dispose();
    }
  });

  it('printers.setLight reaches a Bambu printer through the fleet and is refused for a printer without a light', async () => {
    core = lanCore(undefined, null, peerTrust(peer).anchors);
    const { printer } = await call<{ printer: PrinterView }>(core, 'printers.add', {
      kind: 'bambu',
      name: 'P1S',
      host: peer.host,
      serial: peer.serial,
      secret: peer.accessCode,
      mqttPort: peer.mqttPort,
      ftpPort: peer.ftpPort,
    });
    expect(printer.capabilities.light).toBe(true);
    await printerState(core, printer.id, (s) => s.kind === 'idle', 'Bambu idle');
    await call(core, 'printers.setLight', { printerId: printer.id, on: true });
    const lit = await new Promise<PrinterView>((resolve) => {
      const check = async () => {
        const view = await call<PrinterView>(core!, 'printers.get', { printerId: printer.id });
        if (view.status.light === 'on') {
          off();
          resolve(view);
        }
      };
      const off = core!.events.subscribe((name) => name === 'printer.status' && void check());
      void check();
    });
    expect(peer.printer.light).toBe('on');
    expect(lit.status.light).toBe('on');

    const virtual = await call<PrinterView>(core, 'printers.addVirtual', { name: 'Sim' });
    expect(virtual.capabilities.light).toBe(false);
    await printerState(core, virtual.id, (s) => s.kind === 'idle', 'virtual idle');
    await expect(call(core, 'printers.setLight', { printerId: virtual.id, on: true })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringContaining('no light') });
  });
});

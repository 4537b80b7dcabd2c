import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveredPrinter } from '../../../electron/core/contract/lan-types';
import { MDNS_TYPES, serviceToPrinter } from '../../../electron/core/printers/discovery/mdns';
import { listenBambuSsdp, parseBambuNotify, type SsdpListener } from '../../../electron/core/printers/discovery/ssdp';

const NOTIFY = [
  'NOTIFY * HTTP/1.1',
  'HOST: 239.255.255.250:1900',
  'Server: UPnP/1.0',
  'Location: 192.168.1.77',
  'NT: urn:bambulab-com:device:3dprinter:1',
  'USN: 01P00A123456789',
  'Cache-Control: max-age=1800',
  'DevModel.bambu.com: C12',
  'DevName.bambu.com: P1S-Left',
  'DevConnect.bambu.com: lan',
  'DevBind.bambu.com: free',
  '',
  '',
].join('\r\n');

let listener: SsdpListener | null = null;
afterEach(() => {
  listener?.close();
  listener = null;
});

describe('printer discovery', () => {
  it('reads a Bambu SSDP NOTIFY into a printer with its host, serial, name and model', () => {
    expect(parseBambuNotify(NOTIFY, '192.168.1.77')).toEqual({ kind: 'bambu', name: 'P1S-Left', address: '192.168.1.77', serial: '01P00A123456789', model: 'C12', via: 'ssdp' });
    expect(parseBambuNotify('NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nUSN: uuid:x\r\n\r\n', '10.0.0.1')).toBeNull();
  });

  it('hears a NOTIFY datagram on its UDP port', async () => {
    const found: DiscoveredPrinter[] = [];
    let heard!: () => void;
    const heardOne = new Promise<void>((resolve) => (heard = resolve));
    const ssdp = await listenBambuSsdp(
      (p) => {
        found.push(p);
        heard();
      },
      { port: 0, address: '127.0.0.1' },
    );
    if (!ssdp) throw new Error('could not listen for SSDP on a free loopback port');
    listener = ssdp;
    const sock = createSocket('udp4');
    sock.send(NOTIFY, ssdp.port, '127.0.0.1', () => sock.close());
    await heardOne;
    expect(found[0]).toMatchObject({ kind: 'bambu', serial: '01P00A123456789' });
  });

  it('maps mDNS services: OctoPrint with its path, Moonraker, and plain HTTP only when it is a Prusa', () => {
    expect(serviceToPrinter('octoprint', { name: 'octopi', port: 80, addresses: ['fe80::1', '192.168.1.20'], txt: { path: '/octoprint/' } })).toMatchObject({
      kind: 'octoprint',
      address: 'http://192.168.1.20:80/octoprint',
    });
    expect(serviceToPrinter('moonraker', { name: 'voron', port: 7125, host: 'voron.local.', addresses: [] })).toMatchObject({
      kind: 'moonraker',
      address: 'http://voron.local:7125',
    });
    expect(serviceToPrinter('http', { name: 'Prusa MK4', port: 80, addresses: ['192.168.1.30'] })).toMatchObject({ kind: 'prusalink' });
    expect(serviceToPrinter('http', { name: 'router admin', port: 80, addresses: ['192.168.1.1'] })).toBeNull();
  });

  it("browses PrusaLink's own service type, _prusalink._tcp (not _prusa-link)", () => {
    const types = MDNS_TYPES.map((t) => t.type);
    expect(types).toContain('prusalink');
    expect(types).not.toContain('prusa-link');
    expect(serviceToPrinter('prusalink', { name: 'PrusaLink at prusa-mk3', port: 80, addresses: ['192.168.1.31'], txt: { path: '/' } })).toEqual({
      kind: 'prusalink',
      name: 'PrusaLink at prusa-mk3',
      address: 'http://192.168.1.31:80',
      serial: null,
      model: null,
      via: 'mdns',
    });
  });

  it("lists PrusaLink's legacy _octoprint announcement as PrusaLink, but an OctoPrint named after a Prusa stays OctoPrint", () => {
    expect(serviceToPrinter('octoprint', { name: 'PrusaLink at prusa-mk3', port: 80, addresses: ['192.168.1.31'], txt: { path: '/' } })).toMatchObject({
      kind: 'prusalink',
      address: 'http://192.168.1.31:80',
    });
    expect(serviceToPrinter('octoprint', { name: 'prusa-mk3 octopi', port: 80, addresses: ['192.168.1.32'] })).toMatchObject({ kind: 'octoprint' });
  });
});

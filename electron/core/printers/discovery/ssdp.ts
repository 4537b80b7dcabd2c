import { createSocket, type Socket } from 'node:dgram';
import type { DiscoveredPrinter } from '../../contract/lan-types';

export const BAMBU_SSDP_PORT = 2021;

/**
 * Reads a Bambu printer's SSDP NOTIFY (sent to UDP 2021): `Location` carries its IP, `USN` its serial,
 * `DevName.bambu.com` the name given on the printer and `DevModel.bambu.com` the model code.
 */
export function parseBambuNotify(text: string, from: string): DiscoveredPrinter | null {
  const lines = text.split(/\r?\n/);
  if (!/^(NOTIFY|HTTP\/1\.1 200)/i.test(lines[0] ?? '')) return null;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const nt = headers.get('nt') ?? headers.get('st') ?? '';
  const serial = headers.get('usn');
  if (!serial || !(/bambu/i.test(nt) || headers.has('devmodel.bambu.com'))) return null;
  const location = headers.get('location') ?? from;
  const host = location.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '') || from;
  return {
    kind: 'bambu',
    name: headers.get('devname.bambu.com') || `Bambu ${serial}`,
    address: host,
    serial,
    model: headers.get('devmodel.bambu.com') ?? null,
    via: 'ssdp',
  };
}

export interface SsdpListener {
  port: number;
  close(): void;
}

/** Listens for Bambu announcements; resolves with null when the port cannot be bound (another app has it). */
export function listenBambuSsdp(onFound: (p: DiscoveredPrinter) => void, opts: { port?: number; address?: string } = {}): Promise<SsdpListener | null> {
  return new Promise((resolve) => {
    const socket: Socket = createSocket({ type: 'udp4', reuseAddr: true });
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.on('message', (msg, rinfo) => {
      const found = parseBambuNotify(msg.toString('utf8'), rinfo.address);
      if (found) onFound(found);
    });
    socket.bind(opts.port ?? BAMBU_SSDP_PORT, opts.address, () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      try {
        socket.setBroadcast(true);
      } catch {
        // Receiving broadcasts needs no flag on Linux; this only matters on some platforms.
      }
      resolve({ port: socket.address().port, close: () => socket.close() });
    });
  });
}

import { Bonjour, type Service } from 'bonjour-service';
import type { DiscoveredPrinter, LanKind } from '../../contract/lan-types';

/** The service types printers announce: OctoPrint and Moonraker their own, Prusa printers plain HTTP. */
export const MDNS_TYPES: { type: string; kind: LanKind | 'http' }[] = [
  { type: 'octoprint', kind: 'octoprint' },
  { type: 'moonraker', kind: 'moonraker' },
  { type: 'prusa-link', kind: 'prusalink' },
  { type: 'http', kind: 'http' },
];

export interface MdnsService {
  name: string;
  host?: string;
  port: number;
  addresses?: string[];
  txt?: Record<string, unknown>;
}

/** Maps one announced service onto a printer; plain HTTP services count only when they look like a Prusa. */
export function serviceToPrinter(kind: LanKind | 'http', svc: MdnsService): DiscoveredPrinter | null {
  let resolved: LanKind;
  if (kind === 'http') {
    const txt = JSON.stringify(svc.txt ?? {});
    if (!/prusa/i.test(svc.name) && !/prusa/i.test(txt)) return null;
    resolved = 'prusalink';
  } else resolved = kind;
  const ipv4 = svc.addresses?.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
  const host = ipv4 ?? svc.host?.replace(/\.$/, '');
  if (!host) return null;
  const path = typeof svc.txt?.path === 'string' && svc.txt.path !== '/' ? svc.txt.path.replace(/\/$/, '') : '';
  const model = typeof svc.txt?.model === 'string' ? svc.txt.model : typeof svc.txt?.printer_type === 'string' ? svc.txt.printer_type : null;
  return { kind: resolved, name: svc.name, address: `http://${host}:${svc.port}${path}`, serial: null, model, via: 'mdns' };
}

/** Browses the service types until `close`; every printer found goes to `onFound`. */
export function browseMdns(onFound: (p: DiscoveredPrinter) => void): { close(): void } {
  let bonjour: Bonjour;
  try {
    bonjour = new Bonjour({}, () => undefined);
  } catch {
    return { close: () => undefined };
  }
  const browsers = MDNS_TYPES.map(({ type, kind }) =>
    bonjour.find({ type }, (svc: Service) => {
      const found = serviceToPrinter(kind, svc as unknown as MdnsService);
      if (found) onFound(found);
    }),
  );
  return {
    close: () => {
      for (const b of browsers) b.stop();
      bonjour.destroy();
    },
  };
}

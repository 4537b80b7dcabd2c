import { Bonjour, type Service } from 'bonjour-service';
import type { DiscoveredPrinter, LanKind } from '../../contract/lan-types';

/**
 * The DNS-SD service types printers announce. PrusaLink registers three, all named "PrusaLink at <host>"
 * with TXT path=/: `_prusalink._tcp`, `_http._tcp`, and `_octoprint._tcp` so older PrusaSlicer finds it —
 * verified in prusa3d/Prusa-Link, prusa/link/service_discovery.py (`_register` → `_register_service(
 * "PrusaLink", "prusalink" | "http" | "octoprint", port)`, type `_{service_type}._tcp.local.`). The type is
 * `prusalink`, not `prusa-link`. Prusa's printer firmware (prusa3d/Prusa-Firmware-Buddy, lib/WUI/wui.cpp)
 * announces its PrusaLink through its own `mdns_resp_add_service_prusalink`; the plain-HTTP rule below
 * still catches a Prusa that only announces `_http._tcp` with a Prusa name or TXT record.
 */
export const MDNS_TYPES: { type: string; kind: LanKind | 'http' }[] = [
  { type: 'octoprint', kind: 'octoprint' },
  { type: 'moonraker', kind: 'moonraker' },
  { type: 'prusalink', kind: 'prusalink' },
  { type: 'http', kind: 'http' },
];

/** An HTTP service that is a Prusa printer by its name or TXT record. */
function looksLikePrusa(svc: MdnsService): boolean {
  return /prusa/i.test(svc.name) || /prusa/i.test(JSON.stringify(svc.txt ?? {}));
}

/**
 * PrusaLink's own instance name ("PrusaLink at <host>"). Stricter than `looksLikePrusa` on purpose: an
 * OctoPrint driving a Prusa is often named "prusa-mk3" and is a real OctoPrint.
 */
const announcedByPrusaLink = (svc: MdnsService) => /^prusa\s?link at /i.test(svc.name);

export interface MdnsService {
  name: string;
  host?: string;
  port: number;
  addresses?: string[];
  txt?: Record<string, unknown>;
}

/**
 * Maps one announced service onto a printer. Plain HTTP services count only when they look like a Prusa,
 * and an `_octoprint` service that PrusaLink announced is listed as PrusaLink (so it is listed once).
 */
export function serviceToPrinter(kind: LanKind | 'http', svc: MdnsService): DiscoveredPrinter | null {
  let resolved: LanKind;
  if (kind === 'http') {
    if (!looksLikePrusa(svc)) return null;
    resolved = 'prusalink';
  } else if (kind === 'octoprint' && announcedByPrusaLink(svc)) resolved = 'prusalink';
  else resolved = kind;
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
      const found = serviceToPrinter(kind, svc);
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

import type { DiscoveredPrinter } from '../../contract/lan-types';
import { browseMdns } from './mdns';
import { listenBambuSsdp } from './ssdp';

export interface ScanOptions {
  timeoutMs: number;
  ssdpPort?: number;
  mdns?: boolean;
  onFound?: (p: DiscoveredPrinter) => void;
}

/** Listens for a while and returns each printer once (by kind and address), in the order found. */
export async function scanLan(opts: ScanOptions): Promise<DiscoveredPrinter[]> {
  const found = new Map<string, DiscoveredPrinter>();
  const add = (p: DiscoveredPrinter) => {
    const key = `${p.kind}|${p.address}|${p.serial ?? ''}`;
    if (found.has(key) || found.size >= 500) return;
    found.set(key, p);
    opts.onFound?.(p);
  };
  const ssdp = await listenBambuSsdp(add, opts.ssdpPort !== undefined ? { port: opts.ssdpPort } : {});
  const mdns = opts.mdns === false ? null : browseMdns(add);
  await new Promise((r) => setTimeout(r, opts.timeoutMs));
  ssdp?.close();
  mdns?.close();
  return [...found.values()];
}

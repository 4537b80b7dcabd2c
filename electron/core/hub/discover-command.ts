import type { DiscoveredPrinter } from '../contract/lan-types';

/** `discover_printers` as the cloud sends it (cloud-hub.md "Cloud → hub"). */
export interface DiscoverCommand {
  type: 'discover_printers';
  command_id: string;
}

export interface DiscoverCommandDeps {
  /** The same LAN scan as the app's "find printers" (mDNS and Bambu SSDP). */
  discover(opts: { timeoutMs: number }): Promise<DiscoveredPrinter[]>;
  send(message: Record<string, unknown> & { type: string }): boolean;
}

/** Long enough for mDNS and SSDP answers, well inside the cloud's 30 s for an ack. */
const SCAN_MS = 5000;

/**
 * Scans the LAN for the cloud and answers `printer_discovered` with what was found (addresses, names, models,
 * Bambu serials: nothing secret), then acknowledges the command; a scan that fails is acknowledged with why.
 */
export async function runDiscoverCommand(cmd: DiscoverCommand, deps: DiscoverCommandDeps): Promise<void> {
  try {
    const found = await deps.discover({ timeoutMs: SCAN_MS });
    deps.send({ type: 'printer_discovered', printers: found.map(toCloud) });
    deps.send({ type: 'command_ack', command_id: cmd.command_id, success: true });
  } catch (err) {
    deps.send({ type: 'command_ack', command_id: cmd.command_id, success: false, error: err instanceof Error ? err.message : String(err) });
  }
}

function toCloud(p: DiscoveredPrinter): Record<string, unknown> {
  return {
    ip_address: hostOf(p.address),
    kind: p.kind,
    name: p.name,
    ...(p.model ? { model: p.model } : {}),
    ...(p.serial ? { serial_number: p.serial } : {}),
  };
}

/** A base URL's host (OctoPrint, Moonraker, PrusaLink) or the address as it is (Bambu). */
function hostOf(address: string): string {
  try {
    return new URL(address).hostname;
  } catch {
    return address;
  }
}

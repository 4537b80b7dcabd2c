import { listSerialPorts, type ListDeps } from '../../core/printers/serial/list-ports';
import { parseArgs, UsageError, type CommandIo } from '../args';
import { savedUsbPrinters } from './saved-printers';

export const PORTS_USAGE = `Usage: apf ports [--json] [--data DIR]
  Lists the serial ports a USB printer may be on, and which saved printer already uses each.
  --json       print {"method":…,"ports":[…]} instead of a table (each port with "savedPrinter" or null)
  --data DIR   data folder whose saved printers to match (default: the desktop app's folder, or $APF_DATA_DIR)`;

export async function portsCommand(args: string[], io: CommandIo, deps: ListDeps = {}): Promise<number> {
  if (args.includes('--help')) {
    io.stdout(PORTS_USAGE);
    return 0;
  }
  const parsed = parseArgs(args, { json: 'boolean', data: 'string' });
  if (parsed.positionals.length) throw new UsageError(`Unexpected argument ${parsed.positionals[0]}.`);
  const listing = await listSerialPorts(deps);
  const saved = savedUsbPrinters(parsed.values.data);
  if (saved.problem) io.stderr(`(saved printers not shown: ${saved.problem})`);
  const owner = (port: { path: string; device: string }) => saved.printers.find((p) => p.port === port.path || p.port === port.device) ?? null;
  if (parsed.values.json) {
    const ports = listing.ports.map((p) => ({ ...p, savedPrinter: owner(p) && { id: owner(p)!.id, name: owner(p)!.name } }));
    io.stdout(JSON.stringify({ ...listing, ports }));
    return 0;
  }
  if (listing.fallbackReason) io.stderr(`(${listing.fallbackReason}; scanned /dev instead)`);
  if (!listing.ports.length) {
    io.stdout('No serial ports found. Plug the printer in by USB and switch it on, then try again.');
    return 0;
  }
  for (const p of listing.ports) {
    const used = owner(p);
    io.stdout(`${p.path === p.device ? p.label : `${p.path}\n    -> ${p.device}`}${used ? `\n    saved as "${used.name}"` : ''}`);
  }
  return 0;
}

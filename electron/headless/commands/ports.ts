import { listSerialPorts, type ListDeps } from '../../core/printers/serial/list-ports';
import { parseArgs, UsageError, type CommandIo } from '../args';

export const PORTS_USAGE = `Usage: apf ports [--json]
  Lists the serial ports a USB printer may be on.
  --json   print {"method":…,"ports":[…]} instead of a table`;

export async function portsCommand(args: string[], io: CommandIo, deps: ListDeps = {}): Promise<number> {
  if (args.includes('--help')) {
    io.stdout(PORTS_USAGE);
    return 0;
  }
  const parsed = parseArgs(args, { json: 'boolean' });
  if (parsed.positionals.length) throw new UsageError(`Unexpected argument ${parsed.positionals[0]}.`);
  const listing = await listSerialPorts(deps);
  if (parsed.flags.has('json')) {
    io.stdout(JSON.stringify(listing));
    return 0;
  }
  if (listing.fallbackReason) io.stderr(`(${listing.fallbackReason}; scanned /dev instead)`);
  if (!listing.ports.length) {
    io.stdout('No serial ports found. Plug the printer in by USB and switch it on, then try again.');
    return 0;
  }
  for (const p of listing.ports) io.stdout(p.path === p.device ? p.label : `${p.path}\n    -> ${p.device}`);
  return 0;
}

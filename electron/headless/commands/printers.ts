import { CAPABILITIES, type PrinterView } from '../../core/contract';
import { intFlag, parseArgs, UsageError, type CommandIo } from '../args';
import { openCliCore } from './lan-core';

export const PRINTERS_USAGE = `Usage: apf printers --json [--wait-ms N] [--data DIR]
  Connects to every saved printer for a few seconds and prints each one's id, name, kind, live state and
  temperatures as a JSON array. Exits 1 when a printer refused its key or has none saved here (the list is
  still printed; the printers are named on stderr).
  --wait-ms N   longest wait for printers to answer (default 3000)
  --data DIR    data folder (default: the desktop app's folder, or $APF_DATA_DIR)`;

/** Connected, or failed with a reason: either way the printer has said what it is. */
const settled = (p: PrinterView) => p.status.state.kind !== 'connecting' && !(p.status.state.kind === 'offline' && p.status.state.reason === null);

export async function printersCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help')) {
    io.stdout(PRINTERS_USAGE);
    return 0;
  }
  const parsed = parseArgs(args, { json: 'boolean', 'wait-ms': 'string', data: 'string' });
  if (parsed.positionals.length) throw new UsageError(`Unexpected argument ${parsed.positionals[0]}.`);
  if (!parsed.values.json) throw new UsageError('Only --json output exists for now: apf printers --json.');
  const waitMs = intFlag(parsed.values['wait-ms'], 'wait-ms', 0, 30_000) ?? 3000;
  const { core, close } = openCliCore(parsed.values.data, io);
  try {
    const all = { capabilities: new Set(CAPABILITIES) };
    const list = async () => {
      const out = await core.dispatch('printers.list', undefined, all);
      return out.ok ? (out.result as PrinterView[]) : [];
    };
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, waitMs);
      const off = core.events.subscribe((name) => {
        if (name === 'printer.status') void list().then((ps) => ps.every(settled) && finish());
      });
      void list().then((ps) => ps.every(settled) && finish());
      function finish() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
    const printers = (await list()).map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      state: p.status.state.kind,
      ...(p.status.state.kind === 'offline' && p.status.state.reason ? { reason: p.status.state.reason } : {}),
      // A key that must be entered again (not saved on this computer, or refused by the printer).
      ...(p.status.state.kind === 'offline' && p.status.state.credential ? { credential: p.status.state.credential.problem } : {}),
      ...(p.status.state.kind === 'printing' || p.status.state.kind === 'paused' ? { job: { fileName: p.status.state.job.fileName, fraction: p.status.state.job.fraction } } : {}),
      temperatures: p.status.temperatures,
    }));
    io.stdout(JSON.stringify(printers, null, 2));
    const needKey = printers.filter((p) => 'credential' in p);
    for (const p of needKey) io.stderr(`apf printers: ${p.name} ${p.credential === 'refused' ? 'refused its key' : 'has no key saved on this computer'}: ${p.reason ?? ''}`.trim());
    return needKey.length ? 1 : 0;
  } finally {
    await close();
  }
}

import { parseArgs } from 'node:util';
import { UsageError, type CommandIo } from './args';
import { serveCommand } from './commands/serve';
import { appVersion } from './version';

type Command = (args: string[], io: CommandIo) => Promise<number>;

const lazy =
  (load: () => Promise<Command>): Command =>
  async (args, io) =>
    (await load())(args, io);

// Commands load their modules on demand so `apf serve` does not pay for the G-code analyzer and vice versa.
// Every command takes --data DIR, so a farm's scripts can pass it to all of them. Commands that keep nothing in
// a data folder (`dataFree`) get it checked and removed here instead of each rejecting it as unknown.
const COMMANDS: Record<string, { run: Command; summary: string; dataFree?: true }> = {
  serve: { run: serveCommand, summary: 'serve the interface to a browser (headless farm PC)' },
  analyze: { run: lazy(async () => (await import('./commands/analyze')).analyzeCommand), summary: "read a G-code file's metadata and estimate it (--json)", dataFree: true },
  print: { run: lazy(async () => (await import('./commands/print')).printCommand), summary: 'stream a G-code file to a USB printer with a progress bar' },
  ports: { run: lazy(async () => (await import('./commands/ports')).portsCommand), summary: 'list serial ports a USB printer may be on (--json)' },
  printer: {
    run: lazy(async () => (await import('./commands/printer-add')).printerCommand),
    summary: 'add a network printer: apf printer add --kind octoprint|moonraker|prusalink|bambu --url …',
  },
  printers: { run: lazy(async () => (await import('./commands/printers')).printersCommand), summary: 'connect to every saved printer and print their live state (--json)' },
  hub: { run: lazy(async () => (await import('./commands/hub')).hubCommand), summary: 'this data folder as a cloud hub: apf hub status|link|unlink|publish' },
  login: { run: lazy(async () => (await import('./commands/login')).signInCommand('login')), summary: 'sign in with AutoPrintFarm with a code typed on another device' },
  logout: { run: lazy(async () => (await import('./commands/login')).signInCommand('logout')), summary: 'sign out of AutoPrintFarm and revoke the sign-in' },
  'virtual-printer': {
    run: lazy(async () => (await import('./commands/virtual-printer')).virtualPrinterCommand),
    summary: 'simulate a Marlin printer on a pseudo-terminal (--pty)',
    dataFree: true,
  },
};

const USAGE = () => `AutoPrintFarm ${appVersion()}
Usage: apf <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`)
  .join('\n')}

Every command accepts --data DIR (the data folder; default: the desktop app's folder, or $APF_DATA_DIR).
Run apf <command> --help for a command's options.`;

/** Removes `--data DIR` / `--data=DIR` from the arguments of a command that keeps no data. */
export function withoutDataFlag(args: readonly string[]): string[] {
  // Only --data is known here: parseArgs (strict off) leaves every other argument where it is, and after `--`
  // nothing is a flag. Its tokens say which argument positions --data and its value took.
  const { tokens } = parseArgs({ args: [...args], options: { data: { type: 'string' } }, strict: false, allowPositionals: true, tokens: true });
  const taken = new Set<number>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name !== 'data') continue;
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) throw new UsageError('--data needs a value.');
    taken.add(token.index);
    if (!token.inlineValue) taken.add(token.index + 1);
  }
  return args.filter((_, i) => !taken.has(i));
}

export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(appVersion());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`apf: unknown command "${name}".\n\n${USAGE()}`);
    return 2;
  }
  try {
    return await command.run(command.dataFree ? withoutDataFlag(rest) : rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`apf ${name}: ${err.message}`);
      return 2;
    }
    io.stderr(`apf ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

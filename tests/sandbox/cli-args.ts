export interface CliOptions {
  port: number;
  dbFile: string;
  rateLimitPerHour: number;
}

export type CliParse = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export const USAGE = `Usage: npm run sandbox -- [--port N] [--db FILE|:memory:] [--rate-limit N]

  --port N        TCP port on 127.0.0.1 (default 8787; 0 picks a free port)
  --db FILE       SQLite database file, kept between runs (default :memory:, lost on exit)
  --rate-limit N  requests per key per hour (default 1000)`;

/** Parses the sandbox's command line; `--flag value` and `--flag=value` both work. */
export function parseCliArgs(argv: readonly string[]): CliParse {
  const options: CliOptions = { port: 8787, dbFile: ':memory:', rateLimitPerHour: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const flag = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    let value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : undefined;
    if (!['--port', '--db', '--rate-limit'].includes(flag)) {
      return { kind: 'error', message: `Unknown argument "${arg}".` };
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) return { kind: 'error', message: `${flag} needs a value.` };
    }
    if (flag === '--port') {
      const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
      if (!(port >= 0 && port <= 65535)) {
        return { kind: 'error', message: `--port must be a whole number from 0 to 65535, got "${value}".` };
      }
      options.port = port;
    } else if (flag === '--db') {
      if (value === '') return { kind: 'error', message: '--db needs a file path or :memory:.' };
      options.dbFile = value;
    } else {
      const limit = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
      if (!(limit >= 1)) return { kind: 'error', message: `--rate-limit must be a whole number of at least 1, got "${value}".` };
      options.rateLimitPerHour = limit;
    }
  }
  return { kind: 'run', options };
}

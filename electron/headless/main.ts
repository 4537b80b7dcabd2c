import { runCli } from './cli';
import { processTerminal } from './secret-input';

// Everything apf creates (settings, database, library, downloads, logs, certificates) is the user's alone, as on the desktop.
process.umask(0o077);

const io = {
  stdout: (s: string) => void process.stdout.write(`${s}\n`),
  stderr: (s: string) => void process.stderr.write(`${s}\n`),
  terminal: processTerminal(),
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`apf: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

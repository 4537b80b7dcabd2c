// Runs `apf virtual-printer` from source, for the subprocess test (the integrator wires it into `apf`).
import { virtualPrinterCommand } from '../../../electron/headless/commands/virtual-printer';

const io = {
  stdout: (s: string) => void process.stdout.write(`${s}\n`),
  stderr: (s: string) => void process.stderr.write(`${s}\n`),
};
virtualPrinterCommand(process.argv.slice(2), io).then(
  (code) => process.exit(code),
  (err: unknown) => {
    io.stderr(`virtual-printer: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);

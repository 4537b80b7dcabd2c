import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './args';

/**
 * Where a command reads a secret from: never the command line, which every user of the machine can read
 * (`ps`, /proc/<pid>/cmdline) and which shells keep in their history. In order of precedence:
 *   1. `--<name>-file FILE` (FILE `-` is standard input), the file read and trimmed;
 *   2. an environment variable (readable only by the user who started the process);
 *   3. a prompt without echo, when standard input is a terminal.
 */
export interface SecretTerminal {
  /** True when standard input is an interactive terminal, so a prompt can be answered. */
  readonly isTTY: boolean;
  /** Everything on standard input until it ends. */
  readAll(): Promise<string>;
  /** Asks on the terminal without echoing the answer; resolves with the line typed. */
  promptHidden(question: string): Promise<string>;
}

export interface SecretSource {
  /** The flag that must not carry the secret itself (`key` for --key). */
  flag: string;
  /** The file flag that replaces it (`key-file` for --key-file). */
  fileFlag: string;
  /** The environment variable that may hold it. */
  envVar: string;
  /** How the secret is named in messages and the prompt: "API key", "access code". */
  what: string;
}

/** The secret's longest accepted length, as the credential store's. */
const MAX_LENGTH = 512;

/**
 * Refuses a secret passed as a flag value (`--key VALUE`, `--key=VALUE`, or a bare `--key`), saying why and what to
 * use instead. Call before parsing the flags so the message is this one, not "unknown option". Never echoes the value.
 */
export function refuseSecretFlags(args: readonly string[], sources: readonly SecretSource[]): void {
  for (const arg of args) {
    if (arg === '--') return;
    for (const s of sources) {
      if (arg === `--${s.flag}` || arg.startsWith(`--${s.flag}=`)) {
        throw new UsageError(
          `--${s.flag} is no longer accepted: a ${s.what} on the command line can be read by every user of this computer (ps) and stays in your shell history. ` +
            `Use --${s.fileFlag} FILE (a file only you can read, or - for standard input), set ${s.envVar}, or leave it out to be asked for it.`,
        );
      }
    }
  }
}

/**
 * Reads the secret from the first source given. `null` when none is given and there is no terminal to ask on,
 * or the user pressed Enter at an optional prompt. Throws UsageError with a clear message on any other problem.
 */
export async function readSecret(
  source: SecretSource,
  opts: { file: string | undefined; env: Record<string, string | undefined>; terminal: SecretTerminal | null; required: boolean; platform?: NodeJS.Platform },
): Promise<string | null> {
  const platform = opts.platform ?? process.platform;
  if (opts.file !== undefined) {
    const text = opts.file === '-' ? await readStdin(source, opts.terminal) : readSecretFile(source, opts.file, platform);
    return checked(source, text.trim(), `--${source.fileFlag}`);
  }
  const fromEnv = opts.env[source.envVar];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return checked(source, fromEnv.trim(), source.envVar);
  if (opts.terminal?.isTTY) {
    const answer = (await opts.terminal.promptHidden(`${capital(source.what)}${opts.required ? '' : ' (Enter for none)'}: `)).trim();
    if (answer === '') {
      if (opts.required) throw new UsageError(`No ${source.what} was entered.`);
      return null;
    }
    return checked(source, answer, 'the prompt');
  }
  return null;
}

async function readStdin(source: SecretSource, terminal: SecretTerminal | null): Promise<string> {
  if (!terminal) throw new UsageError(`--${source.fileFlag} - reads standard input, which this command cannot read here.`);
  if (terminal.isTTY)
    throw new UsageError(`--${source.fileFlag} - reads standard input, which is a terminal: pipe the ${source.what} in, or leave the flag out to be asked for it.`);
  return terminal.readAll();
}

/**
 * Reads a secret file. One that group or others may read is refused (as ssh refuses such a private key): the secret
 * has already leaked to them, and a warning would scroll by unseen in a script. `chmod 600 FILE` fixes it.
 * Pipes and devices (`<(pass show …)`, /dev/stdin) are not checked: they have no lasting contents.
 */
function readSecretFile(source: SecretSource, file: string, platform: NodeJS.Platform): string {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    throw new UsageError(`Cannot read the ${source.what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
  }
  if (st.isDirectory()) throw new UsageError(`The ${source.what} file ${file} is a folder.`);
  if (platform !== 'win32' && st.isFile() && (st.mode & 0o044) !== 0) {
    throw new UsageError(
      `The ${source.what} file ${file} can be read by other users (mode ${(st.mode & 0o777).toString(8).padStart(3, '0')}), so it was not used. ` +
        `Make it private with: chmod 600 ${file}`,
    );
  }
  if (st.isFile() && st.size > 64 * 1024) throw new UsageError(`The ${source.what} file ${file} is too large to hold a ${source.what}.`);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read the ${source.what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
  }
}

function checked(source: SecretSource, secret: string, from: string): string {
  if (secret === '') throw new UsageError(`The ${source.what} from ${from} is empty.`);
  if (secret.length > MAX_LENGTH) throw new UsageError(`The ${source.what} from ${from} is longer than ${MAX_LENGTH} characters; is it the right file?`);
  if (/[\r\n]/.test(secret)) throw new UsageError(`The ${source.what} from ${from} has more than one line; put only the ${source.what} in it.`);
  return secret;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The process's own terminal: standard input, and a prompt on standard error with echo off (raw mode). */
export function processTerminal(): SecretTerminal {
  const stdin = process.stdin;
  return {
    isTTY: stdin.isTTY === true,
    async readAll() {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks).toString('utf8');
    },
    promptHidden: (question) => promptHidden(question),
  };
}

function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let answer = '';
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (text: string) => {
      for (const ch of text) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(null);
        if (ch === '\u0003') return done(new UsageError('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else if (ch >= ' ') answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}

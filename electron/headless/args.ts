import { parseArgs as parseArgv } from 'node:util';
import type { SecretTerminal } from './secret-input';

/** A command line that does not say what it means: the command exits 2 with this message. */
export class UsageError extends Error {}

/** Each flag a command takes, as `--name VALUE` ('string') or a bare `--name` ('boolean'). */
export type FlagSpec = Record<string, 'string' | 'boolean'>;

/** The flags given, typed by their spec: a string flag's value, `true` for a boolean one, absent when not given. */
export type FlagValues<S extends FlagSpec> = { [K in keyof S]?: S[K] extends 'string' ? string : true };

export interface ParsedArgs<S extends FlagSpec> {
  values: FlagValues<S>;
  positionals: string[];
}

/**
 * Strict flags on `node:util` parseArgs: unknown flags are errors, so a typo never silently does something else.
 * parseArgs splits the command line (`--name=value`, `--name value`, `--`, short flags) and we check its tokens
 * rather than let its strict mode throw, so every mistake is reported in the commands' own words.
 */
export function parseArgs<const S extends FlagSpec>(args: readonly string[], spec: S): ParsedArgs<S> {
  const options = Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }]));
  const { tokens, positionals } = parseArgv({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | true> = {};
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const type = Object.hasOwn(spec, token.name) ? spec[token.name] : undefined;
    if (!type) throw new UsageError(`Unknown option ${token.rawName}.`);
    if (type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`--${token.name} takes no value.`);
      values[token.name] = true;
      continue;
    }
    // parseArgs takes the next argument as the value whatever it is; a flag there means the value was forgotten.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) throw new UsageError(`--${token.name} needs a value.`);
    values[token.name] = token.value;
  }
  return { values: values as FlagValues<S>, positionals };
}

/** A whole-number flag within [min, max], or undefined when not given. */
export function intFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}.`);
  return Number(value);
}

export interface CommandIo {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Standard input, for a secret piped in or typed at a prompt; absent when the command cannot read it (tests). */
  terminal?: SecretTerminal | null;
  /** The environment a secret may come from; the process's own when absent. */
  env?: Record<string, string | undefined>;
}

/** Line-level helpers shared by the simulated firmware: checksums, C-style number parsing, word parsing. */

/** XOR of every character code, the checksum Marlin expects after `*`. */
export function xorChecksum(text: string): number {
  let cs = 0;
  for (let i = 0; i < text.length; i++) cs ^= text.charCodeAt(i) & 0xff;
  return cs;
}

/** Formats `N<n> <command>*<cs>` the way hosts send it. Handy for tests and tools. */
export function numberedLine(n: number, command: string): string {
  const body = `N${n} ${command}`;
  return `${body}*${xorChecksum(body)}`;
}

/**
 * Parses a leading integer like C's strtol(s, nullptr, 10): skips leading whitespace, takes an optional
 * sign and as many digits as follow, and yields 0 when there are none. Marlin relies on exactly this.
 */
export function strtol(s: string): number {
  const m = /^\s*([-+]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1]!, 10) : 0;
}

export interface ParsedCommand {
  /** `G`, `M` or `T`; null when the line does not start with a command letter. */
  letter: 'G' | 'M' | 'T' | null;
  code: number;
  /** The command as Marlin echoes it in "Unknown command" (no line number, no checksum). */
  text: string;
  /** Everything after the command word, for M117/M118 style text arguments. */
  rest: string;
  params: Map<string, number | null>;
}

/**
 * Splits a queued line into its command and parameters. The line number prefix and the checksum are
 * ignored here (they were validated when the line was read), just as Marlin's parser skips them.
 */
export function parseCommand(line: string): ParsedCommand {
  let p = line.trimStart();
  const n = /^N\s*[-+]?\d+\s*/.exec(p);
  if (n) p = p.slice(n[0].length);
  const star = p.lastIndexOf('*');
  if (star !== -1) p = p.slice(0, star);
  const text = p.trimEnd();
  const head = /^([GMT])\s*(\d+)(?:\.\d+)?/.exec(text);
  const params = new Map<string, number | null>();
  if (!head) return { letter: null, code: -1, text, rest: text, params };
  const rest = text.slice(head[0].length).trimStart();
  const word = /([A-Z])\s*([-+]?(?:\d+\.?\d*|\.\d+))?/g;
  for (let m = word.exec(rest); m; m = word.exec(rest)) {
    if (!params.has(m[1]!)) params.set(m[1]!, m[2] === undefined ? null : Number(m[2]));
  }
  return { letter: head[1] as 'G' | 'M' | 'T', code: Number(head[2]), text, rest, params };
}

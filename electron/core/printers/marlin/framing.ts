/**
 * Line framing for the Marlin host protocol: checksums, `N<n> <cmd>*<xor>` lines, comment stripping,
 * and the small command classifications the host needs (which commands block, which are emergencies).
 */

/** XOR of every character code; Marlin compares it, as a decimal number, with the one after `*`. */
export function xorChecksum(text: string): number {
  let cs = 0;
  for (let i = 0; i < text.length; i++) cs ^= text.charCodeAt(i) & 0xff;
  return cs;
}

/** `N<n> <cmd>*<cs>` without the trailing newline. */
export function frameLine(lineNumber: number, command: string): string {
  const body = `N${lineNumber} ${command}`;
  return `${body}*${xorChecksum(body)}`;
}

/** Parses a framed line back (used by tests and fakes); null when the checksum or shape is wrong. */
export function parseFramedLine(line: string): { lineNumber: number; command: string } | null {
  const m = /^N(-?\d+) (.*)\*(\d+)$/.exec(line.trim());
  if (!m) return null;
  const star = line.trim().lastIndexOf('*');
  if (xorChecksum(line.trim().slice(0, star)) !== Number(m[3])) return null;
  return { lineNumber: Number(m[1]), command: m[2]! };
}

/**
 * Removes `;` comments and surrounding whitespace. Returns '' for lines with nothing to send.
 * Parenthesised comments are left alone: Marlin only understands them with PAREN_COMMENTS, and a
 * `(` can be part of an M117 message.
 */
export function stripComment(line: string): string {
  const semi = line.indexOf(';');
  const code = semi === -1 ? line : line.slice(0, semi);
  return code.trim();
}

/** The command word, upper-cased: `G28`, `M109`, `T0`; '' when the line has none. */
export function commandCode(command: string): string {
  const m = /^\s*(?:N\d+\s+)?([GMT])0*(\d+)/i.exec(command);
  return m ? `${m[1]!.toUpperCase()}${m[2]}` : '';
}

/**
 * Commands the firmware may take a long time to acknowledge. While one is in flight the host suspends
 * its `ok` timeout (the firmware answers `busy:` meanwhile when it can) and does not poll M105.
 */
const BLOCKING = new Set([
  'G4',
  'G28',
  'G29',
  'G30',
  'G32',
  'G33',
  'G34',
  'G35',
  'G76',
  'M0',
  'M1',
  'M109',
  'M190',
  'M191',
  'M303',
  'M400',
  'M600',
  'M226',
  'M701',
  'M702',
  'M1002',
]);

export function isBlockingCommand(command: string): boolean {
  return BLOCKING.has(commandCode(command));
}

/** Commands Marlin's emergency parser acts on ahead of its queue. The host writes them immediately, unnumbered. */
const EMERGENCY = new Set(['M112', 'M108', 'M410', 'M876']);

export function isEmergencyCommand(command: string): boolean {
  return EMERGENCY.has(commandCode(command));
}

/** Bytes on the wire for one line (ASCII), including the newline. */
export function wireBytes(framed: string): number {
  return framed.length + 1;
}

import type { FirmwareFaults } from './fault-injection';
import { strtol, xorChecksum } from './gcode-line';
import { isIncomingNoise, type AnswerNoise } from './line-noise';

export type LineVerdict =
  /** Queue it; a numbered line (`n`) becomes the last line, `noise` strikes its answer. */
  | { kind: 'accept'; n: number | null; lineNumber: number; noise?: AnswerNoise }
  /** Marlin's `Error:<reason><last line>`, then Resend and ok; `injected` when the fault dice did it. */
  | { kind: 'reject'; reason: string; garbleResend?: boolean; injected?: boolean }
  /** The link drops as this line is read. */
  | { kind: 'disconnect' };

const NOT_NEXT = 'Line Number is not Last Line Number+1, Last Line: ';
const MISMATCH = 'checksum mismatch, Last Line: ';

/**
 * Validates one received line exactly as Marlin does (line number after the last, checksum present and right;
 * M110 may set any number), then lets the injected faults strike it.
 */
export function checkLine(line: string, lastN: number, faults: FirmwareFaults): LineVerdict {
  const command = line.replace(/^ +/, '');
  if (!command.startsWith('N')) return { kind: 'accept', n: null, lineNumber: lastN };
  const n = strtol(command.slice(1));
  if (faults.disconnectsAt(n)) return { kind: 'disconnect' };
  const isM110 = command.includes('M110');
  let npos = command;
  if (isM110) {
    const n2 = command.indexOf('N', 4);
    if (n2 !== -1) npos = command.slice(n2);
  }
  const gcodeN = strtol(npos.slice(1));
  if (gcodeN !== lastN + 1 && !isM110) return { kind: 'reject', reason: NOT_NEXT };
  const star = command.lastIndexOf('*');
  if (star === -1) return { kind: 'reject', reason: 'No Checksum with line number, Last Line: ' };
  if (strtol(command.slice(star + 1)) !== xorChecksum(command.slice(0, star))) return { kind: 'reject', reason: MISMATCH };
  if (faults.corruptsLine()) return { kind: 'reject', reason: MISMATCH, injected: true };
  const noise = isM110 ? null : faults.noiseFor(gcodeN);
  if (noise === 'checksum') return { kind: 'reject', reason: MISMATCH };
  if (noise === 'line-number') return { kind: 'reject', reason: NOT_NEXT };
  if (noise === 'lost-resend') return { kind: 'reject', reason: MISMATCH, garbleResend: true };
  return noise && !isIncomingNoise(noise) ? { kind: 'accept', n, lineNumber: gcodeN, noise } : { kind: 'accept', n, lineNumber: gcodeN };
}

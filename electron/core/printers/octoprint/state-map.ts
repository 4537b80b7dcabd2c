import type { PrinterState, Temperatures } from '../model';

/** OctoPrint's printer state as its REST API and push `current` messages report it. */
export interface OctoState {
  text?: string;
  flags?: Partial<Record<'operational' | 'printing' | 'paused' | 'pausing' | 'cancelling' | 'error' | 'closedOrError' | 'ready', boolean>>;
  error?: string;
}

export interface OctoJob {
  job?: { file?: { name?: string | null; path?: string | null } };
  progress?: { completion?: number | null; printTimeLeft?: number | null };
}

export type OctoTemps = Record<string, { actual?: number | null; target?: number | null } | undefined>;

export const NOT_CONNECTED = 'OctoPrint is running but not connected to the printer. Press Connect to have OctoPrint connect to it with its saved port and baud rate.';

/**
 * Why OctoPrint has no printer, in its own words when it gives them: after an error it reports
 * `{"text": "Offline after error", "error": "Closing serial port due to emergency stop M112."}`.
 */
export function notConnectedReason(state: OctoState | undefined): string {
  const error = state?.error?.trim();
  const text = state?.text?.trim();
  if (error) return `OctoPrint is not connected to the printer (${text ? `${text}: ` : ''}${error.replace(/[.\s]+$/, '')}). Fix the cause, then press Connect.`;
  if (text && !/^(offline|closed)$/i.test(text))
    return `OctoPrint is not connected to the printer (${text}). Press Connect to have OctoPrint connect to it with its saved port and baud rate.`;
  return NOT_CONNECTED;
}

/** Which of OctoPrint's terminal lines the console shows, and which way they went. Null hides a line. */
export function consoleLine(line: string): { direction: 'sent' | 'received'; line: string } | null {
  const sent = /^Send:\s?(.*)$/.exec(line);
  if (sent) return { direction: 'sent', line: sent[1]! };
  const received = /^Recv:\s?(.*)$/.exec(line);
  const text = received ? received[1]! : line;
  // Polled once a second by OctoPrint itself while idle: noise that would bury everything else.
  if (/^Not SD printing\.?$/i.test(text.trim())) return null;
  return { direction: 'received', line: text };
}

export function octoTemperatures(t: OctoTemps | undefined, prev: Temperatures): Temperatures {
  if (!t) return prev;
  const read = (r: { actual?: number | null; target?: number | null } | undefined) => (r ? { actual: r.actual ?? 0, target: r.target ?? 0 } : null);
  return { hotend: read(t.tool0) ?? prev.hotend, bed: read(t.bed) ?? prev.bed };
}

/** Maps flags to the common state; `job` builds the job figures only when a job state needs them. */
export function octoState(
  state: OctoState | undefined,
  job: () => { fileName: string; fraction: number; remainingSeconds: number | null },
): PrinterState | { kind: 'printer-offline' } {
  const f = state?.flags ?? {};
  if (f.error) return { kind: 'error', message: state?.error || state?.text || 'OctoPrint reports a printer error.' };
  if (f.closedOrError) return { kind: 'printer-offline' };
  // Opening the serial port, detecting the baud rate: OctoPrint is on its way to the printer.
  if (!f.operational) return { kind: 'busy', what: state?.text ? `OctoPrint: ${state.text}` : 'OctoPrint is connecting to the printer.' };
  if (f.paused || f.pausing) return { kind: 'paused', job: { ...job(), linesSent: 0, linesTotal: null, startedAt: 0 } };
  if (f.printing || f.cancelling) return { kind: 'printing', job: { ...job(), linesSent: 0, linesTotal: null, startedAt: 0 } };
  return { kind: 'idle' };
}

/**
 * Classifies one line received from a Marlin-style firmware. Pure: no state, no I/O.
 * Tolerant by design: firmware forks differ in spacing and case, and anything unknown is `other`.
 */

export interface HeaterValue {
  actual: number;
  /** null when the line carries no target (the `T:200.1 E:0 W:?` lines printed while M109 waits). */
  target: number | null;
}

/** Keys as they appear on the wire: `T` (active tool), `T0`, `T1`, `B` (bed), `C` (chamber), `P`, `A`, `R`. */
export type TemperatureReport = Record<string, HeaterValue>;

export interface ReportedPosition {
  x: number;
  y: number;
  z: number;
  e: number;
}

export interface FirmwareReport {
  name: string;
  machineType: string | null;
  fields: Record<string, string>;
}

export type MarlinResponse =
  | {
      kind: 'ok';
      /** ADVANCED_OK: the line number of the command just processed. */
      lineNumber: number | null;
      /** ADVANCED_OK: free planner slots. */
      plannerFree: number | null;
      /** ADVANCED_OK: free command-buffer slots. */
      bufferFree: number | null;
      /** Temperatures some firmware prints on the `ok` line itself (`ok T:21.3 /0.0 B:…`). */
      temperatures: TemperatureReport | null;
      text: string;
    }
  | { kind: 'resend'; lineNumber: number }
  | { kind: 'temperature'; report: TemperatureReport }
  | { kind: 'position'; position: ReportedPosition }
  | { kind: 'firmware'; report: FirmwareReport }
  | { kind: 'capability'; name: string; enabled: boolean }
  | { kind: 'busy'; reason: string }
  | { kind: 'error'; text: string; fatal: boolean }
  | { kind: 'echo'; text: string }
  | { kind: 'start' }
  | { kind: 'wait' }
  | { kind: 'action'; action: string; argument: string }
  | { kind: 'other'; text: string };

const TEMP_TOKEN = /(?:^|\s)([TBCPAR]\d?):\s*(-?\d+(?:\.\d+)?)\s*(?:\/\s*(-?\d+(?:\.\d+)?))?/g;

/** Parses `T:21.3 /0.0 B:20.1 /60.0 T0:… @:0 B@:0` into a report; null when there is no temperature in it. */
export function parseTemperatures(text: string): TemperatureReport | null {
  const report: TemperatureReport = {};
  let found = false;
  TEMP_TOKEN.lastIndex = 0;
  for (let m = TEMP_TOKEN.exec(text); m; m = TEMP_TOKEN.exec(text)) {
    const key = m[1]!;
    report[key] = { actual: Number(m[2]), target: m[3] === undefined ? null : Number(m[3]) };
    found = true;
  }
  return found ? report : null;
}

const POSITION = /^X:\s*(-?[\d.]+)\s+Y:\s*(-?[\d.]+)\s+Z:\s*(-?[\d.]+)\s+E:\s*(-?[\d.]+)/;

/** M114 and AUTOREPORT_POS lines: `X:10.00 Y:20.00 Z:5.00 E:0.00 Count X:800 …`. */
export function parsePosition(text: string): ReportedPosition | null {
  const m = POSITION.exec(text.trim());
  if (!m) return null;
  const [x, y, z, e] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (![x, y, z, e].every(Number.isFinite)) return null;
  return { x, y, z, e };
}

/** `FIRMWARE_NAME:Marlin 2.1 (Github) SOURCE_CODE_URL:https://… MACHINE_TYPE:Ender-3 EXTRUDER_COUNT:1`. */
export function parseFirmwareLine(text: string): FirmwareReport | null {
  const start = text.indexOf('FIRMWARE_NAME:');
  if (start === -1) return null;
  const body = text.slice(start);
  const fields: Record<string, string> = {};
  // Keys are upper-case words followed by a colon at the start or after a space; values may contain spaces.
  const keyRe = /(?:^|\s)([A-Z][A-Z0-9_]*):/g;
  const keys: { key: string; valueStart: number; keyStart: number }[] = [];
  for (let m = keyRe.exec(body); m; m = keyRe.exec(body)) {
    keys.push({ key: m[1]!, keyStart: m.index, valueStart: m.index + m[0].length });
  }
  keys.forEach((k, i) => {
    const end = i + 1 < keys.length ? keys[i + 1]!.keyStart : body.length;
    fields[k.key] = body.slice(k.valueStart, end).trim();
  });
  return { name: fields.FIRMWARE_NAME ?? 'unknown', machineType: fields.MACHINE_TYPE || null, fields };
}

const FATAL = [
  /printer halted/i,
  /kill\(\) called/i,
  /\bkilled\b/i,
  /maxtemp/i,
  /mintemp/i,
  /thermal runaway/i,
  /heating failed/i,
  /printer stopped due to errors/i,
  /emergency/i,
  /lost communication with mcu/i,
  /shutdown/i,
];

/** Whether an error means the firmware stopped and needs M999 or a reset. */
export function isFatalError(text: string): boolean {
  return FATAL.some((re) => re.test(text));
}

/** Classifies one received line (without its line ending). */
const PLAIN_OK: MarlinResponse = Object.freeze({ kind: 'ok', lineNumber: null, plannerFree: null, bufferFree: null, temperatures: null, text: 'ok' });

export function parseResponse(raw: string): MarlinResponse {
  // The line a streaming host sees most by far; skip the general parse for it.
  if (raw === 'ok') return PLAIN_OK;
  const text = raw.trim();
  const lower = text.toLowerCase();

  if (lower === 'ok' || lower.startsWith('ok ') || lower.startsWith('ok:')) {
    const rest = text.slice(2);
    const adv = /^\s*(?:N(\d+))?\s*(?:P(\d+))?\s*(?:B(\d+))?(?:\s|$)/.exec(rest);
    const temps = parseTemperatures(rest);
    return {
      kind: 'ok',
      lineNumber: adv?.[1] !== undefined ? Number(adv[1]) : null,
      plannerFree: adv?.[2] !== undefined ? Number(adv[2]) : null,
      bufferFree: adv?.[3] !== undefined ? Number(adv[3]) : null,
      temperatures: temps,
      text,
    };
  }

  const resend = /^(?:resend|rs)\b[:\s]*N?:?\s*(\d+)/i.exec(text);
  if (resend) return { kind: 'resend', lineNumber: Number(resend[1]) };

  if (lower === 'start') return { kind: 'start' };
  if (lower === 'wait') return { kind: 'wait' };

  const action = /^\/\/\s*action:\s*(\S+)\s*(.*)$/i.exec(text);
  if (action) return { kind: 'action', action: action[1]!.toLowerCase(), argument: action[2]!.trim() };

  const busy = /^(?:echo:\s*)?busy:\s*(.*)$/i.exec(text);
  if (busy) return { kind: 'busy', reason: busy[1]!.trim() };

  const error = /^(?:error:|!!\s*|fatal:)\s*(.*)$/i.exec(text);
  if (error) return { kind: 'error', text: error[1]!.trim(), fatal: isFatalError(error[1]!) };

  if (lower.startsWith('cap:')) {
    const cap = /^cap:\s*([A-Za-z0-9_]+)\s*:\s*(\d)/i.exec(text);
    if (cap) return { kind: 'capability', name: cap[1]!.toUpperCase(), enabled: cap[2] === '1' };
  }

  const firmware = parseFirmwareLine(text);
  if (firmware) return { kind: 'firmware', report: firmware };

  if (lower.startsWith('echo:')) {
    const body = text.slice(5).trim();
    // Some firmware (and the simulators) announce a kill as an echo rather than an Error: line.
    if (/emergency shutdown|killed/i.test(body)) return { kind: 'error', text: body, fatal: true };
    return { kind: 'echo', text: body };
  }

  const position = parsePosition(text);
  if (position) return { kind: 'position', position };

  // Temperature reports start with a heater key; `T:200.1 E:0 W:?` (M109 progress) is one too.
  if (/^(?:ok\s+)?[TBC]\d?:/.test(text)) {
    const report = parseTemperatures(text);
    if (report) return { kind: 'temperature', report };
  }

  return { kind: 'other', text };
}

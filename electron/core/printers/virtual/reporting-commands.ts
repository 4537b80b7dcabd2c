import { BED, param, positionReport, unknownCommand, type BoardConfig, type CommandHandler, type CommandTable } from './command-context';

export const VIRTUAL_FIRMWARE_VERSION = 'Marlin 2.1.2.4';
const UUID = 'cede2a2f-41a2-4748-9b12-c55c62f367ff';

/** M154/M155: position and temperature auto-reports, when the board is built with them. */
const autoReport: CommandHandler = (cmd, c) => {
  if (!c.board.autoReport) return unknownCommand(cmd, c);
  const s = param(cmd, 'S');
  if (s === undefined) return;
  c.autoReport(cmd.code === 155 ? 'temperature' : 'position', s);
};

/** M118: text to the host; `A1` makes it a `//` action line, `E1` an `echo:` line. */
const serialPrint: CommandHandler = (cmd, c) => {
  let text = cmd.rest;
  let prefix = '';
  for (let m = /^([AEP])([01])?\s*/.exec(text); m; m = /^([AEP])([01])?\s*/.exec(text)) {
    if (m[1] === 'A' && m[2] !== '0') prefix = '//';
    if (m[1] === 'E' && m[2] !== '0') prefix = 'echo:';
    text = text.slice(m[0].length);
  }
  c.emit(`${prefix}${text}`);
};

/** What the board says about itself and where it is: M114, M115, M118, M113 keepalive, auto-reports. */
export const reportingCommands: CommandTable = {
  M113: (cmd, c) => {
    const s = param(cmd, 'S');
    if (s !== undefined) c.m.keepaliveMs = Math.max(0, Math.min(60, s)) * 1000;
    else c.emit(`echo:M113 S${c.m.keepaliveMs / 1000}`);
  },
  M114: (_cmd, c) => c.emit(positionReport(c.m.pos)),
  M115: (_cmd, c) => {
    for (const l of capabilityReport(c.board)) c.emit(l);
  },
  M118: serialPrint,
  M154: autoReport,
  M155: autoReport,
};

export function capabilityReport(board: BoardConfig): string[] {
  const cap = (name: string, on: boolean) => `Cap:${name}:${on ? 1 : 0}`;
  return [
    `FIRMWARE_NAME:${VIRTUAL_FIRMWARE_VERSION} (AutoPrintFarm virtual board) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:${board.machineName} EXTRUDER_COUNT:1 UUID:${UUID}`,
    cap('SERIAL_XON_XOFF', false),
    cap('BINARY_FILE_TRANSFER', false),
    cap('EEPROM', false),
    cap('VOLUMETRIC', true),
    cap('AUTOREPORT_POS', board.autoReport),
    cap('AUTOREPORT_TEMP', board.autoReport),
    cap('PROGRESS', false),
    cap('PRINT_JOB', true),
    cap('AUTOLEVEL', true),
    cap('RUNOUT', false),
    cap('Z_PROBE', true),
    cap('LEVELING_DATA', true),
    cap('BUILD_PERCENT', true),
    cap('SOFTWARE_POWER', false),
    cap('TOGGLE_LIGHTS', false),
    cap('CASE_LIGHT_BRIGHTNESS', false),
    cap('EMERGENCY_PARSER', true),
    cap('HOST_ACTION_COMMANDS', true),
    cap('PROMPT_SUPPORT', false),
    cap('SDCARD', true),
    cap('REPEAT', false),
    cap('SD_WRITE', false),
    cap('AUTOREPORT_SD_STATUS', false),
    cap('LONG_FILENAME', true),
    cap('LFN_WRITE', false),
    cap('CUSTOM_FIRMWARE_UPLOAD', false),
    cap('EXTENDED_M20', true),
    cap('THERMAL_PROTECTION', true),
    cap('MOTION_MODES', false),
    cap('ARCS', false),
    cap('BABYSTEPPING', false),
    cap('CHAMBER_TEMPERATURE', false),
    cap('COOLER_TEMPERATURE', false),
    cap('MEATPACK', false),
    cap('CONFIG_EXPORT', false),
    // Not a real Marlin capability line (Marlin never advertises ADVANCED_OK; hosts spot it in the
    // `ok` format). A host must treat its absence as "unknown", not "off".
    cap('ADVANCED_OK', board.advancedOk),
    `area:{full:{min:{x:0.00,y:0.00,z:0.00},max:{x:${BED.x.toFixed(2)},y:${BED.y.toFixed(2)},z:${BED.z.toFixed(2)}}},work:{min:{x:0.00,y:0.00,z:0.00},max:{x:${BED.x.toFixed(2)},y:${BED.y.toFixed(2)},z:${BED.z.toFixed(2)}}}}`,
  ];
}

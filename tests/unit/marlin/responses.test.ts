import { describe, expect, it } from 'vitest';
import { parseResponse, parseTemperatures } from '../../../electron/core/printers/marlin/responses';

describe('Marlin response parser', () => {
  it('reads a plain ok', () => {
    expect(parseResponse('ok')).toMatchObject({ kind: 'ok', lineNumber: null, bufferFree: null, temperatures: null });
  });

  it('reads ADVANCED_OK line number and free planner and buffer slots', () => {
    expect(parseResponse('ok N10 P15 B3')).toMatchObject({ kind: 'ok', lineNumber: 10, plannerFree: 15, bufferFree: 3 });
    expect(parseResponse('ok P15 B3')).toMatchObject({ kind: 'ok', lineNumber: null, plannerFree: 15, bufferFree: 3 });
  });

  it('reads temperatures printed on the ok line without mistaking B: for ADVANCED_OK', () => {
    const r = parseResponse('ok T:21.30/ 0.00 B:21.30/ 60.00 @:64 B@:0');
    expect(r).toMatchObject({ kind: 'ok', bufferFree: null });
    if (r.kind !== 'ok') throw new Error('not ok');
    expect(r.temperatures).toEqual({ T: { actual: 21.3, target: 0 }, B: { actual: 21.3, target: 60 } });
  });

  it('reads all three resend forms', () => {
    expect(parseResponse('Resend: 5')).toEqual({ kind: 'resend', lineNumber: 5 });
    expect(parseResponse('Resend:6')).toEqual({ kind: 'resend', lineNumber: 6 });
    expect(parseResponse('rs 7')).toEqual({ kind: 'resend', lineNumber: 7 });
    expect(parseResponse('rs N8')).toEqual({ kind: 'resend', lineNumber: 8 });
  });

  it('reads temperature reports with several tools, bed and chamber', () => {
    expect(parseTemperatures('T:200.1 /200.0 B:60.0 /60.0 T0:200.1 /200.0 T1:25.0 /0.0 C:30.5 /0.0 @:127 B@:0')).toEqual({
      T: { actual: 200.1, target: 200 },
      B: { actual: 60, target: 60 },
      T0: { actual: 200.1, target: 200 },
      T1: { actual: 25, target: 0 },
      C: { actual: 30.5, target: 0 },
    });
    expect(parseResponse(' T:21.0 /0.0 B:20.0 /0.0 @:0 B@:0')).toMatchObject({ kind: 'temperature' });
  });

  it('reads the heating-wait progress line, which has no target', () => {
    expect(parseResponse('T:180.3 E:0 W:?')).toEqual({ kind: 'temperature', report: { T: { actual: 180.3, target: null } } });
  });

  it('reads an M114 position', () => {
    expect(parseResponse('X:10.00 Y:20.50 Z:0.30 E:-1.00 Count X:800 Y:1640 Z:120')).toEqual({
      kind: 'position',
      position: { x: 10, y: 20.5, z: 0.3, e: -1 },
    });
  });

  it('reads the M115 firmware line and capability lines', () => {
    const r = parseResponse(
      'FIRMWARE_NAME:Marlin 2.1.2.1 (Github) SOURCE_CODE_URL:https://github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:Ender-3 V2 EXTRUDER_COUNT:1 UUID:cede2a2f',
    );
    expect(r).toMatchObject({ kind: 'firmware', report: { name: 'Marlin 2.1.2.1 (Github)', machineType: 'Ender-3 V2' } });
    if (r.kind !== 'firmware') throw new Error('not firmware');
    expect(r.report.fields.SOURCE_CODE_URL).toBe('https://github.com/MarlinFirmware/Marlin');
    expect(r.report.fields.EXTRUDER_COUNT).toBe('1');
    expect(parseResponse('Cap:AUTOREPORT_TEMP:1')).toEqual({ kind: 'capability', name: 'AUTOREPORT_TEMP', enabled: true });
    expect(parseResponse('Cap:EEPROM:0')).toEqual({ kind: 'capability', name: 'EEPROM', enabled: false });
  });

  it('tells busy and echo lines apart', () => {
    expect(parseResponse('echo:busy: processing')).toEqual({ kind: 'busy', reason: 'processing' });
    expect(parseResponse('busy: paused for user')).toEqual({ kind: 'busy', reason: 'paused for user' });
    expect(parseResponse('echo:Unknown command: "G999"')).toEqual({ kind: 'echo', text: 'Unknown command: "G999"' });
  });

  it('classifies fatal errors and leaves transmission errors non-fatal', () => {
    expect(parseResponse('Error:Printer halted. kill() called!')).toMatchObject({ kind: 'error', fatal: true });
    expect(parseResponse('Error:MAXTEMP triggered, system stopped! Heater_ID: 0')).toMatchObject({ kind: 'error', fatal: true });
    expect(parseResponse('Error: MINTEMP triggered')).toMatchObject({ kind: 'error', fatal: true });
    expect(parseResponse('Error:Thermal Runaway, system stopped! Heater_ID: bed')).toMatchObject({ kind: 'error', fatal: true });
    expect(parseResponse('echo:EMERGENCY SHUTDOWN DETECTED. KILLED.')).toMatchObject({ kind: 'error', fatal: true });
    expect(parseResponse('Error:checksum mismatch, Last Line: 5')).toMatchObject({ kind: 'error', fatal: false });
    expect(parseResponse('Error:Line Number is not Last Line Number+1, Last Line: 9')).toMatchObject({ kind: 'error', fatal: false });
  });

  it('recognises a board reset and host action commands in both spellings', () => {
    expect(parseResponse('start')).toEqual({ kind: 'start' });
    expect(parseResponse('//action:pause')).toEqual({ kind: 'action', action: 'pause', argument: '' });
    expect(parseResponse('// action:notification Heating done')).toEqual({ kind: 'action', action: 'notification', argument: 'Heating done' });
    expect(parseResponse('//action:cancel')).toMatchObject({ kind: 'action', action: 'cancel' });
  });

  it('accepts CRLF leftovers and unknown text', () => {
    expect(parseResponse('ok\r')).toMatchObject({ kind: 'ok' });
    expect(parseResponse('Marlin 2.1.2')).toEqual({ kind: 'other', text: 'Marlin 2.1.2' });
  });
});

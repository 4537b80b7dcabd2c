import { describe, expect, it } from 'vitest';
import { DEFAULT_SERIAL_SETTINGS, SavedSerialSettings, SerialSettingsInput, type SerialSettings } from '../../../electron/core/contract/serial-types';
import { marlinDriverOptions } from '../../../electron/core/printers/default-drivers';
import { DEFAULT_JOB_SCRIPTS } from '../../../electron/core/printers/marlin/job-streamer';

const config = (serial: Partial<SerialSettings> = {}) => ({
  id: 'prn_1',
  name: 'Bench',
  embedded: false,
  kind: 'marlin' as const,
  port: '/dev/ttyUSB0',
  baudRate: 115200,
  serial: { ...DEFAULT_SERIAL_SETTINGS, ...serial },
});

describe('USB printer settings as Marlin driver options', () => {
  it('by default follows the window the board reports (ADVANCED_OK), one line per ok until it does, within the RX buffer', () => {
    expect(marlinDriverOptions(config()).host).toEqual({ linkName: '/dev/ttyUSB0', window: { kind: 'advancedOk', fallbackLines: 1, rxBufferBytes: 128 } });
  });

  it('streams one line per ok in safe mode', () => {
    expect(marlinDriverOptions(config({ streaming: 'safe' })).host).toEqual({ linkName: '/dev/ttyUSB0', window: { kind: 'pingpong' } });
  });

  it('uses ADVANCED_OK with the configured line window as fallback, bounded by the RX buffer, in buffered mode', () => {
    const options = marlinDriverOptions(config({ streaming: 'buffered', windowLines: 6, rxBufferBytes: 256 }));
    expect(options.host?.window).toEqual({ kind: 'advancedOk', fallbackLines: 6, rxBufferBytes: 256 });
  });

  it('splits scripts into commands, dropping comments and blank lines', () => {
    const options = marlinDriverOptions(config({ pauseScript: 'G91 ; relative\n\n  G1 Z5 F600\r\n; only a comment\nG90', heatersOffOnPause: true }));
    expect(options.scripts).toMatchObject({ pause: ['G91', 'G1 Z5 F600', 'G90'], heatersOffOnPause: true });
  });

  it('has default scripts equal to what the job streamer runs when none are configured', () => {
    expect(marlinDriverOptions(config()).scripts).toEqual(DEFAULT_JOB_SCRIPTS);
  });
});

describe('saved USB printer settings', () => {
  it('gives a printer saved before the settings existed the defaults (automatic streaming)', () => {
    expect(SavedSerialSettings.parse(undefined)).toEqual(DEFAULT_SERIAL_SETTINGS);
    expect(SavedSerialSettings.parse({ streaming: 'buffered' })).toEqual({ ...DEFAULT_SERIAL_SETTINGS, streaming: 'buffered' });
  });

  it('refuses a script with a checksum star, non-ASCII text or too many lines, saying which script', () => {
    const bad = (patch: Partial<SerialSettings>) => SerialSettingsInput.safeParse({ ...DEFAULT_SERIAL_SETTINGS, ...patch }).error?.issues[0]?.message;
    expect(bad({ cancelScript: 'M104 S0*12' })).toMatch(/cancel script contains "\*"/);
    expect(bad({ pauseScript: 'G1 Z10 ; lift 10 mm ✓' })).toMatch(/pause script contains characters/);
    expect(bad({ resumeScript: Array.from({ length: 41 }, () => 'G4').join('\n') })).toMatch(/resume script has too many lines/);
    expect(bad({ pauseScript: 'G1 Z10 ; park * here' })).toBeUndefined();
  });

  it('refuses an RX buffer smaller than any firmware has and a window of no lines', () => {
    expect(SerialSettingsInput.safeParse({ ...DEFAULT_SERIAL_SETTINGS, rxBufferBytes: 16 }).success).toBe(false);
    expect(SerialSettingsInput.safeParse({ ...DEFAULT_SERIAL_SETTINGS, windowLines: 0 }).success).toBe(false);
  });
});

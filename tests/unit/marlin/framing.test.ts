import { describe, expect, it } from 'vitest';
import { commandCode, frameLine, isBlockingCommand, isEmergencyCommand, parseFramedLine, stripComment, xorChecksum } from '../../../electron/core/printers/marlin/framing';

describe('Marlin line framing', () => {
  it('frames lines with the checksums Marlin expects', () => {
    expect(frameLine(0, 'M110 N0')).toBe('N0 M110 N0*125');
    expect(frameLine(1, 'M115')).toBe('N1 M115*39');
    expect(frameLine(2, 'M105')).toBe('N2 M105*37');
    expect(frameLine(3, 'G28')).toBe('N3 G28*16');
  });

  it('computes the checksum as the XOR of every byte before the star', () => {
    expect(xorChecksum('N3 G28')).toBe(16);
    expect(xorChecksum('')).toBe(0);
  });

  it('parses a framed line back and rejects a wrong checksum', () => {
    expect(parseFramedLine('N12 G1 X10 Y5*' + xorChecksum('N12 G1 X10 Y5'))).toEqual({ lineNumber: 12, command: 'G1 X10 Y5' });
    expect(parseFramedLine('N3 G28*17')).toBeNull();
  });

  it('strips comments and blank lines but keeps the command', () => {
    expect(stripComment('G1 X10 ; move')).toBe('G1 X10');
    expect(stripComment('   ; only a comment')).toBe('');
    expect(stripComment('M73 P50 R10')).toBe('M73 P50 R10');
    expect(stripComment('   ')).toBe('');
  });

  it('reads the command word, ignoring leading zeros and case', () => {
    expect(commandCode('g01 x1')).toBe('G1');
    expect(commandCode('M109 S200')).toBe('M109');
    expect(commandCode('N5 G28 X')).toBe('G28');
    expect(commandCode('T1')).toBe('T1');
  });

  it('knows which commands block and which are emergencies', () => {
    for (const c of ['M109 S200', 'M190 S60', 'G28', 'G29', 'M400']) expect(isBlockingCommand(c)).toBe(true);
    for (const c of ['G1 X1', 'M104 S200', 'M105']) expect(isBlockingCommand(c)).toBe(false);
    for (const c of ['M112', 'M108', 'M410']) expect(isEmergencyCommand(c)).toBe(true);
    expect(isEmergencyCommand('M110 N0')).toBe(false);
  });
});
